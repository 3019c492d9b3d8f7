// Options of braze-local, shared by the programmatic API and the CLI.
import * as path from "node:path";
import { DEFAULT_HOST, DEFAULT_PORT } from "../braze-facts/local-server";
import { DEVELOPMENT_API_KEY, parseApiKey, type ApiKey } from "./auth";
import { parseLatency, type FaultOptions, type Latency } from "./faults";
import { DEFAULT_RATE_LIMITS, parseRateLimit, type RateLimit, type RateLimitGroup } from "./rate-limit";

// Defined with the facts the provider shares (it defaults to a local server).
export { DEFAULT_HOST, DEFAULT_PORT };

/** Folder (under the current directory) where the workspace persists without `--data-dir`; git-ignored. */
export const DEFAULT_DATA_DIR = ".braze-local";
/** Braze's classic cap per array of /users/track (75 attributes, 75 events, 75 purchases). */
export const DEFAULT_MAX_PER_ARRAY = 75;
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
  /** Objects allowed in each of attributes, events and purchases. @default 75 */
  maxPerArray?: number;
  /** Objects allowed across the three arrays together (50 models the monthly-active-users contract). @default undefined (off) */
  maxCombined?: number;
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
  maxPerArray: number;
  maxCombined?: number;
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
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
    return value;
  };
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer from 0 to 65535, got ${port}`);
  const keys = (options.apiKeys ?? []).map((key) => (typeof key === "string" ? parseApiKey(key) : key));
  const latency = options.latency ?? 0;
  return {
    host: options.host ?? DEFAULT_HOST,
    port,
    dataDir: path.resolve(options.dataDir ?? DEFAULT_DATA_DIR),
    apiKeys: keys.length > 0 ? keys : [{ key: DEVELOPMENT_API_KEY }],
    developmentKey: keys.length === 0,
    maxPerArray: positive("maxPerArray", options.maxPerArray, DEFAULT_MAX_PER_ARRAY)!,
    maxCombined: positive("maxCombined", options.maxCombined, undefined),
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
