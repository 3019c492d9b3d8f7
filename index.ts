// The package's public API for TypeScript programs.
export { BrazeUser, type BrazeUserArgs } from "./provider/user-resource";
export { BrazeUserSet, type BrazeUserSetArgs, type BrazeUserSetMember } from "./provider/user-set-resource";
export {
  aliasResourceName,
  brazeUserSetFromDesiredState,
  brazeUserSetFromFile,
  brazeUsersFromDesiredState,
  brazeUsersFromFile,
} from "./provider/desired-state-resources";
export { BrazeProfilesError, type ErrorParts } from "./errors/braze-profiles-error";
export { DesiredStateError, loadDesiredState, parseDesiredState, type DesiredState, type DesiredUser } from "./provider/desired-state";
export { toManagedAttributes, type UserAttributes } from "./provider/desired-state";
export type { AttributeValue, ManagedUser, SubscriptionState, UserAlias } from "./provider/model";
export type * from "./schema/generated/desired-state";
