// The domain model: what a managed user is (alias, attributes, subscription
// groups, events and purchases), which attributes are Braze's standard fields,
// and how a place in the desired state is named. Plain data and pure functions;
// it depends on no other part of the provider.
export type { AttributeValue, ManagedUser, NestedObject, NestedValue, SubscriptionState, UserAlias, UserIdentity } from "./managed-user";
export { aliasKey, defaultKey, describeIdentity, identityKey, identityKind } from "./managed-user";
export { formatPropertyPath } from "./property-path";
