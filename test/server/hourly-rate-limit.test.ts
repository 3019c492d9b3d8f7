// The hourly window of a Monthly Active Users CY 24-25 contract on
// /users/track: the X-RateLimit-* headers describe it, a spent one answers
// 429 with X-Ratelimit-Retry-After, and braze-local can start mid-window.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { consumeHourly, initialHourlyWindow, parseHourlyRateLimit } from "../../server/rate-limit";
import { aliasObject, startTestServer } from "./local-server";

const START = Date.parse("2025-06-01T12:00:00.000Z");

const Maths = suite("hourly window maths");

Maths("a window started mid-hour counts down to its reset, then the next hour starts full", () => {
  const limit = { requests: 3, remaining: 1, resetSeconds: 600 };
  const first = consumeHourly(limit, initialHourlyWindow(limit, START), START);
  assert.equal([first.allowed, first.headers], [true, { "X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "600" }]);
  const spent = consumeHourly(limit, first.state, START + 1000);
  assert.equal([spent.allowed, spent.headers], [false, { "X-Ratelimit-Retry-After": "599" }]);
  const next = consumeHourly(limit, spent.state, START + 600_000);
  assert.equal([next.allowed, next.headers], [true, { "X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "2", "X-RateLimit-Reset": "3600" }]);
});

Maths("N[:REMAINING[:RESET_SECONDS]] is read, and nonsense is refused with the reason", () => {
  assert.equal(parseHourlyRateLimit("1000:0:600"), { requests: 1000, remaining: 0, resetSeconds: 600 });
  assert.equal(parseHourlyRateLimit("1000"), { requests: 1000 });
  assert.throws(() => parseHourlyRateLimit("10:11"), /REMAINING from 0 to 10/);
  assert.throws(() => parseHourlyRateLimit("10:0:3601"), /RESET_SECONDS from 1 to 3600/);
  assert.throws(() => parseHourlyRateLimit("ten"), /N\[:REMAINING\[:RESET_SECONDS\]\]/);
});

Maths.run();

const Spent = suite<{ clock: number }>("an hourly window of 0 remaining with a reset 10 minutes away");
Spent.before.each((context) => {
  context.clock = START;
});

Spent(
  "/users/track answers 429 with X-Ratelimit-Retry-After and nothing else of the window, applies nothing, and answers again after the reset",
  async (context) => {
    const braze = await startTestServer({ hourlyRateLimit: "1000:0:600", now: () => context.clock });
    try {
      const refused = await braze.post("/users/track", { attributes: [aliasObject("ada", { plan: "pro" })] });
      assert.is(refused.status, 429);
      assert.equal(refused.body, { message: "API rate limit reached", errors: [{ type: "API rate limit reached" }] });
      assert.is(refused.headers.get("x-ratelimit-retry-after"), "600");
      assert.equal(
        [refused.headers.get("x-ratelimit-limit"), refused.headers.get("x-ratelimit-remaining"), refused.headers.get("x-ratelimit-reset")],
        [null, null, null],
      );
      assert.equal(await braze.users(), []);
      context.clock += 9 * 60_000;
      assert.is((await braze.post("/users/track", { attributes: [aliasObject("ada")] })).headers.get("x-ratelimit-retry-after"), "60");
      const exported = await braze.post("/users/export/ids", { external_ids: ["x"] });
      assert.equal([exported.status, exported.headers.get("x-ratelimit-limit")], [201, "250"], "other endpoints keep their own windows");
      context.clock += 60_000;
      const accepted = await braze.post("/users/track", { attributes: [aliasObject("ada", { plan: "pro" })] });
      assert.is(accepted.status, 201);
      assert.equal(
        [accepted.headers.get("x-ratelimit-limit"), accepted.headers.get("x-ratelimit-remaining"), accepted.headers.get("x-ratelimit-reset")],
        ["1000", "999", "3600"],
      );
    } finally {
      await braze.close();
    }
  },
);

Spent("with requests left, the headers of /users/track describe the hourly window, not the burst limit", async (context) => {
  const braze = await startTestServer({ hourlyRateLimit: { requests: 500, remaining: 2, resetSeconds: 600 }, rateLimit: "10/3", now: () => context.clock });
  try {
    const answer = await braze.post("/users/track", { attributes: [aliasObject("ada")] });
    assert.equal(
      [answer.status, answer.headers.get("x-ratelimit-limit"), answer.headers.get("x-ratelimit-remaining"), answer.headers.get("x-ratelimit-reset")],
      [201, "500", "1", "600"],
    );
  } finally {
    await braze.close();
  }
});

Spent.run();
