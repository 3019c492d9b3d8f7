// Options of braze-local, shared by the programmatic API and the CLI.
import * as path from "node:path";
import { DEFAULT_STRING_ARRAY_MAX_ITEMS } from "../braze-facts/limits";
import { DEFAULT_HOST, DEFAULT_PORT } from "../braze-facts/local-server";
import { DEVELOPMENT_API_KEY, parseApiKey, type ApiKey } from "./auth";
import { parseLatency, type FaultOptions, type Latency } from "./faults";
import {
  DEFAULT_RATE_LIMITS,
  hourlyRateLimitProblem,
  parseHourlyRateLimit,
  parseRateLimit,
  type HourlyRateLimit,
  type RateLimit,
  type RateLimitGroup,
} from "./rate-limit";
import { DEFAULT_REQUEST_CAP, parseRequestCapRegime, type RequestCapRegime } from "./track/request-caps";
import { OptionError } from "./errors/option-error";

// Defined with the facts the provider shares (it defaults to a local server; its
// string array cap defaults to the same workspace setting).
export { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STRING_ARRAY_MAX_ITEMS };

/** Folder (under the current directory) where the workspace persists without `--data-dir`; git-ignored. */
export const DEFAULT_DATA_DIR = ".braze-local";
export { DEFAULT_REQUEST_CAP };
/** Longest delay before a queued /users/track request is applied in asynchronous processing, in ms. */
export const DEFAULT_ASYNC_MAX_DELAY_MS = 1000;
/**
 * Largest request body accepted. Braze caps objects per request rather than
 * bytes; 75 objects of 100 KB nested attributes each fit in 8 MiB.
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Deepest JSON nesting accepted in a request body: far beyond any real attribute, short of exhausting the stack. */
export const MAX_NESTING_DEPTH = 64;

export interface BrazeLocalOptions {
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 4011 */
  port?: number;
  /** Folder holding the workspace database (created when missing). @default ".braze-local" under the current directory */
  dataDir?: string;
  /**
   * Accepted API keys, as `{key, permissions}` or `KEY` / `KEY:perm1,perm2`
   * strings; a key without permissions has every user-data permission.
   * @default [DEVELOPMENT_API_KEY]
   */
  apiKeys?: ReadonlyArray<string | ApiKey>;
  /**
   * How many objects one /users/track request may carry: `"per-array-75"`
   * (legacy: 75 attributes, 75 events, 75 purchases), `"combined-75"` (75
   * across the three arrays, Braze's current default) or `"combined-50"`
   * (Monthly Active Users CY 24-25 contracts). Over it: 400 "Max Input Length Exceeded".
   * @default "combined-75"
   */
  requestCap?: RequestCapRegime;
  /** Most items a string array attribute keeps (the workspace's setting); older values are dropped past it. @default 500 */
  stringArrayMaxItems?: number;
  /**
   * The hourly window of a Monthly Active Users CY 24-25 contract on
   * /users/track, as `{requests, remaining?, resetSeconds?}` or
   * `"N[:REMAINING[:RESET_SECONDS]]"`: its X-RateLimit-* headers then describe
   * that window, and a spent window answers 429. The burst limit (`rateLimit`)
   * still applies. @default none
   */
  hourlyRateLimit?: HourlyRateLimit | string;
  /**
   * When /users/track requests are applied. `"immediate"`: before the answer.
   * `"async"`: Braze answers at once and processes later; each request is
   * applied after a random delay up to `asyncMaxDelayMs`, so requests can be
   * applied out of order. @default "immediate"
   */
  processing?: "immediate" | "async";
  /** Longest delay of asynchronous processing, in ms. @default 1000 */
  asyncMaxDelayMs?: number;
  /** Seed of the delays of asynchronous processing; the same seed gives the same delays for the same requests. @default 1 */
  asyncSeed?: number;
  /** /users/track requests per window per API key, as `{requests, perSeconds}` or `"N/S"`. @default "3000/3" */
  rateLimit?: RateLimit | string;
  /** /users/export/ids requests per window per API key. @default "250/60" */
  exportRateLimit?: RateLimit | string;
  /** Requests per window per API key to /users/delete, /users/alias/new, /users/alias/update and /users/identify together. @default "20000/60" */
  identityRateLimit?: RateLimit | string;
  /** Injected faults. @default none */
  faults?: FaultOptions;
  /** Added latency per API request: milliseconds, `"MS"`, `"MIN-MAX"` or `{minMs, maxMs}`. @default 0 */
  latency?: number | string | Latency;
  /** Largest request body in bytes; bigger ones get a 413. @default 8 MiB */
  maxBodyBytes?: number;
  /** Clock in ms since the epoch (tests pin it). @default Date.now */
  now?: () => number;
  /**
   * Where log lines go: one per API request (method, path, status, time taken;
   * never a header or a body) and internal errors.
   * @default a line on stderr
   */
  log?: (line: string) => void;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  dataDir: string;
  apiKeys: ApiKey[];
  /** True when no key was given and the development key is in use. */
  developmentKey: boolean;
  requestCap: RequestCapRegime;
  stringArrayMaxItems: number;
  hourlyRateLimit?: HourlyRateLimit;
  processing: { mode: "immediate" } | { mode: "async"; maxDelayMs: number; seed: number };
  /** The limit of each endpoint group (rate-limit.ts). */
  rateLimits: Record<RateLimitGroup, RateLimit>;
  faults: FaultOptions;
  latency: Latency;
  maxBodyBytes: number;
  now: () => number;
  log: (line: string) => void;
}

export function resolveOptions(options: BrazeLocalOptions = {}): ResolvedOptions {
  const positive = (name: string, value: number | undefined, fallback: number | undefined) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) throw new OptionError(name, `must be a positive integer, got ${value}`);
    return value;
  };
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new OptionError("port", `must be an integer from 0 to 65535, got ${port}`, "use 0 to pick a free port");
  const keys = (options.apiKeys ?? []).map((key) => (typeof key === "string" ? parseApiKey(key) : key));
  const latency = options.latency ?? 0;
  return {
    host: options.host ?? DEFAULT_HOST,
    port,
    dataDir: path.resolve(options.dataDir ?? DEFAULT_DATA_DIR),
    apiKeys: keys.length > 0 ? keys : [{ key: DEVELOPMENT_API_KEY }],
    developmentKey: keys.length === 0,
    requestCap: options.requestCap === undefined ? DEFAULT_REQUEST_CAP : parseRequestCapRegime(options.requestCap, "requestCap"),
    stringArrayMaxItems: positive(
      "stringArrayMaxItems (the workspace's most items per string array attribute)",
      options.stringArrayMaxItems,
      DEFAULT_STRING_ARRAY_MAX_ITEMS,
    )!,
    hourlyRateLimit: hourlyOption(options.hourlyRateLimit),
    processing: processingOption(options),
    rateLimits: {
      ...DEFAULT_RATE_LIMITS,
      ...rateLimitOption("track", options.rateLimit, "--rate-limit (rateLimit)"),
      ...rateLimitOption("export", options.exportRateLimit, "--export-rate-limit (exportRateLimit)"),
      ...rateLimitOption("identity", options.identityRateLimit, "--identity-rate-limit (identityRateLimit)"),
    },
    faults: options.faults ?? {},
    latency: typeof latency === "number" ? { minMs: latency, maxMs: latency } : typeof latency === "string" ? parseLatency(latency) : latency,
    maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES)!,
    now: options.now ?? Date.now,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

function rateLimitOption(group: RateLimitGroup, value: RateLimit | string | undefined, name: string): Partial<Record<RateLimitGroup, RateLimit>> {
  if (value === undefined) return {};
  return { [group]: typeof value === "string" ? parseRateLimit(value, name) : value };
}

function hourlyOption(value: HourlyRateLimit | string | undefined): HourlyRateLimit | undefined {
  if (value === undefined || typeof value === "string")
    return value === undefined ? undefined : parseHourlyRateLimit(value, "--hourly-rate-limit (hourlyRateLimit)");
  const problem = hourlyRateLimitProblem(value);
  if (problem) throw new OptionError("hourlyRateLimit", `${JSON.stringify(value)} ${problem}`);
  return value;
}

function processingOption(options: BrazeLocalOptions): ResolvedOptions["processing"] {
  const mode = options.processing ?? "immediate";
  if (mode === "immediate") {
    if (options.asyncMaxDelayMs !== undefined || options.asyncSeed !== undefined)
      throw new OptionError("asyncMaxDelayMs", "and asyncSeed apply only to asynchronous processing", 'set processing: "async", or leave both out');
    return { mode };
  }
  if (mode !== "async") throw new OptionError("processing", `must be "immediate" or "async", got ${JSON.stringify(mode)}`);
  const maxDelayMs = options.asyncMaxDelayMs ?? DEFAULT_ASYNC_MAX_DELAY_MS;
  if (!Number.isInteger(maxDelayMs) || maxDelayMs < 0)
    throw new OptionError("asyncMaxDelayMs", `must be a whole number of milliseconds ≥ 0, got ${maxDelayMs}`);
  const seed = options.asyncSeed ?? 1;
  if (!Number.isInteger(seed)) throw new OptionError("asyncSeed", `must be an integer, got ${seed}`);
  return { mode, maxDelayMs, seed };
}
