// The one send path to Braze: auth, rate-limit pacing, retries and error mapping
// live here and nowhere else. Every bound is a named constant with its reason.
import { BrazeRequestError } from "./errors/braze-request-error";
import { BrazeUnreachableError } from "./errors/braze-unreachable-error";
import { RateLimitWaitError } from "./errors/rate-limit-wait-error";
import { backoffMs, nextRequestNotBefore, serverRequestedWaitMs } from "./retry-timing";

/** Attempts per request, the first included: enough to ride out a 3-second rate-limit window and a short 5xx burst. */
export const MAX_ATTEMPTS = 6;
/** Total time one request may spend retrying (ms); past it the resource fails and the next `pulumi up` sends it again. */
export const RETRY_BUDGET_MS = 120_000;
/** One attempt's time limit (ms); Braze answers /users/track in well under a second when healthy. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The longest a request waits for Braze's rate limit (ms) unless
 * `braze:maxRateLimitWaitSeconds` says otherwise: an hourly window spent can
 * hold the next request for up to an hour, which a `pulumi up` should not sit
 * through unasked. Past it the request is not sent and the run fails cleanly.
 */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 300_000;
/** A wait at least this long (ms) is announced: shorter ones are a 3-second burst window or a backoff step. */
export const WAIT_NOTICE_MIN_MS = 5_000;
/** While a wait lasts, it is announced again this often (ms), so a long `pulumi up` never looks hung. */
export const WAIT_NOTICE_INTERVAL_MS = 30_000;

/** Statuses worth another attempt: rate limited, or a server/gateway fault Braze documents as transient. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Connection failures that mean "nothing listens there": retrying cannot help. */
// EAI_AGAIN (a temporary DNS failure) is not among them: it is retried.
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH"]);

export interface BrazeClientOptions {
  /** REST endpoint, e.g. `https://rest.iad-01.braze.com` or `http://127.0.0.1:4011`. */
  endpoint: string;
  apiKey: string;
  /** Injected for tests. */
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** One attempt's time limit (ms). @default REQUEST_TIMEOUT_MS */
  requestTimeoutMs?: number;
  /** The longest wait for the rate limit before a request fails unsent (ms). @default DEFAULT_MAX_RATE_LIMIT_WAIT_MS */
  maxRateLimitWaitMs?: number;
  /** Where announcements of long waits go (one line each): the `pulumi up` output. @default nowhere */
  notice?: (line: string) => void;
}

export interface PostOptions {
  /**
   * Whether a 5xx or a dropped connection is retried. False for requests that
   * carry events or purchases: Braze never de-duplicates them, so one whose
   * outcome is unknown is checked before it is sent again (a 429 was not applied,
   * and is always retried). @default true
   */
  resendWhenOutcomeUnknown?: boolean;
}

/** What happened to one request, for tests and statistics. */
export interface SentRequest {
  path: string;
  attempts: number;
  status: number;
}

export class BrazeClient {
  readonly endpoint: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #maxWaitMs: number;
  readonly #notice: (line: string) => void;
  /** Per path: the end of the wait last announced, and when, so that requests waiting together announce it once. */
  readonly #announced = new Map<string, { until: number; at: number }>();
  /**
   * Per endpoint: when its rate-limit window was last seen spent, the time it
   * resets. Braze limits each endpoint (or group of endpoints) on its own, so a
   * spent /users/export/ids window must not hold back /users/track.
   */
  readonly #notBefore = new Map<string, number>();
  readonly sent: SentRequest[] = [];

  constructor(options: BrazeClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.#maxWaitMs = options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS;
    this.#notice = options.notice ?? (() => undefined);
  }

  /**
   * POSTs `body` as JSON and returns the parsed 2xx answer. Retries 429 (after the
   * wait Braze asks for), 5xx and dropped connections (with jittered backoff) within
   * MAX_ATTEMPTS and RETRY_BUDGET_MS. Retrying is safe for attributes: every
   * attributes delta is idempotent (sets, nulls, whole arrays, merged objects;
   * never `inc`), so an object applied before a dropped answer applies to the
   * same result again. Events and purchases are not: see PostOptions.
   */
  post<T>(path: string, body: unknown, options: PostOptions = {}): Promise<T> {
    return this.#send<T>("POST", path, "", JSON.stringify(body), options.resendWhenOutcomeUnknown ?? true);
  }

  /**
   * GETs `path` with `query` and returns the parsed 2xx answer: the same pacing,
   * retries and error mapping as post, the rate limit kept per path (the query
   * aside). A read changes nothing, so its retries are always safe.
   */
  get<T>(path: string, query: URLSearchParams): Promise<T> {
    const search = query.toString();
    return this.#send<T>("GET", path, search === "" ? "" : `?${search}`, undefined, true);
  }

  async #send<T>(method: "GET" | "POST", path: string, search: string, payload: string | undefined, resendUnknown: boolean): Promise<T> {
    const started = this.#now();
    for (let attempt = 1; ; attempt++) {
      const notBefore = this.#notBefore.get(path) ?? 0;
      if (notBefore > this.#now()) {
        const reason = `the rate-limit window of ${method} ${path} is spent (X-RateLimit-Remaining: 0)`;
        if (notBefore - this.#now() > this.#maxWaitMs) throw new RateLimitWaitError(path, notBefore, notBefore - this.#now(), this.#maxWaitMs, reason);
        await this.#waitUntil(method, path, notBefore, "its rate-limit window is spent (X-RateLimit-Remaining: 0) until it resets");
      }

      let response: Response;
      let answer: unknown;
      try {
        response = await this.#fetch(`${this.endpoint}${path}${search}`, {
          method,
          headers: {
            ...(payload !== undefined ? { "Content-Type": "application/json" } : {}),
            Accept: "application/json",
            Authorization: `Bearer ${this.#apiKey}`,
          },
          ...(payload !== undefined ? { body: payload } : {}),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        // Inside the try: a connection dropped while the body streams in is a
        // dropped connection too, and is retried like one.
        answer = await readBody(response);
      } catch (error) {
        const code = connectionErrorCode(error);
        if (code && UNREACHABLE_CODES.has(code)) throw new BrazeUnreachableError(this.endpoint, code, { cause: error });
        if (code === "ETIMEDOUT") {
          // The request may still be running at Braze: a resend now could race it
          // (two creates of one alias in flight at once). The outcome stays
          // unknown, and the next run sends the affected values whole.
          throw new BrazeRequestError(
            path,
            undefined,
            undefined,
            attempt,
            `(timed out after ${this.#timeoutMs / 1000} s; not resent in this run, since the first attempt may still be running at Braze)`,
            { cause: error, method },
          );
        }
        const delay = backoffMs(attempt, this.#random);
        if (!resendUnknown || !this.#mayRetry(attempt, started, delay)) {
          throw new BrazeRequestError(path, undefined, undefined, attempt, `connection failed: ${code ?? describe(error)}`, { cause: error, method });
        }
        await this.#waitUntil(method, path, this.#now() + delay, `retrying after a failed connection (${code ?? describe(error)})`);
        continue;
      }

      const now = this.#now();
      if (response.ok) {
        this.#holdBack(path, nextRequestNotBefore(response.headers, now));
        this.sent.push({ path, attempts: attempt, status: response.status });
        return answer as T;
      }
      const reason = brazeMessage(answer) ?? response.statusText;
      // A 5xx may come after Braze applied the request: only a 429 is known not to be.
      if (!RETRYABLE_STATUSES.has(response.status) || (!resendUnknown && response.status !== 429)) {
        throw new BrazeRequestError(path, response.status, answer, attempt, reason, { method });
      }
      const requested = response.status === 429 ? serverRequestedWaitMs(response.headers, now) : undefined;
      if (requested !== undefined && requested > this.#maxWaitMs) {
        throw new RateLimitWaitError(path, now + requested, requested, this.#maxWaitMs, `Braze answered 429 (${reason}) and asks to wait`);
      }
      const delay = requested ?? backoffMs(attempt, this.#random);
      if (!this.#mayRetry(attempt, started, delay)) {
        throw new BrazeRequestError(path, response.status, answer, attempt, reason, { method });
      }
      if (requested !== undefined) this.#holdBack(path, now + requested);
      await this.#waitUntil(
        method,
        path,
        now + delay,
        requested !== undefined
          ? "Braze answered 429 (rate limited) and asks to wait (X-Ratelimit-Retry-After)"
          : `retrying after ${response.status} ${reason}`,
      );
    }
  }

  /**
   * Sleeps until `until`, announcing a wait of WAIT_NOTICE_MIN_MS or more when it
   * starts and every WAIT_NOTICE_INTERVAL_MS while it lasts: "<method> <path> waits
   * until <time> (<n> s left): <why>". Requests of one path waiting for the same
   * moment share the announcement.
   */
  async #waitUntil(method: string, path: string, until: number, why: string): Promise<void> {
    // Counted down by the slices slept rather than re-read from the clock, so an injected sleep that moves no clock still ends.
    for (let left = until - this.#now(); left > 0; ) {
      const at = until - left;
      const last = this.#announced.get(path);
      if (left >= WAIT_NOTICE_MIN_MS && (!last || last.until !== until || at - last.at >= WAIT_NOTICE_INTERVAL_MS)) {
        this.#announced.set(path, { until, at });
        this.#notice(`braze: ${method} ${path} waits until ${new Date(until).toISOString()} (${Math.ceil(left / 1000)} s left): ${why}`);
      }
      const slice = Math.min(left, WAIT_NOTICE_INTERVAL_MS);
      await this.#sleep(slice);
      left -= slice;
    }
  }

  #holdBack(path: string, until: number): void {
    this.#notBefore.set(path, Math.max(this.#notBefore.get(path) ?? 0, until));
  }

  #mayRetry(attempt: number, started: number, delay: number): boolean {
    return attempt < MAX_ATTEMPTS && this.#now() + delay - started <= RETRY_BUDGET_MS;
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function brazeMessage(body: unknown): string | undefined {
  if (body && typeof body === "object" && typeof (body as { message?: unknown }).message === "string") {
    return (body as { message: string }).message;
  }
  return typeof body === "string" && body.length > 0 ? body.slice(0, 200) : undefined;
}

/** The system error code behind a failed fetch (undici wraps it in `cause`). */
function connectionErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (name === "TimeoutError") return "ETIMEDOUT";
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
