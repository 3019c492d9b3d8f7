// Events and purchases under injected faults through the real engine: 429s, 5xx
// answers and connections dropped before or after braze-local applied the
// request. After convergence braze-local holds every entry exactly once, and the
// next up sends nothing. One stack, two phases.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { upUntilConverged } from "../harness/convergence";
import { personas } from "../harness/personas";
import { userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const USERS = 60;
/** Runs allowed per phase: a run decides lost answers itself; a rare leftover is finished by the next run. */
const RUNS_PER_PHASE = 4;

type Desired = ReturnType<typeof personas>[number] & { events: object[]; purchases: object[] };

/** Each persona: `events` events (two names) and one purchase of quantity 2. */
function withEntries(events: number): Desired[] {
  return personas(USERS, "events-faults").map((user, i) => ({
    ...user,
    events: Array.from({ length: events }, (_, n) => ({
      id: `e${n}`,
      name: n % 2 === 0 ? "viewed_item" : "rented_movie",
      time: `2024-05-0${n + 1}T10:00:00Z`,
      properties: { n },
    })),
    purchases: [{ id: "p0", product_id: `plan-${i % 3}`, currency: "USD", price: 9.99, quantity: 2, time: "2024-05-09T10:00:00Z" }],
  }));
}

const Faults = suite<YamlStack & { failedRuns: number }>(
  `events and purchases under injected faults (${USERS} users): 10% 429, 10% 5xx, 10% dropped connections`,
);

Faults.before(async (context) => {
  Object.assign(
    context,
    await startYamlStack({
      projectName: "events-faults",
      braze: { faults: { rate429: 0.1, rate5xx: 0.1, rateReset: 0.1, seed: 20261202 }, latency: "0-10", exportRateLimit: "100000/1" },
      // Small requests: many of them, so each fault kind hits requests carrying entries.
      config: { "braze:maxObjectsPerRequest": { value: "10" } },
    }),
    { failedRuns: 0 },
  );
});
Faults.after(async (context) => context.close?.());

async function converge(context: YamlStack & { failedRuns: number }, desired: Desired[], eventsEach: number): Promise<void> {
  context.writeUsers(desired);
  const failures = await upUntilConverged(context.stack, RUNS_PER_PHASE);
  context.failedRuns += failures.length;
  for (const failure of failures) assert.match(failure, /users\["events-faults\//, "a failed run names the users");
  const outputs = userSets(await context.stack.exportState())[0].outputs;
  assert.equal(outputs.pending, {}, "nothing pending");
  for (const user of await context.braze.users()) {
    const name = (user as any).user_aliases[0].alias_name;
    assert.is((user as any).events.length, eventsEach, `${name}: each event logged exactly once`);
    assert.is((user as any).purchases.length, 2, `${name}: the purchase logged once (quantity 2)`);
  }
  const before = (await context.braze.requests()).length;
  await context.stack.up({ parallel: 100 });
  assert.is((await context.braze.requests()).length, before, "the following up sends nothing");
}

Faults("create with 3 events and a purchase per user converges with every entry logged exactly once", async (context) => {
  await converge(context, withEntries(3), 3);
});

Faults("two more events per user: only those are sent, each logged exactly once", async (context) => {
  await converge(context, withEntries(5), 5);
});

Faults("faults hit requests carrying entries, and none of those was sent again blindly", async (context) => {
  const requests = await context.braze.requests();
  const carrying = requests.filter((r) => r.path === "/users/track" && ((r.body as any).events || (r.body as any).purchases));
  const statuses = new Set(carrying.map((r) => r.status));
  console.log(`    ${carrying.length} requests with entries; statuses ${[...statuses].join(", ")}; ${context.failedRuns} failed run(s)`);
  assert.ok(statuses.has(null) && [502, 503, 504].some((s) => statuses.has(s)) && statuses.has(429), `statuses seen: ${[...statuses]}`);
  // A body answered by a 5xx or a dropped connection is sent again only after the users' counts were read
  // (an export in between) and showed it had not arrived; after a 429 (not applied) it is resent as is.
  const last = new Map<string, { status: number | null; at: number }>();
  let resentAfterCheck = 0;
  requests.forEach((request, at) => {
    if (!carrying.includes(request)) return;
    const body = JSON.stringify(request.body);
    const earlier = last.get(body);
    if (earlier && earlier.status !== 429) {
      const checked = requests.slice(earlier.at + 1, at).some((between) => between.path === "/users/export/ids");
      assert.ok(checked, `a body answered ${earlier.status} was sent again without reading the counts first`);
      resentAfterCheck += 1;
    }
    last.set(body, { status: request.status, at });
  });
  console.log(`    ${resentAfterCheck} request(s) with entries sent again after the counts showed they had not arrived`);
});

Faults.run();
