// The provider process's one connection to Braze, shared by every resource the
// process serves (BrazeUser and BrazeUserSet alike): one client, so one view of
// each endpoint's rate-limit window, and one set of batchers.
import { BrazeClient } from "../braze/client";
import { BrazeUsersApi } from "../braze/users-api";
import { resolveSettings, type ConfigReader, type ProviderSettings } from "./settings";

export interface Configured {
  api: BrazeUsersApi;
  settings: ProviderSettings;
}

let configured: Configured | undefined;

/**
 * One line into the `pulumi up` output: the engine shows each line a provider
 * process writes to stderr under the stack, as it happens
 * (test/e2e/request-limits.test.ts checks it).
 */
function printNotice(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Called by each provider's configure with the stack config (`braze:*`); secrets arrive as plaintext here and stay here. */
export function configureApi(config: ConfigReader): Configured {
  const settings = resolveSettings(config, process.env);
  const client = new BrazeClient({
    endpoint: settings.endpoint,
    apiKey: settings.apiKey,
    maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
    notice: printNotice,
  });
  const api = new BrazeUsersApi(client, { maxObjectsPerRequest: settings.maxObjectsPerRequest, capScope: settings.capScope, notice: printNotice });
  configured = { api, settings };
  return configured;
}

/** The configured API and settings; configured from the environment alone when the engine sent no config. */
export function configuredApi(): Configured {
  return configured ?? configureApi({ get: () => undefined });
}
