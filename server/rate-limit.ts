// Fixed-window rate limiting per API key, as Braze's headers describe it.
// Pure: every function takes `now` (ms) and returns the new state.

export interface RateLimit {
  /** Requests allowed per window. */
  requests: number;
  /** Window length in seconds. */
  perSeconds: number;
}

/** Braze's base limit for /users/track since October 2024: 3,000 requests per 3 seconds. */
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 3000, perSeconds: 3 };

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

/** Reads `N/S` (e.g. `3000/3`): at most N requests per S seconds. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) throw new Error(`--rate-limit "${text}" must be N/S with N ≥ 1 requests per S > 0 seconds, e.g. 3000/3`);
  return { requests: Number(match[1]), perSeconds: Number(match[2]) };
}

/** The windows of every key, forgetting those that ended. */
export class RateLimiter {
  readonly #windows = new Map<string, WindowState>();

  constructor(readonly limit: RateLimit) {}

  consume(key: string, now: number): RateDecision {
    const decision = consume(this.limit, this.#windows.get(key), now);
    if (this.#windows.size > 10_000) this.#forgetEnded(now);
    this.#windows.set(key, decision.state);
    return decision;
  }

  #forgetEnded(now: number): void {
    const length = this.limit.perSeconds * 1000;
    for (const [key, state] of this.#windows) if (state.windowStart + length <= now) this.#windows.delete(key);
  }
}
