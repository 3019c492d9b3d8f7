// Applies the updates of one attributes object to a profile. Pure: it changes
// the profile it is given and touches nothing else.
import { randomUUID } from "node:crypto";
import type { Profile } from "../store/profile";
import { cloneJson, setOwn, type JsonValue } from "../values";
import type { AttributeUpdate } from "./attributes-object";
import { applyObjectArrayOperations, deepMerge, storedNestedValue } from "./nested-attributes";
import { mergePushTokens } from "./push-tokens";

/** The subscription changes an update made, for spreading them to users sharing the email. */
export interface SubscriptionChanges {
  email_subscribe?: Profile["email_subscribe"];
  groups: Array<{ id: string; state: "subscribed" | "unsubscribed" }>;
}

/** `stringArrayMaxItems`: the workspace's cap on a string array; past it the oldest values are dropped. */
export function applyAttributeUpdates(
  profile: Profile,
  updates: readonly AttributeUpdate[],
  mergeObjects: boolean,
  stringArrayMaxItems: number,
): SubscriptionChanges {
  const changes: SubscriptionChanges = { groups: [] };
  for (const { key, scope, operation } of updates) {
    if (scope === "groups") {
      if (operation.type !== "groups") throw new Error(`subscription_groups cannot take a ${operation.type} operation`);
      applyGroups(profile, operation.groups);
      changes.groups.push(...operation.groups);
      continue;
    }
    if (scope === "standard" && (key === "email_subscribe" || key === "push_subscribe")) {
      if (operation.type !== "set") throw new Error(`${key} cannot take a ${operation.type} operation`);
      profile[key] = operation.value as Profile["email_subscribe"];
      if (key === "email_subscribe") changes.email_subscribe = profile[key];
      continue;
    }
    if (scope === "standard" && key === "push_tokens") {
      if (operation.type !== "set" || !Array.isArray(operation.value)) throw new Error(`push_tokens cannot take a ${operation.type} operation`);
      profile.standard.push_tokens = mergePushTokens(profile.standard.push_tokens, operation.value, randomUUID) as unknown as JsonValue;
      continue;
    }
    const values = scope === "standard" ? profile.standard : profile.custom;
    const current = Object.hasOwn(values, key) ? values[key] : undefined;
    switch (operation.type) {
      case "set":
        // A custom list of strings (lists of objects are "nested") keeps its newest values up to the cap.
        setOwn(values, key, scope === "custom" && isStringList(operation.value) ? newest(operation.value, stringArrayMaxItems) : cloneJson(operation.value));
        break;
      case "unset":
        delete values[key];
        break;
      case "inc":
        setOwn(values, key, (typeof current === "number" ? current : 0) + operation.by);
        break;
      case "strings":
        setOwn(values, key, newest(applyStringArrayOperation(current, operation.add, operation.remove), stringArrayMaxItems));
        break;
      case "nested": {
        const value = storedNestedValue(operation.value);
        // Without `_merge_objects: true` a nested object replaces the stored one.
        setOwn(values, key, mergeObjects ? deepMerge(current, value) : value);
        break;
      }
      case "objects":
        setOwn(values, key, applyObjectArrayOperations(current, operation.operations));
        break;
      case "groups":
        throw new Error(`${key} cannot take a groups operation`);
      default: {
        const unknownOperation: never = operation;
        throw new Error(`unknown operation ${JSON.stringify(unknownOperation)}`);
      }
    }
  }
  return changes;
}

export function applyGroups(profile: Profile, groups: SubscriptionChanges["groups"]): void {
  for (const { id, state } of groups) profile.subscription_groups[id] = state;
}

function isStringList(value: JsonValue): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** The last `max` items: Braze drops the oldest values of a string array over the workspace's cap. */
function newest(values: readonly string[], max: number): string[] {
  return values.slice(Math.max(0, values.length - max));
}

/**
 * `{add, remove}` on a string array: removals first, then additions; a value
 * added that is already there moves to the end.
 */
function applyStringArrayOperation(current: JsonValue | undefined, add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove);
  const added = new Set(add);
  const kept = (Array.isArray(current) ? current : []).filter((item): item is string => typeof item === "string" && !removed.has(item) && !added.has(item));
  return [...kept, ...added];
}
