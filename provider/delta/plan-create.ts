import type { TrackAttributesObject } from "../braze/wire-types";
import type { ManagedUser } from "../model/managed-user";
import { addressedTo, subscriptionGroupList } from "./track-object";

/**
 * The one attributes object that creates `desired` (by external_id, else as an alias-only user): every
 * desired attribute set whole (keys sorted), and the subscription groups as a
 * list sorted by id (omitted when there are none). Arrays and nested objects are
 * sent whole, without `_merge_objects`, so that a user already holding the alias
 * ends up with exactly these values.
 */
export function planCreate(desired: ManagedUser): TrackAttributesObject {
  const object = addressedTo(desired, true);
  for (const key of Object.keys(desired.attributes).sort()) object[key] = desired.attributes[key];
  const groups = subscriptionGroupList(desired.subscriptionGroups);
  if (groups.length > 0) object.subscription_groups = groups;
  return object;
}
