// Identified users as one BrazeUser per user (the per-user program), end to end
// through the real engine against braze-local: created and updated by
// external_id, an alias-only user identified in place, deleted by external_id;
// and `pulumi destroy` of more BrazeUsers than braze:maxDeletes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withCliEnvironment } from "../harness/test-stack";
import { PER_USER_PROGRAM_DIR, startYamlStack, type YamlStack } from "../harness/yaml-stack";

type Context = YamlStack;

const failureOf = (operation: Promise<unknown>) =>
  operation.then(
    () => undefined,
    (error: Error) => error,
  );

const grace = (seats: number) => ({ external_id: "u-grace", alias: { name: "grace", label: "qa" }, attributes: { first_name: "Grace", seats } });
const lin = (externalId?: string) => ({
  key: "lin",
  ...(externalId ? { external_id: externalId } : {}),
  alias: { name: "lin", label: "qa" },
  attributes: { tier: "gold" },
});
/** The requests braze-local logged since the last call, as path and body. */
const sent = async (context: Context) => (await context.braze.newRequests()).map(({ path, body }) => ({ path, body }));
const byExternalId = async (context: Context, externalId: string) => (await context.braze.users()).filter((user) => user.external_id === externalId);

const Lifecycle = suite<Context>("identified users, one BrazeUser per user");
Lifecycle.before(async (context) => {
  Object.assign(context, await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "identified-per-user" }));
});
Lifecycle.after(async (context) => context.close?.());

Lifecycle("create: one object by external_id that may create the user, then its alias attached by external_id", async (context) => {
  context.writeUsers([grace(1), lin()]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { create: 3 });
  const requests = await sent(context);
  const objects = requests.filter((r) => r.path === "/users/track").flatMap((r) => (r.body as { attributes: object[] }).attributes);
  const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  assert.equal(
    objects.sort(byText),
    [
      { external_id: "u-grace", _update_existing_only: false, first_name: "Grace", seats: 1 },
      { user_alias: { alias_name: "lin", alias_label: "qa" }, _update_existing_only: false, tier: "gold" },
    ].sort(byText),
  );
  assert.equal(
    requests.filter((r) => r.path !== "/users/track"),
    [{ path: "/users/alias/new", body: { user_aliases: [{ external_id: "u-grace", alias_name: "grace", alias_label: "qa" }] } }],
  );
  assert.is((await byExternalId(context, "u-grace")).length, 1);
  await context.stack.preview({ expectNoChanges: true });
  assert.equal(await context.braze.newRequests(), [], "the preview sends nothing");
});

Lifecycle("update: only the changed attribute, by external_id, to an existing user only", async (context) => {
  context.writeUsers([grace(2), lin()]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2, update: 1 });
  assert.equal(await sent(context), [{ path: "/users/track", body: { attributes: [{ external_id: "u-grace", _update_existing_only: true, seats: 2 }] } }]);
});

Lifecycle("an alias-only user given an external_id under its key is identified in place: one /users/identify, no delete", async (context) => {
  context.writeUsers([grace(2), lin("u-lin")]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2, update: 1 });
  const requests = await sent(context);
  assert.equal(
    requests.filter((r) => r.path === "/users/identify"),
    [{ path: "/users/identify", body: { aliases_to_identify: [{ external_id: "u-lin", user_alias: { alias_name: "lin", alias_label: "qa" } }] } }],
  );
  assert.equal(
    requests.filter((r) => r.path === "/users/delete"),
    [],
  );
  assert.is((await byExternalId(context, "u-lin")).length, 1, "the profile has its external_id");
  assert.is((await context.braze.users()).length, 2, "no second profile");
  const identified = await context.braze.userByAlias("qa", "lin");
  assert.is(identified.raw.external_id, "u-lin", "the alias-only profile itself was identified");
  assert.is(identified.attributes.tier, "gold", "its data is kept");
  await context.stack.preview({ expectNoChanges: true });
});

Lifecycle("delete: a user removed from the file is deleted by external_ids, once", async (context) => {
  context.writeUsers([lin("u-lin")]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { delete: 1, same: 2 });
  assert.equal(await sent(context), [{ path: "/users/delete", body: { external_ids: ["u-grace"] } }]);
  assert.equal(await byExternalId(context, "u-grace"), []);
});

Lifecycle.run();

const USERS = 3;
const member = (n: number) => ({ external_id: `u-${n}`, attributes: { seats: n } });

const Destroy = suite<Context>(`destroy of ${USERS} BrazeUsers with braze:maxDeletes 1`);
Destroy.before(async (context) => {
  Object.assign(
    context,
    await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "per-user-destroy", config: { "braze:maxDeletes": { value: "1" } } }),
  );
  context.writeUsers([1, 2, 3].map(member));
  await context.stack.up();
  await context.braze.newRequests();
});
Destroy.after(async (context) => context.close?.());

Destroy("is refused beyond the limit: one user is deleted, the others stay in Braze and in state", async (context) => {
  const refused = await failureOf(context.stack.destroy());
  assert.ok(refused, "the destroy fails");
  assert.match(refused!.message, "nothing was sent: the plan goes over this run's budget");
  assert.match(
    refused!.message,
    'it would delete more than 1 users in this run (1 BrazeUser deletes were let through already) and braze:maxDeletes is 1; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=<how many users> pulumi destroy"',
  );
  assert.equal(
    (await context.braze.newRequests()).map((r) => r.path),
    ["/users/delete"],
  );
  assert.is((await context.braze.users()).length, USERS - 1, "the users beyond the limit are still in Braze");
  const remaining = (await context.stack.exportState()).resources.filter((resource) => resource.type.endsWith("braze:User"));
  assert.is(remaining.length, USERS - 1, "and in state");
});

Destroy("BRAZE_PROFILES_ALLOW_DELETES allows the rest for one command", async (context) => {
  await withCliEnvironment(context.stack, { BRAZE_PROFILES_ALLOW_DELETES: String(USERS - 1) }, () => context.stack.destroy());
  assert.equal(await context.braze.users(), []);
});

Destroy.run();
