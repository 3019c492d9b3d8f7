// The least time and requests any client could take to read users back by
// external_id through /users/export/ids, for the import part of the benchmark.
// Pure: the run's start and the measured cost of one request are given.
import { IDENTIFIERS_PER_REQUEST } from "../provider/braze/users-api";
import type { RateLimit } from "../server/rate-limit";

/** /users/export/ids takes 50 external_ids per request: ceil(users / 50). */
export function minimumExportRequests(users: number): number {
  return Math.ceil(users / IDENTIFIERS_PER_REQUEST);
}

/**
 * The least seconds `requests` export requests take under `limit`'s fixed
 * windows (braze-local's, aligned to multiples of their length since the epoch,
 * as its X-RateLimit-Reset counts down), starting at `startMs` in a fresh window:
 * every window but the last is spent at once, so the client waits for the start
 * of the last window it needs, then sends what is left there at
 * `secondsPerRequest` (the back-to-back cost of one request, measured). Sends in
 * earlier windows overlap the waits (a window's share takes far less than the window).
 */
export function leastSecondsAtLimit(options: { requests: number; limit: RateLimit; startMs: number; secondsPerRequest: number }): number {
  const { requests, limit, startMs, secondsPerRequest } = options;
  if (requests === 0) return 0;
  const windows = Math.ceil(requests / limit.requests);
  const lengthMs = limit.perSeconds * 1000;
  const firstWindowStart = Math.floor(startMs / lengthMs) * lengthMs;
  const waitMs = windows === 1 ? 0 : firstWindowStart + (windows - 1) * lengthMs - startMs;
  const inLastWindow = requests - (windows - 1) * limit.requests;
  return waitMs / 1000 + inLastWindow * secondsPerRequest;
}
