// Building blocks of the /users/track attributes objects both plans send.
import type { SubscriptionGroupUpdate, TrackAttributesObject, UserAliasObject } from "../braze/wire-types";
import type { SubscriptionState, UserAlias } from "../model/managed-user";

export function aliasObject(alias: UserAlias): UserAliasObject {
  return { alias_name: alias.name, alias_label: alias.label };
}

/**
 * An attributes object addressed by alias. `_update_existing_only: false` is
 * what lets Braze create an alias-only user (it defaults to true for aliases), so
 * a create carries it. An update carries `true`: sent to a user deleted outside
 * Pulumi, a `false` would recreate it holding only the delta, a partial user.
 * Skipped instead, the user shows as missing at the next refresh, and the
 * following up creates it whole.
 */
export function addressedTo(alias: UserAlias, createIfMissing: boolean): TrackAttributesObject {
  return { user_alias: aliasObject(alias), _update_existing_only: !createIfMissing };
}

/** Braze takes subscription groups as a list; sorted by id so equal plans are equal bytes. */
export function subscriptionGroupList(states: Readonly<Record<string, SubscriptionState>>): SubscriptionGroupUpdate[] {
  return Object.keys(states)
    .sort()
    .map((id) => ({ subscription_group_id: id, subscription_state: states[id] }));
}
