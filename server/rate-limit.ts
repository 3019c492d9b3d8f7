// Fixed-window rate limiting per API key and endpoint group, as Braze's
// headers describe it. Braze limits its endpoints apart
// (https://www.braze.com/docs/api/api_limits/): a spent
// export window does not hold back /users/track. Pure: every function takes
// `now` (ms) and returns the new state.

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
 * `other`: any route Braze does not list (here: unknown routes, answered 404).
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
  return Object.prototype.hasOwnProperty.call(ENDPOINT_RATE_GROUPS, path) ? ENDPOINT_RATE_GROUPS[path] : "other";
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
  const resetSeconds = Math.max(1, Math.ceil((windowStart + length - now) / 1000));
  if (used >= limit.requests) {
    return { allowed: false, state: { windowStart, used }, headers: { "X-Ratelimit-Retry-After": String(resetSeconds) } };
  }
  const next = { windowStart, used: used + 1 };
  return {
    allowed: true,
    state: next,
    headers: {
      "X-RateLimit-Limit": String(limit.requests),
      "X-RateLimit-Remaining": String(limit.requests - next.used),
      "X-RateLimit-Reset": String(resetSeconds),
    },
  };
}

/** Reads `N/S` (e.g. `3000/3`): at most N requests per S seconds. `option` names the setting in the error. */
export function parseRateLimit(text: string, option = "--rate-limit"): RateLimit {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) throw new Error(`${option} "${text}" must be N/S with N ≥ 1 requests per S > 0 seconds, e.g. 3000/3`);
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
