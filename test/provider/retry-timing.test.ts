import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, backoffMs, nextRequestNotBefore, secondsUntilReset, serverRequestedWaitMs } from "../../provider/braze/retry-timing";

const headers = (values: Record<string, string>) => new Headers(values);
const NOW = 1_760_000_000_000;

const Timing = suite("retry timing");

Timing("a 429's X-Ratelimit-Retry-After (seconds) is the wait, in ms", () => {
  assert.is(serverRequestedWaitMs(headers({ "X-Ratelimit-Retry-After": "3" }), NOW), 3000);
});

Timing("Retry-After is used when Braze's own header is absent", () => {
  assert.is(serverRequestedWaitMs(headers({ "Retry-After": "2" }), NOW), 2000);
});

Timing("the window reset is the last resort for a 429's wait", () => {
  assert.is(serverRequestedWaitMs(headers({ "X-RateLimit-Reset": "1" }), NOW), 1000);
  assert.is(serverRequestedWaitMs(headers({}), NOW), undefined);
});

Timing("X-RateLimit-Reset is seconds left in the window, as the /users/track page defines it", () => {
  assert.is(secondsUntilReset(headers({ "X-RateLimit-Reset": "2" }), NOW), 2);
});

Timing("an epoch-looking reset is converted instead of read as a 50-year wait", () => {
  assert.is(secondsUntilReset(headers({ "X-RateLimit-Reset": String(NOW / 1000 + 5) }), NOW), 5);
});

Timing("garbage and negative header values are ignored", () => {
  assert.is(serverRequestedWaitMs(headers({ "X-Ratelimit-Retry-After": "soon", "Retry-After": "-4" }), NOW), undefined);
});

Timing("backoff doubles per attempt under full jitter and is capped", () => {
  assert.is(
    backoffMs(1, () => 1),
    BACKOFF_BASE_MS,
  );
  assert.is(
    backoffMs(2, () => 1),
    BACKOFF_BASE_MS * 2,
  );
  assert.is(
    backoffMs(3, () => 0.5),
    BACKOFF_BASE_MS * 2,
  );
  assert.is(
    backoffMs(30, () => 1),
    BACKOFF_MAX_MS,
  );
  assert.is(
    backoffMs(4, () => 0),
    0,
  );
});

Timing("the next request waits for the reset only when the window is spent", () => {
  assert.is(nextRequestNotBefore(headers({ "X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "3" }), NOW), NOW);
  assert.is(nextRequestNotBefore(headers({ "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3" }), NOW), NOW + 3000);
  assert.is(nextRequestNotBefore(headers({}), NOW), NOW);
});

Timing.run();
