// Long waits for Braze's rate limit are announced and bounded: a spent window
// (X-RateLimit-Remaining: 0) or a 429 asking for a long wait is announced when
// the wait starts and every 30 s while it lasts, and a wait longer than
// braze:maxRateLimitWaitSeconds fails the request unsent. On an injected clock:
// nothing sleeps.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient, DEFAULT_MAX_RATE_LIMIT_WAIT_MS, WAIT_NOTICE_INTERVAL_MS } from "../../provider/braze/client";
import { RateLimitWaitError } from "../../provider/braze/errors/rate-limit-wait-error";
import { startScriptedPeer, type ScriptedAnswer } from "../harness/scripted-http-peer";

const START = Date.parse("2026-01-05T09:00:00.000Z");
const ok = { status: 201, body: { message: "success", attributes_processed: 1 } };
const spent = (resetSeconds: number) => ({
  ...ok,
  headers: { "X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(resetSeconds) },
});

async function withClient(
  script: ScriptedAnswer[],
  options: { maxRateLimitWaitMs?: number },
  body: (client: BrazeClient, seen: { sleeps: number[]; notices: string[]; requests: () => number; now: () => number }) => Promise<void>,
) {
  const peer = await startScriptedPeer(script);
  let clock = START;
  const sleeps: number[] = [];
  const notices: string[] = [];
  const client = new BrazeClient({
    endpoint: peer.url,
    apiKey: "k",
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 1,
    notice: (line) => notices.push(line),
    ...options,
  });
  try {
    await body(client, { sleeps, notices, requests: () => peer.requests.length, now: () => clock });
  } finally {
    await peer.close();
  }
}

const Waits = suite("rate-limit waits: announced and bounded");

Waits("a spent hourly window is waited out when it resets within the bound, announced at the start and every 30 s", () =>
  withClient([spent(70), ok], {}, async (client, seen) => {
    await client.post("/users/track", { attributes: [] });
    await client.post("/users/track", { attributes: [] });
    assert.equal(seen.sleeps, [30_000, 30_000, 10_000], "slept in slices, to announce between them");
    assert.equal(seen.notices, [
      "braze: POST /users/track waits until 2026-01-05T09:01:10.000Z (70 s left): its rate-limit window is spent (X-RateLimit-Remaining: 0) until it resets",
      "braze: POST /users/track waits until 2026-01-05T09:01:10.000Z (40 s left): its rate-limit window is spent (X-RateLimit-Remaining: 0) until it resets",
      "braze: POST /users/track waits until 2026-01-05T09:01:10.000Z (10 s left): its rate-limit window is spent (X-RateLimit-Remaining: 0) until it resets",
    ]);
    assert.is(seen.requests(), 2);
  }),
);

Waits("a wait of a few seconds is not announced", () =>
  withClient([spent(3), ok], {}, async (client, seen) => {
    await client.post("/users/track", { attributes: [] });
    await client.post("/users/track", { attributes: [] });
    assert.equal(seen.sleeps, [3_000]);
    assert.equal(seen.notices, []);
  }),
);

Waits("a window that resets past braze:maxRateLimitWaitSeconds fails the request unsent, at once, saying what to do", () =>
  withClient([spent(600), ok], { maxRateLimitWaitMs: 2_000 }, async (client, seen) => {
    await client.post("/users/track", { attributes: [] });
    const error = await client.post("/users/track", { attributes: [] }).then(
      () => assert.unreachable("expected RateLimitWaitError"),
      (caught: unknown) => caught,
    );
    assert.instance(error, RateLimitWaitError);
    const typed = error as RateLimitWaitError;
    assert.is(typed.name, "RateLimitWaitError", "name");
    assert.is(typed.path, "/users/track", "path");
    assert.is(typed.until, START + 600_000, "until");
    assert.is(typed.waitMs, 600_000, "waitMs");
    assert.is(typed.maxWaitMs, 2_000, "maxWaitMs");
    assert.is(typed.outcomeUnknown, false, "outcomeUnknown: not sent");
    assert.is(typed.where, "POST /users/track", "where");
    assert.is(
      typed.message,
      "POST /users/track: not sent: the rate-limit window of POST /users/track is spent (X-RateLimit-Remaining: 0) until 2026-01-05T09:10:00.000Z (600 s), " +
        'longer than braze:maxRateLimitWaitSeconds (2 s) allows; what was sent is recorded; run "pulumi up" again after that time to send the rest, ' +
        "or raise braze:maxRateLimitWaitSeconds to wait in the run",
    );
    assert.equal(seen.sleeps, [], "nothing waited");
    assert.is(seen.requests(), 1, "the second request was not sent");
    // Another endpoint's window is its own.
    await client.post("/users/export/ids", {});
    assert.is(seen.requests(), 2);
  }),
);

Waits("the default bound is 300 s: a spent window resetting in 10 minutes fails without waiting", () =>
  withClient([spent(600)], {}, async (client, seen) => {
    assert.is(DEFAULT_MAX_RATE_LIMIT_WAIT_MS, 300_000);
    await client.post("/users/track", { attributes: [] });
    await client.post("/users/track", { attributes: [] }).then(
      () => assert.unreachable("expected RateLimitWaitError"),
      (error: unknown) => assert.instance(error, RateLimitWaitError),
    );
    assert.equal(seen.sleeps, []);
  }),
);

Waits("a 429 asking for longer than the bound fails unsent; a shorter one is waited out and announced", () =>
  withClient(
    [
      { status: 429, body: { message: "Rate Limited" }, headers: { "X-Ratelimit-Retry-After": "20" } },
      ok,
      { status: 429, body: { message: "Rate Limited" }, headers: { "X-Ratelimit-Retry-After": "400" } },
    ],
    {},
    async (client, seen) => {
      await client.post("/users/track", { attributes: [] });
      assert.equal(seen.sleeps, [20_000]);
      assert.equal(seen.notices, [
        "braze: POST /users/track waits until 2026-01-05T09:00:20.000Z (20 s left): Braze answered 429 (rate limited) and asks to wait (X-Ratelimit-Retry-After)",
      ]);
      const error = (await client.post("/users/track", { attributes: [] }).then(
        () => assert.unreachable("expected RateLimitWaitError"),
        (caught: unknown) => caught,
      )) as RateLimitWaitError;
      assert.instance(error, RateLimitWaitError);
      assert.is(error.waitMs, 400_000);
      assert.match(error.message, "POST /users/track: not sent: Braze answered 429 (Rate Limited) and asks to wait until 2026-01-05T09:07:00.000Z (400 s)");
    },
  ),
);

Waits("requests waiting together for one reset announce it once per interval", () =>
  withClient([spent(45), ok, ok, ok], {}, async (client, seen) => {
    await client.post("/users/track", { attributes: [] });
    await Promise.all([1, 2, 3].map(() => client.post("/users/track", { attributes: [] })));
    assert.is(seen.notices.length, 2, seen.notices.join("\n"));
    assert.match(seen.notices[0], "(45 s left)");
    assert.match(seen.notices[1], "(15 s left)");
    assert.ok(WAIT_NOTICE_INTERVAL_MS === 30_000);
    assert.is(seen.requests(), 4);
  }),
);

Waits.run();
