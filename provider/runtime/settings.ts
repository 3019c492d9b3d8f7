// Where the provider sends, with which key, batch size and rate-limit patience: from stack config
// (`braze:*`), else the environment, else the local server's defaults. Pure: the
// config reader and the environment are arguments.
import { DEFAULT_HOST, DEFAULT_PORT, DEVELOPMENT_API_KEY } from "../../braze-facts/local-server";
import { DEFAULT_MAX_RATE_LIMIT_WAIT_MS } from "../braze/client";
import { CAP_SCOPES, type CapScope } from "../braze/track-packing";
import { DEFAULT_MAX_OBJECTS_PER_REQUEST, TRACK_MAX_OBJECTS } from "../braze/users-api";
import { ALLOW_DATA_POINTS_VARIABLE, ALLOW_DELETES_VARIABLE, DEFAULT_MAX_DELETES, PLAN_PREVIEW_VARIABLE, type Budgets } from "../delta/budgets";
import { SettingsError } from "./settings-error";

/** braze-local's default address (`npx braze-local` with no options). */
export const LOCAL_DEFAULT_ENDPOINT = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

export interface ProviderSettings {
  endpoint: string;
  apiKey: string;
  /** `braze:maxObjectsPerRequest`: objects per /users/track request. */
  maxObjectsPerRequest: number;
  /** `braze:objectCapScope`: whether that cap counts attributes, events and purchases together or each array apart. */
  capScope: CapScope;
  /** `braze:maxRateLimitWaitSeconds`, in ms: the longest a request waits for Braze's rate limit. */
  maxRateLimitWaitMs: number;
  /** `braze:maxDeletes` and `braze:maxDataPoints`: what one up may delete and spend. */
  budgets: Budgets;
  /** `braze:allowLikelyRenames`: a set may delete and create a pair that looks like one user renamed without a key. */
  allowLikelyRenames: boolean;
  /** False on the preview `braze-profiles plan` runs (PLAN_PREVIEW_VARIABLE): its diff reports the guards, not refuses. */
  guardsAtPreview: boolean;
}

/** Reads `braze:<key>` from the stack config the engine hands to configure(). */
export interface ConfigReader {
  get(key: string): string | undefined;
}

export function resolveSettings(config: ConfigReader, env: Record<string, string | undefined>): ProviderSettings {
  const endpoint = (config.get("braze:restEndpoint") || env.BRAZE_REST_ENDPOINT || LOCAL_DEFAULT_ENDPOINT).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new SettingsError({ where: "braze:restEndpoint", what: `"${endpoint}" is not a URL`, hint: "use e.g. https://rest.iad-01.braze.com" });
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    throw new SettingsError({
      where: "braze:restEndpoint",
      what: `"${endpoint}" does not use https`,
      hint: "use an https URL (plain http is allowed only for a local server on loopback)",
    });
  }

  const apiKey =
    config.get("braze:apiKey") ||
    env.BRAZE_API_KEY ||
    // braze-local's public development key, and only for a loopback endpoint: a real workspace needs a real key.
    (isLoopback(url.hostname) ? DEVELOPMENT_API_KEY : undefined);
  if (!apiKey) {
    throw new SettingsError({
      where: "braze:apiKey",
      what: `no Braze API key for ${endpoint}`,
      hint:
        `run "pulumi config set --secret braze:apiKey <REST API key>" ` +
        `(the key needs users.track, users.delete, users.alias.new, users.alias.update, users.identify, users.external_ids.rename, users.external_ids.remove, users.export.ids and subscription.status.get), or set BRAZE_API_KEY`,
    });
  }

  const maxObjectsPerRequest = wholeNumber(config, "braze:maxObjectsPerRequest", "objects per /users/track request", 1) ?? DEFAULT_MAX_OBJECTS_PER_REQUEST;
  if (maxObjectsPerRequest > TRACK_MAX_OBJECTS) {
    throw new SettingsError({
      where: "braze:maxObjectsPerRequest",
      what: `"${maxObjectsPerRequest}" is more than ${TRACK_MAX_OBJECTS}, Braze's largest cap`,
      hint: `set Braze's cap for your contract, from 1 to ${TRACK_MAX_OBJECTS}; for a legacy contract's 75 attributes, 75 events and 75 purchases per request, set 75 and braze:objectCapScope per-array`,
    });
  }
  const rawScope = config.get("braze:objectCapScope");
  const capScope = rawScope === undefined || rawScope === "" ? "combined" : (rawScope as CapScope);
  if (!CAP_SCOPES.includes(capScope)) {
    throw new SettingsError({
      where: "braze:objectCapScope",
      what: `"${rawScope}" is not a way Braze counts its cap`,
      hint: `set "combined" (braze:maxObjectsPerRequest counts attributes, events and purchases together) or "per-array" (it counts each array apart, as on legacy contracts)`,
    });
  }
  const maxWaitSeconds = wholeNumber(config, "braze:maxRateLimitWaitSeconds", "the longest wait for Braze's rate limit");
  const maxRateLimitWaitMs = maxWaitSeconds === undefined ? DEFAULT_MAX_RATE_LIMIT_WAIT_MS : maxWaitSeconds * 1000;
  const budgets: Budgets = {
    maxDeletes: wholeNumber(config, "braze:maxDeletes", "the most users one up may delete") ?? DEFAULT_MAX_DELETES,
    maxDataPoints: wholeNumber(config, "braze:maxDataPoints", "the most data points one up may spend"),
    // Read from the environment only, so that allowing one command leaves no config behind.
    allowDeletes: wholeNumber({ get: (key) => env[key] }, ALLOW_DELETES_VARIABLE, "the users this one command may delete"),
    allowDataPoints: wholeNumber({ get: (key) => env[key] }, ALLOW_DATA_POINTS_VARIABLE, "the data points this one command may spend"),
  };
  const allowLikelyRenames = config.get("braze:allowLikelyRenames") ?? "";
  if (!["", "true", "false"].includes(allowLikelyRenames)) {
    throw new SettingsError({ where: "braze:allowLikelyRenames", what: `"${allowLikelyRenames}" is not true or false`, hint: "set it to true or false" });
  }
  return {
    endpoint,
    apiKey,
    maxObjectsPerRequest,
    capScope,
    maxRateLimitWaitMs,
    budgets,
    allowLikelyRenames: allowLikelyRenames === "true",
    guardsAtPreview: env[PLAN_PREVIEW_VARIABLE] !== "1",
  };
}

/** A config value that must be a whole number from `least`, or undefined when it is not set. */
export function wholeNumber(config: ConfigReader, key: string, meaning: string, least = 0): number | undefined {
  const raw = config.get(key);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < least)
    throw new SettingsError({ where: key, what: `"${raw}" is not a whole number from ${least}`, hint: `set it to a whole number from ${least} (${meaning})` });
  return value;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127\./.test(hostname);
}
