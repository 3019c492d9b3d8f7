// The import benchmark's floor: the least requests (50 external_ids each) and
// the least time any client could read N users in under braze-local's fixed
// export windows.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { leastSecondsAtLimit, minimumExportRequests } from "../../bench/import-floor";

const LIMIT = { requests: 250, perSeconds: 60 };

test("the least export requests are ceil(users / 50)", () => {
  assert.equal([1, 50, 51, 200, 10_000, 100_000].map(minimumExportRequests), [1, 1, 2, 4, 200, 2000]);
});

test("requests that fit in the first window cost only their sending", () => {
  assert.is(leastSecondsAtLimit({ requests: 200, limit: LIMIT, startMs: 1_000_000 * 60_000 + 30_000, secondsPerRequest: 0.01 }), 2);
  assert.is(leastSecondsAtLimit({ requests: 250, limit: LIMIT, startMs: 1_000_000 * 60_000 + 59_000, secondsPerRequest: 0.01 }), 2.5);
  assert.is(leastSecondsAtLimit({ requests: 0, limit: LIMIT, startMs: 0, secondsPerRequest: 0.01 }), 0);
});

test("more requests wait for the start of the last window they need, then send what is left there", () => {
  const windowStart = 1_000_000 * 60_000;
  // 100,000 users: 2,000 requests, 8 windows; started as a window opens, 7 whole windows pass.
  assert.is(leastSecondsAtLimit({ requests: 2000, limit: LIMIT, startMs: windowStart, secondsPerRequest: 0.01 }), 7 * 60 + 2.5);
  // Started 15 s into a window: that window is shorter.
  assert.is(leastSecondsAtLimit({ requests: 2000, limit: LIMIT, startMs: windowStart + 15_000, secondsPerRequest: 0.01 }), 7 * 60 - 15 + 2.5);
  // One request over a window waits for the next one and sends that one request.
  assert.is(leastSecondsAtLimit({ requests: 251, limit: LIMIT, startMs: windowStart + 59_000, secondsPerRequest: 0.5 }), 1.5);
});

test.run();
