// A model of how Braze applies one attributes object to a profile, limited to
// what the plans send: set, null unsets, `_merge_objects` deep-merges nested
// objects (arrays and dates replaced whole), subscription groups set by id.
// Used to check that a plan lands on exactly the desired state.
import type { TrackAttributesObject, TrackAttributeValue } from "../../../provider/braze/wire-types";
import type { AttributeValue, ManagedUser, NestedObject } from "../../../provider/model";

const CONTROL = new Set(["user_alias", "_update_existing_only", "_merge_objects", "subscription_groups"]);

export function applyTrack(held: ManagedUser, object: TrackAttributesObject): ManagedUser {
  const attributes: Record<string, AttributeValue> = structuredClone(held.attributes);
  for (const [key, value] of Object.entries(object)) {
    if (CONTROL.has(key) || value === undefined) continue;
    const sent = value as TrackAttributeValue;
    if (sent === null) delete attributes[key];
    else if (object._merge_objects === true && isObject(sent) && isObject(attributes[key])) {
      attributes[key] = deepMerge(attributes[key] as NestedObject, sent as NestedObject);
    } else attributes[key] = structuredClone(sent) as AttributeValue;
  }
  const subscriptionGroups = { ...held.subscriptionGroups };
  for (const group of object.subscription_groups ?? []) subscriptionGroups[group.subscription_group_id] = group.subscription_state;
  return {
    ...(object.external_id !== undefined ? { externalId: object.external_id } : {}),
    ...(object.user_alias ? { alias: { name: object.user_alias.alias_name, label: object.user_alias.alias_label } } : held.alias ? { alias: held.alias } : {}),
    attributes,
    subscriptionGroups,
  };
}

function deepMerge(into: NestedObject, patch: NestedObject): NestedObject {
  const result: NestedObject = structuredClone(into);
  for (const [key, value] of Object.entries(patch)) {
    const current = result[key];
    result[key] = isObject(value) && !("$time" in value) && isObject(current) && !("$time" in current) ? deepMerge(current, value) : structuredClone(value);
  }
  return result;
}

function isObject(value: unknown): value is NestedObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
