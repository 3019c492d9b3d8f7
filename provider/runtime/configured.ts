// The provider process's one connection to Braze, shared by every resource the
// process serves (BrazeUser and BrazeUserSet alike): one client, so one view of
// each endpoint's rate-limit window, and one set of batchers.
import { BrazeClient } from "../braze/client";
import { BrazeUsersApi } from "../braze/users-api";
import { resolveSettings, type ConfigReader } from "./settings";

let api: BrazeUsersApi | undefined;

/** Called by each provider's configure with the stack config (`braze:*`); secrets arrive as plaintext here and stay here. */
export function configureApi(config: ConfigReader): BrazeUsersApi {
  const settings = resolveSettings(config, process.env);
  const client = new BrazeClient({ endpoint: settings.endpoint, apiKey: settings.apiKey });
  api = new BrazeUsersApi(client, { maxObjectsPerRequest: settings.maxObjectsPerRequest, exportsSubscriptionGroups: settings.exportsSubscriptionGroups });
  return api;
}

/** The configured API; configured from the environment alone when the engine sent no config. */
export function configuredApi(): BrazeUsersApi {
  return api ?? configureApi({ get: () => undefined });
}
