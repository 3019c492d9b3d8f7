// What `braze-profiles import` (import/) uses of the provider, and the only
// module of provider/ it imports (test/unit/layering.test.ts checks this): the
// one send path to Braze (auth, rate-limit pacing, retries), the exports by
// identifier it reads users with, the subscription groups a user has a state in
// (and how a user is named for them), and the settings' rule for an endpoint.
export { BrazeClient } from "./braze/client";
export { BrazeUsersApi, IDENTIFIERS_PER_REQUEST } from "./braze/users-api";
export { exportByContact } from "./braze/export-by-contact";
export type { ExportedUser, UserIdentifier } from "./braze/wire-types";
export { readUserGroups } from "./braze/user-subscription-groups";
export { statusIdentifierOf } from "./delta/group-reads";
export type { SubscriptionState } from "./model/managed-user";
export { resolveSettings } from "./runtime/settings";
export { SettingsError } from "./runtime/settings-error";
export { nearMissOf } from "./desired-state/attribute-names";
