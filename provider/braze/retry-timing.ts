// Pure timing maths for the send path: how long to wait before the next attempt,
// and before the next request when the rate-limit window is spent. Takes `now`
// and `random` as arguments so tests check exact delays without sleeping.

/** Exponential backoff starts here (ms): one 3-second rate-limit window fits in a few steps. */
export const BACKOFF_BASE_MS = 500;
/** Backoff never exceeds this (ms), so one flaky stretch cannot stall a run for minutes. */
export const BACKOFF_MAX_MS = 20_000;

/** Case-insensitive header lookup, as `fetch` Headers offer it. */
export interface HeaderReader {
  get(name: string): string | null;
}

function nonNegativeNumber(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/**
 * Seconds until the rate-limit window resets, from `X-RateLimit-Reset`.
 * Braze's /users/track page defines it as the seconds left in the window; some
 * older Braze pages describe an epoch timestamp, so a value that can only be an
 * epoch (later than the year 2001 in seconds) is converted rather than trusted as
 * a 30-year wait.
 */
export function secondsUntilReset(headers: HeaderReader, now: number): number | undefined {
  const reset = nonNegativeNumber(headers.get("x-ratelimit-reset"));
  if (reset === undefined) return undefined;
  const EPOCH_THRESHOLD_SECONDS = 1_000_000_000;
  return reset > EPOCH_THRESHOLD_SECONDS ? Math.max(0, reset - now / 1000) : reset;
}

/**
 * The wait a 429 asks for, in ms: `X-Ratelimit-Retry-After` (integer seconds, what
 * Braze sends on a 429), then the generic `Retry-After`, then the window reset.
 */
export function serverRequestedWaitMs(headers: HeaderReader, now: number): number | undefined {
  const retryAfter = nonNegativeNumber(headers.get("x-ratelimit-retry-after")) ?? nonNegativeNumber(headers.get("retry-after"));
  if (retryAfter !== undefined) return retryAfter * 1000;
  const reset = secondsUntilReset(headers, now);
  return reset === undefined ? undefined : reset * 1000;
}

/** Full-jitter exponential backoff for attempt 1, 2, … (ms). */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}

/**
 * When the next request may be sent (epoch ms), from a successful response's
 * rate-limit headers: only when the window is spent does the client hold back
 * until it resets, so a long run slows down before Braze answers 429.
 */
export function nextRequestNotBefore(headers: HeaderReader, now: number): number {
  const remaining = nonNegativeNumber(headers.get("x-ratelimit-remaining"));
  if (remaining === undefined || remaining > 0) return now;
  const reset = secondsUntilReset(headers, now);
  return reset === undefined ? now : now + reset * 1000;
}
