// Nested custom attributes: objects and arrays of objects. Pure.
//
// Rules (Braze): keys are non-empty, at most 255 characters, without spaces,
// `.` or `$` ("`.` and `$` are not allowed in keys in API payloads"; only
// `$time` is allowed, as `{"$time": "<date>"}`, and only inside the value: a
// date at the top level is a plain date string); a `$time` year at most 3000;
// string values at most 255 characters; `null` is not a valid value inside a
// nested attribute; the whole value at most 100 KB (braze-facts/limits.ts says
// how the KB are read). An invalid value anywhere
// makes the whole request's nested attribute updates be dropped (Braze's
// /users/track page says so; docs/braze-rules.md); attributes-object.ts and track-request.ts carry that out.
import { NESTED_ATTRIBUTE_MAX_BYTES } from "../../braze-facts/limits";
import { parseBrazeTime, readBrazeTime } from "../dates";
import { characterCount, hasOwn, isPlainObject, jsonBytes, setOwn, type JsonObject, type JsonValue } from "../values";

const MAX_STRING = 255;
/** Braze drops nested dates whose year is above this. */
const MAX_NESTED_YEAR = 3000;

/** The first problem with a nested value, or undefined when it is valid. */
export function nestedProblem(value: JsonValue, path: string): string | undefined {
  if (jsonBytes(value) > NESTED_ATTRIBUTE_MAX_BYTES) return `${path} is larger than 100 KB (${NESTED_ATTRIBUTE_MAX_BYTES} bytes of JSON)`;
  if (isTimeValue(value)) return `${path} is a {"$time"} date at the top level; $time is for dates inside a nested object, a top-level date is a plain string`;
  if (Array.isArray(value)) {
    const index = value.findIndex(isTimeValue);
    if (index >= 0) return `${path}[${index}] is a {"$time"} date; the items of an array of objects must be objects`;
  }
  return valueProblem(value, path);
}

function valueProblem(value: JsonValue, path: string): string | undefined {
  if (value === null) return `${path} is null; null is not a valid value inside a nested attribute`;
  if (typeof value === "string") return characterCount(value) > MAX_STRING ? `${path} is longer than 255 characters` : undefined;
  if (typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = valueProblem(value[index], `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isTimeValue(value)) {
    const time = readBrazeTime(value.$time as string);
    if (time === undefined) return `${path}.$time is not a valid date`;
    return time.writtenYear > MAX_NESTED_YEAR ? `${path}.$time has a year above ${MAX_NESTED_YEAR}, which Braze drops inside nested attributes` : undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const problem = keyProblem(key, path) ?? valueProblem(child, `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

function keyProblem(key: string, path: string): string | undefined {
  if (key === "") return `${path} has an empty key`;
  if (characterCount(key) > MAX_STRING) return `${path} has a key longer than 255 characters`;
  if (/[\s.$]/.test(key)) return `${path} has the key "${key}"; keys cannot contain spaces, "." or "$"`;
  return undefined;
}

/** A date inside a nested attribute: `{"$time": "<date>"}` (the only way to store a time there). */
export function isTimeValue(value: JsonValue): value is { $time: JsonValue } {
  return isPlainObject(value) && Object.keys(value).length === 1 && "$time" in value && typeof value.$time === "string";
}

/** The value as stored: `{$time}` dates become ISO 8601 strings in UTC. Assumes a valid value. */
export function storedNestedValue(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(storedNestedValue);
  if (!isPlainObject(value)) return value;
  if (isTimeValue(value)) return new Date(parseBrazeTime(value.$time as string)!).toISOString();
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, storedNestedValue(child)]));
}

/** Deep merge (`_merge_objects: true`): objects merge key by key; anything else in `patch` replaces. */
export function deepMerge(base: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) setOwn(merged, key, deepMerge(hasOwn(base, key) ? base[key] : undefined, value));
  return merged;
}

/** `{"$identifier_key": k, "$identifier_value": v}`: the items of an array of objects whose `k` equals `v`. */
export interface ItemCriterion {
  key: string;
  value: JsonValue;
}

/** Listed in the order Braze applies them: add, remove, update. */
export interface ObjectArrayOperations {
  add: JsonObject[];
  remove: ItemCriterion[];
  update: Array<ItemCriterion & { newObject: JsonObject }>;
}

export const OBJECT_ARRAY_OPERATORS = ["$add", "$remove", "$update"];

/** Reads `{$add, $remove, $update}`; a string is the problem that makes it invalid. */
export function readObjectArrayOperations(value: JsonObject, path: string, mergeObjects: boolean): ObjectArrayOperations | string {
  const operations: ObjectArrayOperations = { add: [], remove: [], update: [] };
  for (const [operator, list] of Object.entries(value)) {
    if (!Array.isArray(list)) return `${path}.${operator} must be a list`;
    for (const [index, item] of list.entries()) {
      const itemPath = `${path}.${operator}[${index}]`;
      if (!isPlainObject(item)) return `${itemPath} must be an object`;
      if (operator === "$add") {
        const problem = nestedProblem(item, itemPath);
        if (problem) return problem;
        operations.add.push(item);
        continue;
      }
      const key = item.$identifier_key;
      if (typeof key !== "string" || key === "" || !("$identifier_value" in item)) return `${itemPath} needs "$identifier_key" and "$identifier_value"`;
      if (operator === "$remove") {
        operations.remove.push({ key, value: item.$identifier_value });
        continue;
      }
      // Braze applies $update only with `_merge_objects: true`.
      if (!mergeObjects) return `${itemPath}: $update needs "_merge_objects": true`;
      const newObject = item.$new_object;
      if (!isPlainObject(newObject)) return `${itemPath}.$new_object must be an object`;
      const problem = nestedProblem(newObject, `${itemPath}.$new_object`);
      if (problem) return problem;
      operations.update.push({ key, value: item.$identifier_value, newObject });
    }
  }
  return operations;
}

/**
 * Applies the operations to a stored array of objects in Braze's documented
 * order: additions, then removals, then updates (a deep merge into every
 * matching item). So `$remove` and `$add` of the same item in one request do
 * not replace it: the removal also removes the item just added. Braze's
 * product team confirmed the order, and that "remove > add cannot be relied
 * upon for upserting" (https://github.com/braze-inc/braze-docs/issues/11289).
 */
export function applyObjectArrayOperations(current: JsonValue | undefined, operations: ObjectArrayOperations): JsonValue[] {
  let items: JsonValue[] = [...(Array.isArray(current) ? current : []), ...operations.add.map(storedNestedValue)];
  const matches = (item: JsonValue, criterion: ItemCriterion) =>
    isPlainObject(item) && JSON.stringify(item[criterion.key]) === JSON.stringify(storedNestedValue(criterion.value));
  for (const criterion of operations.remove) items = items.filter((item) => !matches(item, criterion));
  for (const update of operations.update) {
    items = items.map((item) => (matches(item, update) ? deepMerge(item, storedNestedValue(update.newObject)) : item));
  }
  return items;
}
