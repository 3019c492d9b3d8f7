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
 * an alias attached to it), an alias-only profile (`alias` alone), or an
 * email-only or phone-only profile (`email` or `phone` alone, never beside an
 * externalId or alias: there they are profile fields, under attributes). The
 * desired-state checks refuse a user with none of them.
 */
export interface UserIdentity {
  /** Braze's `external_id`: the identified profile with this id. */
  externalId?: string;
  alias?: UserAlias;
  /** The address of an email-only profile: /users/track addresses it by `email`. */
  email?: string;
  /** The E.164 number of a phone-only profile: /users/track addresses it by `phone`. */
  phone?: string;
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

/** What a message says a user needs, when it has no identifier. */
const NO_IDENTIFIER = "a user needs an external_id, an alias, an email or a phone";

/**
 * The key a user is stored under when it declares none: its external_id, else
 * its alias as `label/name`, else its address (email, else phone).
 */
export function defaultKey(identity: UserIdentity): string {
  if (identity.externalId !== undefined) return identity.externalId;
  if (identity.alias !== undefined) return aliasKey(identity.alias);
  const address = identity.email ?? identity.phone;
  if (address !== undefined) return address;
  throw new TypeError(NO_IDENTIFIER);
}

/**
 * The one string that names a user's Braze profile wherever users are matched
 * (a user that moved between keys or resources, one declared twice): its
 * external_id for an identified user, else its alias key, else `email <address>`
 * or `phone <number>`. The prefixes keep them apart: an alias key is
 * `label/name`, and a label that starts with "external_id ", "email " or
 * "phone " is not one anyone writes.
 */
export function identityKey(identity: UserIdentity): string {
  if (identity.externalId !== undefined) return `external_id ${identity.externalId}`;
  if (identity.alias !== undefined) return aliasKey(identity.alias);
  if (identity.email !== undefined) return `email ${identity.email}`;
  if (identity.phone !== undefined) return `phone ${identity.phone}`;
  throw new TypeError(NO_IDENTIFIER);
}

/** The kinds of identityKey that carry their kind as a prefix; an alias key carries none. */
const PREFIXED_KINDS = ["external_id", "email", "phone"] as const;

/** How messages name a user by its identityKey: `external_id u-1`, `alias qa/ada`, `email a@b.c` or `phone +1555…`. */
export function describeIdentity(identity: string): string {
  return identityKind(identity) === "alias" ? `alias ${identity}` : identity;
}

/** What kind of identifier an identityKey is, for "each alias is one Braze user". */
export function identityKind(identity: string): "external_id" | "alias" | "email" | "phone" {
  return PREFIXED_KINDS.find((kind) => identity.startsWith(`${kind} `)) ?? "alias";
}

/** The alias of a user that must have one (an alias-only user), or a TypeError naming the user. */
export function aliasOf(identity: UserIdentity): UserAlias {
  if (identity.alias === undefined) throw new TypeError(`user ${identityKey(identity)} has no alias`);
  return identity.alias;
}
