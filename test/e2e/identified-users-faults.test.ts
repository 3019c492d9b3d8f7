// Events and purchases of identified users (external_id) and of an email-only
// user, logged exactly once through the real engine under the faults the
// alias-only users are tested with: /users/track answers lost after braze-local
// applied them, 429 and 5xx answers, and a `pulumi up` killed mid-run then run
// again. Each test: an existing identified user gains entries while a new
// identified user and a new email-only user are created with theirs (their
// entries wait until Braze shows them), then one converging up leaves every
// entry logged once, every user created once, and state holding what Braze holds.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { upUntilConverged } from "../harness/convergence";
import { restoreTruncatedCheckpoint, startDetachedUp } from "../harness/killed-up";
import type { LocalBraze } from "../harness/local-braze";
import { startLossyProxy } from "../harness/lossy-proxy";
import { recordedUsers, unsureUsers, userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

interface Declared {
  external_id?: string;
  alias?: { label: string; name: string };
  email?: string;
  attributes: Record<string, unknown>;
  events?: Array<{ id: string; name: string; time: string }>;
  purchases?: Array<{ id: string; product_id: string; currency: string; price: number; quantity: number; time: string }>;
}

const event = (id: string, name: string, day: number) => ({ id, name, time: `2024-05-0${day}T10:00:00Z` });
const purchase = (id: string, product: string, day: number) => ({
  id,
  product_id: product,
  currency: "USD",
  price: 9.99,
  quantity: 1,
  time: `2024-05-0${day}T12:00:00Z`,
});

/** The first run: an identified user without entries, which the faulted run gives some. */
const adaBefore: Declared = { external_id: "u-ada", attributes: { first_name: "Ada" } };
/** The faulted run: ada gains entries, cy (identified) and eve (email-only) are new with theirs. */
const faulted: Declared[] = [
  {
    ...adaBefore,
    attributes: { first_name: "Ada", plan: "pro" },
    events: [event("ada-1", "rented_movie", 1), event("ada-2", "viewed_item", 2)],
    purchases: [purchase("ada-p", "gold-plan", 3)],
  },
  {
    external_id: "u-cy",
    alias: { label: "qa", name: "cy" },
    attributes: { first_name: "Cy" },
    events: [event("cy-1", "signed_up", 1), event("cy-2", "rented_movie", 4)],
    purchases: [purchase("cy-p", "silver-plan", 5)],
  },
  { email: "eve@example.com", attributes: { first_name: "Eve" }, events: [event("eve-1", "signed_up", 2)], purchases: [purchase("eve-p", "gold-plan", 6)] },
];

const keyOf = (user: { external_id?: unknown; email?: unknown }) => String(user.external_id ?? user.email);
/** Entries as `name@epoch ms`, sorted: a multiset, so an entry logged twice shows. */
const entriesOf = (events: Array<{ name: string; time: string }>, purchases: Array<{ product_id: string; time: string }>) =>
  [...events.map((e) => `event ${e.name}@${Date.parse(e.time)}`), ...purchases.map((p) => `purchase ${p.product_id}@${Date.parse(p.time)}`)].sort();

/**
 * Converged: braze-local holds each declared user once (by external_id or email),
 * with exactly the file's events and purchases; state records every user, nothing
 * unsure or pending, its attributes as Braze holds them; preview expects no
 * change and the next up sends nothing.
 */
async function assertExactlyOnce(context: YamlStack, desired: Declared[]): Promise<void> {
  const held = await context.braze.users();
  assert.equal(held.map(keyOf).sort(), desired.map(keyOf).sort(), "each user created once, and no other");
  for (const user of desired) {
    const profile = held.find((candidate) => keyOf(candidate) === keyOf(user)) as any;
    const aliases = user.alias ? [{ alias_name: user.alias.name, alias_label: user.alias.label }] : [];
    assert.equal(profile.user_aliases, aliases, `${keyOf(user)}: its alias on its one profile`);
    assert.equal(
      entriesOf(profile.events, profile.purchases),
      entriesOf(user.events ?? [], user.purchases ?? []),
      `${keyOf(user)}: each entry logged exactly once`,
    );
  }
  const state = await context.stack.exportState();
  assert.equal(unsureUsers(state), [], "nothing is left unsure");
  assert.equal(userSets(state)[0].outputs.pending, {}, "nothing pending");
  const recorded = recordedUsers(state);
  assert.equal([...recorded.keys()].sort(), desired.map(keyOf).sort(), "state records each user");
  for (const [key, user] of recorded) {
    const profile = held.find((candidate) => keyOf(candidate) === key) as any;
    const attributes = { ...profile.standard, ...profile.custom };
    assert.equal(
      Object.fromEntries(Object.keys(user.attributes).map((name) => [name, attributes[name]])),
      user.attributes,
      `${key}: state records what Braze holds`,
    );
  }
  await assertEntriesWaitedForTheirUsers(context.braze);
  await context.stack.preview({ expectNoChanges: true });
  await context.braze.newRequests();
  await context.stack.up();
  assert.equal(await context.braze.newRequests(), [], "a converged stack sends nothing");
}

/** The /users/track requests that carried entries, with what braze-local answered. */
async function entryRequests(braze: LocalBraze): Promise<Array<{ status: number | null; body: any }>> {
  return (await braze.requests()).filter((r) => r.path === "/users/track" && ((r.body as any).events || (r.body as any).purchases));
}

/**
 * Entries go with _update_existing_only true, so Braze drops those of a user it
 * does not show yet: each request carrying a user's entries must come after an
 * answered export that showed that user.
 */
async function assertEntriesWaitedForTheirUsers(braze: LocalBraze): Promise<void> {
  const shown = new Set<string>();
  for (const request of await braze.requests()) {
    const body = request.body as any;
    if (request.path === "/users/export/ids" && request.status !== null && request.status < 300) {
      for (const user of (request.response as any)?.users ?? []) shown.add(String(user.external_id ?? user.email ?? body.email_address));
    }
    if (request.path !== "/users/track") continue;
    for (const object of [...(body.events ?? []), ...(body.purchases ?? [])]) {
      assert.ok(shown.has(keyOf(object)), `an entry of ${keyOf(object)} was sent before an export showed the user`);
    }
  }
}

const Faults = suite("identified and email-only users' events and purchases, exactly once under faults");

/**
 * The faulted file applied through a proxy that loses the answers `lose` picks
 * after braze-local applied the request; `check` judges that run (its error, if
 * it failed, and the state it left); then one up with answers again converges.
 */
async function lostAnswersThenRunAgain(
  projectName: string,
  lose: (route: string) => boolean,
  check: (context: YamlStack, failed: Error | undefined, dropped: number) => Promise<void>,
): Promise<void> {
  const context = await startYamlStack({ projectName });
  const proxy = await startLossyProxy(context.braze.url, lose);
  try {
    context.writeUsers([adaBefore]);
    await context.stack.up();
    await context.stack.setConfig({ "braze:restEndpoint": { value: proxy.url } });
    context.writeUsers(faulted);
    const failed = await context.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok((await entryRequests(context.braze)).length > 0, "entries were sent, and applied, in the run whose answers were lost");
    await check(context, failed, proxy.dropped);
    await context.stack.setConfig({ "braze:restEndpoint": { value: context.braze.url } });
    await context.stack.up();
    await assertExactlyOnce(context, faulted);
  } finally {
    await proxy.close();
    await context.close();
  }
}

Faults("every /users/track answer of a run lost after Braze applied it: nothing is logged twice, the next up converges", async () => {
  await lostAnswersThenRunAgain(
    "identified-lossy",
    (route) => route === "/users/track",
    async (_context, failed, dropped) => {
      // The run reads back what a lost answer left unsure (the users, their entry counts) and may finish itself; if it
      // cannot, it fails naming the lost answer.
      if (failed) assert.match(failed.message, "no answer");
      assert.ok(dropped >= 2, `answers were lost: ${dropped}`);
      console.log(`    ${dropped} answer(s) lost; the run ${failed ? "failed" : "finished"}`);
    },
  );
});

Faults("every answer lost from the first /users/track on: the run fails, state says what it does not know, the next up logs nothing twice", async () => {
  // From the first /users/track of the run on, no answer comes back (a network cut), though braze-local applies each request.
  const cut = { off: false };
  await lostAnswersThenRunAgain(
    "identified-cut-off",
    (route) => (cut.off ||= route === "/users/track"),
    async (context, failed) => {
      assert.ok(failed, "the run cut off from its answers fails");
      assert.match(failed!.message, "no answer");
      assert.match(failed!.message, /users\["u-ada"\]/, "naming the users it could not finish");
      const unsure = unsureUsers(await context.stack.exportState());
      assert.ok(unsure.includes("u-ada"), `state records ada as unsure: ${unsure}`);
    },
  );
});

Faults("429 and 5xx answers: the runs converge with every entry logged once", async () => {
  const context = await startYamlStack({
    projectName: "identified-faults",
    braze: { faults: { rate429: 0.2, rate5xx: 0.25, seed: 20261207 }, latency: "0-10", exportRateLimit: "100000/1" },
  });
  try {
    context.writeUsers([adaBefore]);
    await upUntilConverged(context.stack, 4);
    context.writeUsers(faulted);
    const failures = await upUntilConverged(context.stack, 4);
    for (const failure of failures) assert.match(failure, /users\["(u-ada|u-cy|eve@example\.com)"\]/, "a failed run names the users");
    const statuses = new Set((await entryRequests(context.braze)).map((r) => r.status));
    assert.ok(
      [429, 502, 503, 504].some((status) => statuses.has(status)),
      `a request carrying entries was refused: ${[...statuses]}`,
    );
    console.log(`    entry requests answered ${[...statuses].join(", ")}; ${failures.length} failed run(s)`);
    await assertExactlyOnce(context, faulted);
  } finally {
    await context.close();
  }
});

/**
 * `pulumi up` of the faulted file, SIGKILLed the moment braze-local has applied
 * the first request `killAt` picks (its answer never arrives), then
 * the documented recovery (`pulumi cancel`) and one more up.
 */
async function killedThenRunAgain(projectName: string, killAt: (route: string, body: any) => boolean): Promise<void> {
  // Slow answers keep the killed run's other requests in flight.
  const context = await startYamlStack({ projectName, braze: { latency: "100-300" } });
  const killed = { done: false, up: undefined as ReturnType<typeof startDetachedUp> | undefined, exited: Promise.resolve() };
  const proxy = await startLossyProxy(context.braze.url, (route, body) => {
    if (killed.done || !killed.up || !killAt(route, body)) return false;
    killed.done = true;
    // Synchronously, before the answer could reach the provider: the kill comes first, then the answer is dropped.
    killed.exited = killed.up.kill();
    return true;
  });
  try {
    context.writeUsers([adaBefore]);
    await context.stack.up();
    await context.stack.setConfig({ "braze:restEndpoint": { value: proxy.url } });
    const before = (await context.braze.requests()).length;
    context.writeUsers(faulted);
    killed.up = startDetachedUp(context.stack);
    await killed.up.exited;
    assert.ok(killed.done, "the up was killed, not finished");
    await killed.exited;
    const atKill = (await context.braze.users()) as any[];
    const entriesAtKill = atKill.map((user) => `${keyOf(user)} ${user.events.length + user.purchases.length}`);
    console.log(`    at the kill: ${(await context.braze.requests()).length - before} request(s); entries held: ${entriesAtKill.sort().join(", ")}`);
    restoreTruncatedCheckpoint(context.stack);
    await context.stack.stack.cancel(); // drops the file backend's lock of the dead update
    await context.stack.up();
    await assertExactlyOnce(context, faulted);
  } finally {
    await proxy.close();
    await context.close();
  }
}

Faults("pulumi up killed as Braze applied its first /users/track (creates, ada's entries), then run again", async () => {
  await killedThenRunAgain("identified-killed-creates", (route) => route === "/users/track");
});

Faults("pulumi up killed as Braze applied the new users' entries, then run again: they are not logged twice", async () => {
  await killedThenRunAgain("identified-killed-entries", (_route, body) =>
    (body.events ?? []).some((event: { external_id?: string }) => event.external_id === "u-cy"),
  );
});

Faults("pulumi up killed as Braze attached cy's alias to its profile, then run again: the alias is on the one profile", async () => {
  await killedThenRunAgain("identified-killed-alias", (route) => route === "/users/alias/new");
});

Faults.run();
