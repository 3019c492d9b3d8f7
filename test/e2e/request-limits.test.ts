// Braze's request caps and rate limits through the real engine: a workspace
// that allows 50 objects per request never fails a run, whatever cap is
// configured, and a spent hourly window is either waited out visibly or, past
// braze:maxRateLimitWaitSeconds, fails the run cleanly for the next `up` to
// finish. Notices reach the `pulumi up` output as lines the provider writes to
// stderr.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startSpentWindowProxy } from "../harness/forwarding-proxy";
import { personas } from "../harness/personas";
import { recordedUsers, userSets } from "../harness/recorded-users";
import { startYamlStack } from "../harness/yaml-stack";

const CAP_NOTICE = "braze: Braze refused a /users/track request of";
const WAIT_NOTICE = "braze: waiting for the rate-limit window of POST /users/track is spent (X-RateLimit-Remaining: 0); it resets at";

/**
 * How many times the provider printed `part`: the engine shows each line twice,
 * as it comes and again under "Diagnostics:", so the summary is counted.
 */
function occurrences(output: string, part: string): number {
  const summary = output.slice(output.indexOf("Diagnostics:") + 1 || output.length);
  return summary.split(part).length - 1;
}

/** /users/track answers braze-local logged since `from`, as [status, attributes objects]. */
async function trackAnswers(requests: Array<{ path: string; status: number | null; body: unknown }>): Promise<Array<[number | null, number]>> {
  return requests.filter((request) => request.path === "/users/track").map((request) => [request.status, ((request.body as { attributes?: unknown[] }).attributes ?? []).length]);
}

const Limits = suite("request caps and rate-limit waits through the engine");

Limits("a 50-combined workspace at the default cap: ceil(objects / 50) requests, none refused, nothing printed", async () => {
  const context = await startYamlStack({ projectName: "caps-default", braze: { maxCombined: 50 } });
  try {
    context.writeUsers(personas(120, "caps"));
    const result = await context.stack.up();
    assert.equal(await trackAnswers(await context.braze.newRequests()), [[201, 50], [201, 50], [201, 20]]);
    assert.is(occurrences(result.stdout + result.stderr, CAP_NOTICE), 0);
  } finally {
    await context.close();
  }
});

Limits("a 50-combined workspace configured as 75 per array converges in one run, printing the cap in use once", async () => {
  const context = await startYamlStack({
    projectName: "caps-legacy",
    braze: { maxCombined: 50 },
    config: { "braze:maxObjectsPerRequest": { value: "75" }, "braze:objectCapScope": { value: "per-array" } },
  });
  try {
    context.writeUsers(personas(120, "caps"));
    const result = await context.stack.up();
    const answers = await trackAnswers(await context.braze.newRequests());
    const accepted = answers.filter(([status]) => status === 201);
    assert.is(accepted.length, Math.ceil(120 / 50), JSON.stringify(answers));
    assert.ok(accepted.every(([, objects]) => objects <= 50));
    assert.equal(answers.filter(([status]) => status === 400), [[400, 75]], "one request refused");
    const output = result.stdout + result.stderr;
    assert.is(occurrences(output, CAP_NOTICE), 1, output);
    assert.match(output, "the rest of this run sends at most 50 objects per request across attributes, events and purchases");
    assert.match(output, "pulumi config set braze:maxObjectsPerRequest 50 && pulumi config set braze:objectCapScope combined");
    assert.is((await context.braze.users()).length, 120);
    assert.is(recordedUsers(await context.stack.exportState()).size, 120);
    await context.stack.preview({ expectNoChanges: true });
  } finally {
    await context.close();
  }
});

Limits("a spent hourly window resetting within the bound is waited out, and the wait is printed", async () => {
  const context = await startYamlStack({ projectName: "wait-shown" });
  const proxy = await startSpentWindowProxy(context.braze.url, 7);
  try {
    await context.stack.setConfig({ "braze:restEndpoint": { value: proxy.url } });
    // Five requests of 50: four go at once; the fifth waits for the window the first answer says is spent.
    context.writeUsers(personas(250, "wait"));
    const result = await context.stack.up();
    const output = result.stdout + result.stderr;
    assert.ok(occurrences(output, WAIT_NOTICE) >= 1, output);
    assert.match(output, /it resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(in [5-7] s\)/);
    assert.is((await context.braze.users()).length, 250);
  } finally {
    await proxy.close();
    await context.close();
  }
});

Limits("a window resetting in 10 minutes with braze:maxRateLimitWaitSeconds 2 fails cleanly; the next up sends the rest", async () => {
  const context = await startYamlStack({ projectName: "wait-bounded", config: { "braze:maxRateLimitWaitSeconds": { value: "2" } } });
  const proxy = await startSpentWindowProxy(context.braze.url, 600);
  try {
    await context.stack.setConfig({ "braze:restEndpoint": { value: proxy.url } });
    const users = personas(250, "bounded");
    context.writeUsers(users);
    const started = Date.now();
    const failure = await context.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(failure, "the run fails");
    assert.ok(Date.now() - started < 60_000, "without waiting for the window");
    // 20 users named, the rest counted: the 50 of the request held back.
    assert.match(failure!.message, '* users["bounded/persona-0200"]: POST /users/track: not sent:');
    assert.match(failure!.message, "… and 30 more (see the set's \"pending\" output)");
    assert.match(failure!.message, "POST /users/track: not sent: the rate-limit window of POST /users/track is spent (X-RateLimit-Remaining: 0) until");
    assert.match(failure!.message, "(600 s), longer than braze:maxRateLimitWaitSeconds (2 s) allows. What was sent is recorded");
    const sent = await trackAnswers(await context.braze.newRequests());
    assert.equal(sent, [[201, 50], [201, 50], [201, 50], [201, 50]], "four requests went, the fifth was held back");
    assert.is((await context.braze.users()).length, 200);
    const state = await context.stack.exportState();
    assert.is(Object.keys(userSets(state)[0].outputs.pending as object).length, 50, "the held-back users are pending");

    proxy.spent = false;
    await context.stack.up();
    assert.equal(await trackAnswers(await context.braze.newRequests()), [[201, 50]], "the next up sends exactly the rest");
    assert.is((await context.braze.users()).length, 250);
    assert.equal(userSets(await context.stack.exportState())[0].outputs.pending, {});
    await context.stack.preview({ expectNoChanges: true });
  } finally {
    await proxy.close();
    await context.close();
  }
});

Limits.run();
