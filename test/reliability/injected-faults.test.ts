// Convergence under injected faults: 429s, 5xx answers and dropped connections
// (before or after braze-local applied the request) with random latency.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertConverged, upUntilConverged } from "../harness/convergence";
import { changed, personas, type PersonaDeclaration } from "../harness/personas";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
const USERS = 200;
/** Runs allowed per phase: the retry budget covers nearly every fault, and a rare leftover must be finished by the next run. */
const RUNS_PER_PHASE = 3;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
  /** Every desired state applied so far: keys once managed must be gone from Braze when no longer desired. */
  history: PersonaDeclaration[][];
  failedRuns: number;
}

const Faults = suite<Context>(`injected faults (${USERS} users): 10% 429, 5% 5xx, 2% dropped connections, 0-20 ms latency`);

Faults.before(async (context) => {
  const yamlStack = await startYamlStack({
    projectName: "faults",
    braze: { faults: { rate429: 0.1, rate5xx: 0.05, rateReset: 0.02, seed: 20261122 }, latency: "0-20" },
    // Small batches make more requests, so each fault kind happens many times over.
    config: { "braze:maxObjectsPerRequest": { value: "5" }, "braze:maxDeletes": { value: "1000" } },
  });
  Object.assign(context, yamlStack);
});

Faults.after(async (context) => context.close?.());

async function apply(context: Context, desired: PersonaDeclaration[]): Promise<void> {
  context.history = [...(context.history ?? []), ...(context.desired ? [context.desired] : [])];
  context.desired = desired;
  context.writeUsers(desired);
  const failures = await upUntilConverged(context.stack, RUNS_PER_PHASE);
  for (const failure of failures) assert.match(failure, /braze:UserSet|POST \/users\//, "a failed run names what failed");
  context.failedRuns = (context.failedRuns ?? 0) + failures.length;
  await assertConverged(context.stack, context.braze, desired, context.history);
  // Converged means nothing is left to do: the following up changes nothing and sends nothing.
  const before = (await context.braze.requests()).length;
  const again = await context.stack.up({ parallel: 100 });
  assert.equal(Object.keys(again.summary.resourceChanges ?? {}), ["same"], "the following up changes nothing");
  assert.is((await context.braze.requests()).length, before, "the following up sends nothing");
}

Faults("create converges: braze-local and state both hold exactly the desired users", async (context) => {
  await apply(context, personas(USERS));
});

Faults("change converges", async (context) => {
  await apply(context, changed(context.desired));
});

Faults("delete converges", async (context) => {
  await apply(
    context,
    context.desired.filter((_, i) => i % 10 !== 5),
  );
});

Faults("faults really happened, and every retried body was safe to apply twice", async (context) => {
  const requests = await context.braze.requests();
  const statuses = new Set(requests.map((r) => r.status));
  console.log(`    ${requests.length} requests; by status: ${JSON.stringify(countBy(requests.map((r) => String(r.status))))}`);
  assert.ok(statuses.has(429) && statuses.has(null) && [502, 503, 504].some((s) => statuses.has(s)), `statuses seen: ${[...statuses]}`);
  // The faults bit: some request was answered only on a later attempt (the same body sent again), or some run failed.
  const bodies = requests.map((r) => JSON.stringify([r.path, r.body]));
  const resent = bodies.length - new Set(bodies).size;
  console.log(`    ${resent} request(s) sent again after a fault; ${context.failedRuns} failed run(s)`);
  assert.ok(resent > 0 || context.failedRuns > 0, "the faults must have made the provider retry or a run fail");
  // Only idempotent operations: whole values, nulls and merged objects. Counters,
  // array add/remove, object-array operators and events would change the result
  // when a dropped-but-applied request is sent again.
  const unsafe = JSON.stringify(requests.map((r) => r.body)).match(/"(inc|add|remove|\$add|\$remove|\$update|events|purchases)":/g);
  assert.equal(unsafe, null);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

Faults.run();
