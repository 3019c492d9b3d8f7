// New users' events and purchases against a braze-local that applies each
// /users/track request later, after a random delay, in another order than it
// was sent (as Braze's queue may). An entry applied before its user exists is
// dropped there, as on Braze: every entry must still be logged exactly once.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { upUntilConverged } from "../harness/convergence";
import { personas } from "../harness/personas";
import { userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const USERS = 24;
const EVENTS = 4;

function desired(label: string): object[] {
  return personas(USERS, label).map((user, i) => ({
    ...user,
    // Every fourth user is identified: its entries are update-only too, and wait the same way.
    ...(i % 4 === 0 ? { external_id: `${label}-${i}` } : {}),
    events: Array.from({ length: EVENTS }, (_, n) => ({ id: `e${n}`, name: "viewed_item", time: `2024-05-0${n + 1}T10:00:00Z` })),
    purchases: [{ id: "p0", product_id: "plan", currency: "USD", price: 1, time: "2024-05-09T10:00:00Z" }],
  }));
}

async function assertLoggedOnce(context: YamlStack): Promise<void> {
  const users = await context.braze.users();
  assert.is(users.length, USERS, "every user created");
  for (const user of users as any[]) {
    const name = user.external_id ?? user.user_aliases[0].alias_name;
    assert.is(user.events.length, EVENTS, `${name}: each event logged exactly once`);
    assert.is(user.purchases.length, 1, `${name}: the purchase logged once`);
  }
  assert.equal(userSets(await context.stack.exportState())[0].outputs.pending, {}, "nothing pending");
  const before = (await context.braze.requests()).length;
  await context.stack.up({ parallel: 100 });
  assert.is((await context.braze.requests()).length, before, "the following up sends nothing");
}

/** A stack on a braze-local that applies requests late and out of order; small requests, so a user's entries could overtake its attributes. */
async function startOutOfOrder(context: YamlStack, projectName: string, braze: Record<string, unknown>): Promise<void> {
  Object.assign(
    context,
    await startYamlStack({
      projectName,
      braze: { processing: "async", asyncMaxDelayMs: 400, ...braze },
      config: { "braze:maxObjectsPerRequest": { value: "3" } },
    }),
  );
}

const OutOfOrder = suite<YamlStack>("new users' entries under out-of-order processing (braze-local --processing async)");
OutOfOrder.before(async (context) => startOutOfOrder(context, "async-arrival", { asyncSeed: 27 }));
OutOfOrder.after(async (context) => context.close?.());

OutOfOrder("one up creates every user and logs each event and purchase exactly once", async (context) => {
  context.writeUsers(desired("async-arrival"));
  await context.stack.up({ parallel: 100 });
  await assertLoggedOnce(context);
  const requests = (await context.braze.requests()).filter((r) => r.path === "/users/track");
  const mixed = requests.filter(
    (r) => (r.body as any).attributes?.some((a: any) => a._update_existing_only === false) && ((r.body as any).events || (r.body as any).purchases),
  );
  assert.equal(mixed, [], "no creating attributes share a request with entries");
});
OutOfOrder.run();

const Faulty = suite<YamlStack>("new users' entries under out-of-order processing and injected faults");
Faulty.before(async (context) =>
  startOutOfOrder(context, "async-arrival-faults", {
    asyncSeed: 2027,
    faults: { rate429: 0.1, rate5xx: 0.1, rateReset: 0.1, seed: 27 },
    exportRateLimit: "100000/1",
  }),
);
Faulty.after(async (context) => context.close?.());

Faulty("converges within a few ups with each entry logged exactly once", async (context) => {
  context.writeUsers(desired("async-faults"));
  const failures = await upUntilConverged(context.stack, 4);
  for (const failure of failures) assert.match(failure, /async-faults/, "a failed run names the users");
  await assertLoggedOnce(context);
});
Faulty.run();
