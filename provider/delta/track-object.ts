// Building blocks of the /users/track attributes objects both plans send.
import type { SubscriptionGroupUpdate, TrackAttributesObject, UserAliasObject, UserIdentifier } from "../braze/wire-types";
import type { SubscriptionState, UserAlias, UserIdentity } from "../model/managed-user";

export function aliasObject(alias: UserAlias): UserAliasObject {
  return { alias_name: alias.name, alias_label: alias.label };
}

/**
 * How Braze is told which profile a user is: by its external_id when it has
 * one (an alias it also has is attached to that profile, never sent beside the
 * id: Braze's newest docs make the two mutually exclusive in one object), else
 * by its alias, else by its email, else by its phone.
 */
export function wireIdentifier(identity: UserIdentity): UserIdentifier {
  if (identity.externalId !== undefined) return { external_id: identity.externalId };
  if (identity.alias !== undefined) return { user_alias: aliasObject(identity.alias) };
  // An email-only or phone-only profile: Braze takes email over phone, and the
  // desired-state checks keep a phone-only user from holding an email.
  if (identity.email !== undefined) return { email: identity.email };
  if (identity.phone !== undefined) return { phone: identity.phone };
  throw new TypeError("a user needs an external_id, an alias, an email or a phone");
}

/**
 * An attributes object addressed to the user. A create carries
 * `_update_existing_only: false`: it is what lets Braze create an alias-only
 * user (it defaults to true for aliases), and Braze's default for an
 * external_id, said outright. An update carries `true`: sent to a user deleted
 * outside Pulumi, a `false` would recreate it holding only the delta, a partial
 * user. Skipped instead, the user shows as missing at the next refresh, and the
 * following up creates it whole.
 */
export function addressedTo(identity: UserIdentity, createIfMissing: boolean): TrackAttributesObject {
  return { ...wireIdentifier(identity), _update_existing_only: !createIfMissing };
}

/** Braze takes subscription groups as a list; sorted by id so equal plans are equal bytes. */
export function subscriptionGroupList(states: Readonly<Record<string, SubscriptionState>>): SubscriptionGroupUpdate[] {
  return Object.keys(states)
    .sort()
    .map((id) => ({ subscription_group_id: id, subscription_state: states[id] }));
}
