// Building blocks of the /users/track attributes objects both plans send.
import type { SubscriptionGroupUpdate, TrackAttributesObject, UserAliasObject } from "../braze/wire-types";
import type { SubscriptionState, UserAlias } from "./managed-user";

export function aliasObject(alias: UserAlias): UserAliasObject {
  return { alias_name: alias.name, alias_label: alias.label };
}

/**
 * An attributes object addressed by alias. `_update_existing_only: false` is
 * what lets Braze create an alias-only user (it defaults to true for aliases):
 * a create needs it, and an update carries it too so that a user deleted out of
 * band is recreated rather than the update silently skipped while Pulumi records
 * it as applied. The recreated user holds only that delta; the next refresh
 * reads the rest as missing and the following update sends it.
 */
export function addressedTo(alias: UserAlias): TrackAttributesObject {
  return { user_alias: aliasObject(alias), _update_existing_only: false };
}

/** Braze takes subscription groups as a list; sorted by id so equal plans are equal bytes. */
export function subscriptionGroupList(states: Readonly<Record<string, SubscriptionState>>): SubscriptionGroupUpdate[] {
  return Object.keys(states)
    .sort()
    .map((id) => ({ subscription_group_id: id, subscription_state: states[id] }));
}
