// The domain model of one managed user: what the desired-state file declares and
// what Pulumi records in state after each apply. Plain JSON data, no classes, so
// it serializes into Pulumi state unchanged.

export interface UserAlias {
  name: string;
  label: string;
}

export type SubscriptionState = "subscribed" | "unsubscribed";

/** A value inside a nested custom attribute; dates are `{ $time: "<date>" }`. Never null. */
export type NestedValue = string | number | boolean | NestedValue[] | NestedObject;

export interface NestedObject {
  [key: string]: NestedValue;
}

/**
 * One attribute value, standard or custom: a string, number, boolean, array of
 * unique strings, nested object (including `current_location`), or array of
 * nested objects. Absence, not null, means "not set".
 */
export type AttributeValue = string | number | boolean | string[] | NestedObject | NestedObject[];

/**
 * Who a user is in Braze: an identified profile (`externalId`, optionally with
 * an alias attached to it) or an alias-only profile (`alias` alone). At least
 * one of the two is present; the desired-state checks refuse a user with neither.
 */
export interface UserIdentity {
  /** Braze's `external_id`: the identified profile with this id. */
  externalId?: string;
  alias?: UserAlias;
}

export interface ManagedUser extends UserIdentity {
  /** Braze field names, standard + custom. */
  attributes: Record<string, AttributeValue>;
  /** Subscription group id -> state. */
  subscriptionGroups: Record<string, SubscriptionState>;
}

/** An alias as one string, `label/name`: the user's Pulumi ID and, without a key, its resource name. */
export function aliasKey(alias: UserAlias): string {
  return `${alias.label}/${alias.name}`;
}

/**
 * The key a user is stored under when it declares none: its external_id, else
 * its alias as `label/name`.
 */
export function defaultKey(identity: UserIdentity): string {
  if (identity.externalId !== undefined) return identity.externalId;
  if (identity.alias !== undefined) return aliasKey(identity.alias);
  throw new TypeError("a user needs an external_id or an alias");
}

/**
 * The one string that names a user's Braze profile wherever users are matched
 * (a user that moved between keys or resources, one declared twice): its
 * external_id for an identified user, else its alias key. The `external_id `
 * prefix keeps the two apart: an alias key is `label/name`, and a label that
 * starts with "external_id " is not one anyone writes.
 */
export function identityKey(identity: UserIdentity): string {
  if (identity.externalId !== undefined) return `external_id ${identity.externalId}`;
  if (identity.alias !== undefined) return aliasKey(identity.alias);
  throw new TypeError("a user needs an external_id or an alias");
}

/** How messages name a user by its identityKey: `external_id u-1` or `alias qa/ada`. */
export function describeIdentity(identity: string): string {
  return identity.startsWith("external_id ") ? identity : `alias ${identity}`;
}

/** What kind of identifier an identityKey is: `external_id` or `alias`, for "each alias is one Braze user". */
export function identityKind(identity: string): "external_id" | "alias" {
  return identity.startsWith("external_id ") ? "external_id" : "alias";
}

/** The alias of a user that must have one (an alias-only user), or a TypeError naming the user. */
export function aliasOf(identity: UserIdentity): UserAlias {
  if (identity.alias === undefined) throw new TypeError(`user ${identityKey(identity)} has no alias`);
  return identity.alias;
}
