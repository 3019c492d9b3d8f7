// Fixed-window rate limiting per API key and endpoint group, as Braze's
// headers describe it. Braze limits its endpoints apart
// (https://www.braze.com/docs/api/api_limits/): a spent
// export window does not hold back /users/track. Pure: every function takes
// `now` (ms) and returns the new state.
import { OptionError } from "./errors/option-error";

export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in seconds. */
  perSeconds: number;
}

/** Braze's base limit for /users/track since October 2024: 3,000 requests per 3 seconds. */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 3000, perSeconds: 3 };

/**
 * Endpoints that share one window. `track`: /users/track alone. `export`:
 * /users/export/ids alone. `identity`: /users/delete, /users/alias/new,
 * /users/alias/update and /users/identify, which Braze limits together.
 * `external_ids_rename`, `external_ids_remove`: one endpoint each.
 * `other`: every endpoint Braze does not list, which share Braze's default of
 * 250,000 requests an hour (here: GET /subscription/status/get, GET
 * /subscription/user/status, and unknown
 * routes, answered 404).
 */
export type RateLimitGroup = "track" | "export" | "identity" | "external_ids_rename" | "external_ids_remove" | "other";

export const ENDPOINT_RATE_GROUPS: Readonly<Record<string, RateLimitGroup>> = {
  "/users/track": "track",
  "/users/export/ids": "export",
  "/users/delete": "identity",
  "/users/alias/new": "identity",
  "/users/alias/update": "identity",
  "/users/identify": "identity",
  "/users/external_ids/rename": "external_ids_rename",
  "/users/external_ids/remove": "external_ids_remove",
};

export function rateLimitGroup(path: string): RateLimitGroup {
  return Object.hasOwn(ENDPOINT_RATE_GROUPS, path) ? ENDPOINT_RATE_GROUPS[path] : "other";
}

/**
 * Braze's documented limits per group. Export: 250 per minute, the limit of
 * workspaces onboarded since 22 August 2024 (older ones have 2,500). Identity:
 * 20,000 per minute, shared. External id rename and remove: 1,000 per minute
 * each (https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_rename/).
 * Other: 250,000 per hour, shared.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitGroup, RateLimit>> = {
  track: DEFAULT_RATE_LIMIT,
  export: { requests: 250, perSeconds: 60 },
  identity: { requests: 20_000, perSeconds: 60 },
  external_ids_rename: { requests: 1000, perSeconds: 60 },
  external_ids_remove: { requests: 1000, perSeconds: 60 },
  other: { requests: 250_000, perSeconds: 3600 },
};

export interface WindowState {
  /** Start of the current window, ms since the epoch (windows are aligned to multiples of their length). */
  windowStart: number;
  used: number;
}

export type RateDecision =
  | {
      allowed: true;
      state: WindowState;
      /** X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (seconds until the window resets). */
      headers: Record<string, string>;
    }
  | {
      allowed: false;
      state: WindowState;
      /** Only X-Ratelimit-Retry-After (integer seconds): a 429 carries none of the X-RateLimit-* headers. */
      headers: Record<string, string>;
    };

/** Counts one request against `state` at `now`. */
export function consume(limit: RateLimit, state: WindowState | undefined, now: number): RateDecision {
  const length = limit.perSeconds * 1000;
  const windowStart = Math.floor(now / length) * length;
  const used = state && state.windowStart === windowStart ? state.used : 0;
  return decideInWindow(limit.requests, { windowStart, used }, length, now);
}

/** One more request in the window `current` (already moved to `now`'s window), with the headers Braze answers. */
function decideInWindow(requests: number, current: WindowState, lengthMs: number, now: number): RateDecision {
  const resetSeconds = Math.max(1, Math.ceil((current.windowStart + lengthMs - now) / 1000));
  if (current.used >= requests) return { allowed: false, state: current, headers: { "X-Ratelimit-Retry-After": String(resetSeconds) } };
  const next = { windowStart: current.windowStart, used: current.used + 1 };
  return {
    allowed: true,
    state: next,
    headers: {
      "X-RateLimit-Limit": String(requests),
      "X-RateLimit-Remaining": String(requests - next.used),
      "X-RateLimit-Reset": String(resetSeconds),
    },
  };
}

/** Reads `N/S` (e.g. `3000/3`): at most N requests per S seconds. `option` names the setting in the error. */
export function parseRateLimit(text: string, option = "--rate-limit"): RateLimit {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0)
    throw new OptionError(option, `"${text}" must be N/S with N ≥ 1 requests per S > 0 seconds`, "for example 3000/3");
  return { requests: Number(match[1]), perSeconds: Number(match[2]) };
}

/** The windows of every key in every group, forgetting those that ended. */
export class RateLimiter {
  readonly #windows = new Map<string, WindowState>();

  constructor(readonly limits: Readonly<Record<RateLimitGroup, RateLimit>>) {}

  /** Counts one request of `key` to `path` against the window of the path's group. */
  consume(path: string, key: string, now: number): RateDecision {
    const group = rateLimitGroup(path);
    const id = `${group}\u0000${key}`;
    const decision = consume(this.limits[group], this.#windows.get(id), now);
    if (this.#windows.size > 10_000) this.#forgetEnded(now);
    this.#windows.set(id, decision.state);
    return decision;
  }

  #forgetEnded(now: number): void {
    for (const [id, state] of this.#windows) {
      const group = id.slice(0, id.indexOf("\u0000")) as RateLimitGroup;
      if (state.windowStart + this.limits[group].perSeconds * 1000 <= now) this.#windows.delete(id);
    }
  }
}

/**
 * The hourly window of a Monthly Active Users CY 24-25 contract on
 * /users/track, on top of the burst limit per 3 seconds. On such a workspace
 * the X-RateLimit-* headers of /users/track describe the hourly window
 * (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/,
 * "Rate limit headers for Monthly Active Users CY 24-25"). The window belongs
 * to the workspace, not to a key. A start state lets a test begin mid-window.
 */
export interface HourlyRateLimit {
  /** Requests allowed per hour (X-RateLimit-Limit). */
  requests: number;
  /** Requests left in the first window. @default requests */
  remaining?: number;
  /** Seconds until the first window resets (X-RateLimit-Reset). @default 3600 */
  resetSeconds?: number;
}

const HOUR_MS = 3_600_000;

/** The hourly window's state at `startedAt` (ms): its start and the requests already used. */
export function initialHourlyWindow(limit: HourlyRateLimit, startedAt: number): WindowState {
  const remaining = limit.remaining ?? limit.requests;
  const resetSeconds = limit.resetSeconds ?? 3600;
  return { windowStart: startedAt + resetSeconds * 1000 - HOUR_MS, used: limit.requests - remaining };
}

/** Counts one request against the hourly window at `now`; windows follow one another from the first, an hour each. */
export function consumeHourly(limit: HourlyRateLimit, state: WindowState, now: number): RateDecision {
  const elapsedWindows = Math.floor((now - state.windowStart) / HOUR_MS);
  const current = elapsedWindows <= 0 ? state : { windowStart: state.windowStart + elapsedWindows * HOUR_MS, used: 0 };
  return decideInWindow(limit.requests, current, HOUR_MS, now);
}

/** Reads `N[:REMAINING[:RESET_SECONDS]]`, e.g. `1000:0:600` (a spent window that resets in 10 minutes). */
export function parseHourlyRateLimit(text: string, option = "--hourly-rate-limit"): HourlyRateLimit {
  const match = /^(\d+)(?::(\d+)(?::(\d+))?)?$/.exec(text.trim());
  const limit = match
    ? {
        requests: Number(match[1]),
        ...(match[2] !== undefined ? { remaining: Number(match[2]) } : {}),
        ...(match[3] !== undefined ? { resetSeconds: Number(match[3]) } : {}),
      }
    : undefined;
  const problem = limit ? hourlyRateLimitProblem(limit) : "is not N[:REMAINING[:RESET_SECONDS]]";
  if (problem)
    throw new OptionError(option, `"${text}" ${problem}`, "for example 1000:0:600, a spent window of 1000 requests an hour that resets in 10 minutes");
  return limit!;
}

export function hourlyRateLimitProblem(limit: HourlyRateLimit): string | undefined {
  const { requests, remaining = requests, resetSeconds = 3600 } = limit;
  if (!Number.isInteger(requests) || requests < 1) return "needs N ≥ 1 requests an hour";
  if (!Number.isInteger(remaining) || remaining < 0 || remaining > requests) return `needs REMAINING from 0 to ${requests}`;
  if (!Number.isInteger(resetSeconds) || resetSeconds < 1 || resetSeconds > 3600) return "needs RESET_SECONDS from 1 to 3600";
  return undefined;
}
