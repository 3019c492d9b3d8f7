// What the serialized dynamic provider loads by package name at run time
// ("pulumi-braze-profiles/provider-runtime"). Module state here is shared by every
// resource in the provider process, which is what lets one batcher coalesce them.
import { BrazeClient } from "../braze/client";
import { BrazeUsersApi } from "../braze/users-api";
import { resolveSettings, type ConfigReader } from "./settings";
import { UserProvider } from "./user-provider";

let provider: UserProvider | undefined;

/** Called once per provider process with the stack config (`braze:*`); secrets arrive as plaintext here and stay here. */
export function configure(config: ConfigReader): void {
  const settings = resolveSettings(config, process.env);
  const client = new BrazeClient({ endpoint: settings.endpoint, apiKey: settings.apiKey });
  provider = new UserProvider(
    new BrazeUsersApi(client, { maxObjectsPerRequest: settings.maxObjectsPerRequest, exportsSubscriptionGroups: settings.exportsSubscriptionGroups }),
  );
}

/** The configured provider; configures from the environment alone when the engine sent no config. */
export function userProvider(): UserProvider {
  if (!provider) configure({ get: () => undefined });
  return provider!;
}
