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

export interface ManagedUser {
  alias: UserAlias;
  /** Braze field names, standard + custom. */
  attributes: Record<string, AttributeValue>;
  /** Subscription group id -> state. */
  subscriptionGroups: Record<string, SubscriptionState>;
}

/** An alias as one string, `label/name`: the user's Pulumi ID and, without a key, its resource name. */
export function aliasKey(alias: UserAlias): string {
  return `${alias.label}/${alias.name}`;
}
