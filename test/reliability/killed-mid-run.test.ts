// `pulumi up` killed with SIGKILL (the CLI, its language host and the provider
// process at once, as when a CI runner's container dies) while batches are in flight. After
// the recovery Pulumi documents for a file backend (`pulumi cancel` to drop the
// lock, `pulumi refresh --clear-pending-creates`), the next up converges.
//
// The root program declares one BrazeUserSet, so the whole first run is one
// create of that resource: the kill leaves exactly that create pending, with some
// users in Braze and none recorded. Clearing the pending create drops the set from
// state, and the next up creates it again whole: every user sent once more as a
// create, which lands on the same alias whether or not Braze already has it.
// Every third user also logs an event and a purchase, which must not be logged
// twice: the recovery reads their counts first and sends only what is missing.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertConverged } from "../harness/convergence";
import { restoreTruncatedCheckpoint, startDetachedUp } from "../harness/killed-up";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { USER_SET_TYPE, userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
const USERS = 120;
/** braze:maxObjectsPerRequest below: small batches, so a run is many requests to cut off. */
const OBJECTS_PER_REQUEST = 10;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
}

const Killed = suite<Context>(`pulumi up killed mid-run (${USERS} users, 300-600 ms per Braze answer)`);

Killed.before(async (context) => {
  // Slow answers keep batches in flight long enough to be cut off.
  Object.assign(
    context,
    await startYamlStack({
      projectName: "killed",
      braze: { latency: "300-600" },
      config: { "braze:maxObjectsPerRequest": { value: String(OBJECTS_PER_REQUEST) } },
    }),
  );
  context.desired = personas(USERS, "killed").map((user, i) => (i % 3 === 0 ? { ...user, ...entriesOf(i) } : user));
  context.writeUsers(context.desired);
});

Killed.after(async (context) => context.close?.());

/** One event and one purchase, for every third persona. */
function entriesOf(i: number): { events: object[]; purchases: object[] } {
  return {
    events: [{ id: `signup-${i}`, name: "signed_up", time: "2024-05-01T10:00:00Z", properties: { persona: i } }],
    purchases: [{ id: `plan-${i}`, product_id: "gold-plan", currency: "USD", price: 9.99, time: "2024-05-02T10:00:00Z" }],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Killed("SIGKILL while /users/track requests are in flight, then recover and converge with nothing lost", async (context) => {
  const up = startDetachedUp(context.stack);

  // Wait until some batches were answered, then kill the whole group mid-run.
  const deadline = Date.now() + 120_000;
  while ((await context.braze.requests()).filter((r) => r.path === "/users/track").length < 2) {
    assert.ok(Date.now() < deadline, "no /users/track request within two minutes");
    await sleep(50);
  }
  await up.kill();
  const heldAtKill = await context.braze.users();
  const usersAtKill = heldAtKill.length;
  const entriesAtKill = heldAtKill.reduce((sum, user) => sum + ((user as any).events.length as number) + ((user as any).purchases.length as number), 0);
  assert.ok(usersAtKill > 0 && usersAtKill < USERS, `killed mid-run: braze-local held ${usersAtKill} of ${USERS} users`);

  restoreTruncatedCheckpoint(context.stack);
  const interrupted = await context.stack.stack.exportStack();
  const pending = (interrupted.deployment.pending_operations ?? []) as Array<{ type: string; resource: { urn: string; type: string } }>;
  assert.equal(
    pending.map((operation) => [operation.type, operation.resource.type, operation.resource.urn.split("::").pop()]),
    [["creating", USER_SET_TYPE, "users"]],
    "the kill left the set's create pending, and nothing else",
  );
  assert.equal(userSets(await context.stack.exportState()), [], "no set is recorded: its create never finished");

  await context.stack.stack.cancel(); // drops the file backend's lock of the dead update
  await context.stack.stack.refresh({ clearPendingCreates: true });
  const recovered = await context.stack.stack.exportStack();
  assert.equal(recovered.deployment.pending_operations ?? [], [], "refresh cleared the pending create");
  assert.equal(userSets(await context.stack.exportState()), [], "and recorded no set in its place");

  const beforeRecovery = (await context.braze.requests()).length;
  await context.stack.up({ parallel: 100 });
  // The set is created again from nothing: the counts of the users with events are read first (one export of
  // 40 aliases), then every user once, as a create, with the entries not yet logged of the users Braze holds, in
  // requests of 10 objects; the entries of users Braze did not hold yet follow once one more export shows them.
  const recovery = (await context.braze.requests()).slice(beforeRecovery);
  const withEntries = context.desired.filter((user) => "events" in user).length;
  const paths = recovery.map((r) => r.path).join(" ");
  assert.equal(recovery[0].path, "/users/export/ids");
  const second = recovery.findIndex((r, at) => at > 0 && r.path === "/users/export/ids");
  const passes = second < 0 ? [recovery.slice(1)] : [recovery.slice(1, second), recovery.slice(second + 1)];
  const tracks = passes.flat();
  assert.ok(
    tracks.every((r) => r.path === "/users/track"),
    paths,
  );
  const objectsOf = (r: (typeof recovery)[number]) =>
    (((r.body as any).attributes ?? []).length as number) +
    (((r.body as any).events ?? []).length as number) +
    (((r.body as any).purchases ?? []).length as number);
  const sentEntries = tracks.reduce((sum, r) => sum + objectsOf(r), 0) - USERS;
  for (const pass of passes) {
    const objects = pass.reduce((sum, r) => sum + objectsOf(r), 0);
    assert.is(pass.length, Math.ceil(objects / OBJECTS_PER_REQUEST), `as few requests as the combined cap allows: ${paths}`);
  }
  const loggedAtKill = (await context.braze.users()).length; // (every user exists now; the entries below are what counts)
  assert.ok(loggedAtKill === USERS);
  for (const user of await context.braze.users()) {
    const i = Number((user as any).user_aliases[0].alias_name.slice("persona-".length));
    const expected = i % 3 === 0 ? [1, 1] : [0, 0];
    assert.equal([(user as any).events.length, (user as any).purchases.length], expected, `persona ${i}: each entry logged exactly once`);
  }
  assert.ok(
    sentEntries === 2 * withEntries - entriesAtKill,
    `entries logged before the kill were recorded, not sent again (${entriesAtKill} logged at the kill, ${sentEntries} sent in recovery)`,
  );
  const resent = tracks.flatMap(
    (r) => (r.body as { attributes: Array<{ user_alias: { alias_name: string }; _update_existing_only: boolean }> }).attributes ?? [],
  );
  assert.equal(resent.map((object) => object.user_alias.alias_name).sort(), context.desired.map((user) => user.alias.name).sort(), "every user sent once");
  assert.ok(
    resent.every((object) => object._update_existing_only === false),
    "each as a create",
  );
  await assertConverged(context.stack, context.braze, context.desired);

  const before = (await context.braze.requests()).length;
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.is((await context.braze.requests()).length, before, "a converged stack sends nothing");
});

Killed.run();
