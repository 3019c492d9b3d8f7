// Braze's request caps and rate limits through the real engine: a workspace
// that allows 50 objects per request never fails a run, whatever cap is
// configured, and a spent hourly window is either waited out visibly or, past
// braze:maxRateLimitWaitSeconds, fails the run cleanly for the next `up` to
// finish. Notices reach the `pulumi up` output as lines the provider writes to
// stderr. braze-local plays the workspace: `requestCap` and `hourlyRateLimit`
// (N:REMAINING:RESET_SECONDS), on a clock the test moves past the reset.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { personas } from "../harness/personas";
import { recordedUsers, userSets } from "../harness/recorded-users";
import { startYamlStack } from "../harness/yaml-stack";

const CAP_NOTICE = "braze: Braze refused a /users/track request of";

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
  return requests
    .filter((request) => request.path === "/users/track")
    .map((request) => [request.status, ((request.body as { attributes?: unknown[] }).attributes ?? []).length]);
}

const Limits = suite("request caps and rate-limit waits through the engine");

Limits("a 50-combined workspace at the default cap: ceil(objects / 50) requests, none refused, nothing printed", async () => {
  const context = await startYamlStack({ projectName: "caps-default", braze: { requestCap: "combined-50" } });
  try {
    context.writeUsers(personas(120, "caps"));
    const result = await context.stack.up();
    assert.equal(await trackAnswers(await context.braze.newRequests()), [
      [201, 50],
      [201, 50],
      [201, 20],
    ]);
    assert.is(occurrences(result.stdout + result.stderr, CAP_NOTICE), 0);
  } finally {
    await context.close();
  }
});

Limits("a 50-combined workspace configured as 75 per array converges in one run, printing the cap in use once", async () => {
  const context = await startYamlStack({
    projectName: "caps-legacy",
    braze: { requestCap: "combined-50" },
    config: { "braze:maxObjectsPerRequest": { value: "75" }, "braze:objectCapScope": { value: "per-array" } },
  });
  try {
    context.writeUsers(personas(120, "caps"));
    const result = await context.stack.up();
    const answers = await trackAnswers(await context.braze.newRequests());
    const accepted = answers.filter(([status]) => status === 201);
    assert.is(accepted.length, Math.ceil(120 / 50), JSON.stringify(answers));
    assert.ok(accepted.every(([, objects]) => objects <= 50));
    assert.equal(
      answers.filter(([status]) => status === 400),
      [[400, 75]],
      "one request refused",
    );
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

/** braze-local's clock, which the test moves forward (past an hourly window's reset) without waiting. */
function shiftedClock(): { now: () => number; shift(ms: number): void } {
  let offset = 0;
  return { now: () => Date.now() + offset, shift: (ms) => (offset += ms) };
}

Limits("a spent hourly window resetting within the bound is waited out, and the wait is printed", async () => {
  // 4 requests left, then the window resets 20 s after braze-local starts: some 15 s after the up starts.
  const context = await startYamlStack({ projectName: "wait-shown", braze: { hourlyRateLimit: "1000:4:20" } });
  try {
    // Five requests of 50: four go at once and spend the window; the fifth waits for its reset.
    context.writeUsers(personas(250, "wait"));
    const result = await context.stack.up();
    const output = result.stdout + result.stderr;
    assert.ok(occurrences(output, "braze: POST /users/track waits until ") >= 1, output);
    assert.match(
      output,
      /braze: POST \/users\/track waits until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(\d+ s left\): (its rate-limit window is spent|Braze answered 429)/,
    );
    assert.is((await context.braze.users()).length, 250);
  } finally {
    await context.close();
  }
});

Limits(
  "an hourly window of 0 remaining, resetting in 10 minutes, with braze:maxRateLimitWaitSeconds 2: the up fails cleanly, and the next up after the reset does the work",
  async () => {
    const clock = shiftedClock();
    const context = await startYamlStack({
      projectName: "wait-spent",
      braze: { hourlyRateLimit: "1000:0:600", now: clock.now },
      config: { "braze:maxRateLimitWaitSeconds": { value: "2" } },
    });
    try {
      context.writeUsers(personas(120, "spent"));
      const started = Date.now();
      const failure = await context.stack.up().then(
        () => undefined,
        (error: Error) => error,
      );
      assert.ok(failure, "the run fails");
      assert.ok(Date.now() - started < 60_000, "without waiting for the window");
      assert.match(
        failure!.message,
        /50 users \(users\["spent\/persona-0000"\], users\["spent\/persona-0001"\], users\["spent\/persona-0002"\] and 47 more\): POST \/users\/track: not sent: Braze answered 429/,
      );
      assert.match(failure!.message, "longer than braze:maxRateLimitWaitSeconds (2 s) allows; what was sent is recorded");
      assert.equal(
        (await trackAnswers(await context.braze.newRequests())).filter(([status]) => status !== 429),
        [],
        "nothing applied",
      );
      assert.is(Object.keys(userSets(await context.stack.exportState())[0].outputs.pending as object).length, 120, "every user pending");

      clock.shift(600_000);
      await context.stack.up();
      assert.equal(await trackAnswers(await context.braze.newRequests()), [
        [201, 50],
        [201, 50],
        [201, 20],
      ]);
      assert.is((await context.braze.users()).length, 120);
      assert.equal(userSets(await context.stack.exportState())[0].outputs.pending, {});
      await context.stack.preview({ expectNoChanges: true });
    } finally {
      await context.close();
    }
  },
);

Limits("a window spent part-way fails the up with what was sent recorded; the next up after the reset sends exactly the rest", async () => {
  const clock = shiftedClock();
  // 4 requests left: the first four requests of 50 go, the fifth is held back (or refused with a 429).
  const context = await startYamlStack({
    projectName: "wait-bounded",
    braze: { hourlyRateLimit: "1000:4:600", now: clock.now },
    config: { "braze:maxRateLimitWaitSeconds": { value: "2" } },
  });
  try {
    context.writeUsers(personas(250, "bounded"));
    const failure = await context.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(failure, "the run fails");
    // The 50 users of the request held back share one line.
    assert.match(failure!.message, "1 error occurred");
    assert.match(
      failure!.message,
      /50 users \(users\["bounded\/persona-0\d{3}"\], users\["bounded\/persona-0\d{3}"\], users\["bounded\/persona-0\d{3}"\] and 47 more\): POST \/users\/track: not sent:/,
    );
    const sent = await trackAnswers(await context.braze.newRequests());
    assert.equal(
      sent.filter(([status]) => status === 201),
      [
        [201, 50],
        [201, 50],
        [201, 50],
        [201, 50],
      ],
      "four requests applied",
    );
    assert.is((await context.braze.users()).length, 200);
    const state = await context.stack.exportState();
    assert.is(Object.keys(userSets(state)[0].outputs.pending as object).length, 50, "the held-back users are pending");
    assert.is(recordedUsers(state).size, 250);

    clock.shift(600_000);
    await context.stack.up();
    assert.equal(await trackAnswers(await context.braze.newRequests()), [[201, 50]], "the next up sends exactly the rest");
    assert.is((await context.braze.users()).length, 250);
    assert.equal(userSets(await context.stack.exportState())[0].outputs.pending, {});
    await context.stack.preview({ expectNoChanges: true });
  } finally {
    await context.close();
  }
});

Limits.run();
