// Reads one user attributes object of /users/track into the updates it asks
// for, checking every value. Pure: nothing is applied here (apply-attributes.ts).
//
// An object with an invalid value is refused as a whole (a non-fatal error
// entry naming it) rather than half-applied, except where Braze is documented
// to be lenient (standard-fields.ts) and for nested custom attributes, whose
// invalid values Braze documents as dropping the request's nested updates only.
import { readIdentifier, type Identifier } from "../identifiers";
import { firstCharacters, hasOwn, isPlainObject, type JsonObject, type JsonValue } from "../values";
import { MIN_ATTRIBUTE_POINTS, SINGLE_VALUE_POINTS, nestedKeyPoints, objectArrayPoints, stringArrayPoints } from "./data-points";
import { OBJECT_ARRAY_OPERATORS, nestedProblem, readObjectArrayOperations, type ObjectArrayOperations } from "./nested-attributes";
import { standardField } from "./standard-fields";

const MAX_STRING = 255;
/** Keys that make a top-level object an operation: `{add, remove}` on a string array, `{inc}` on a number. */
const STRING_ARRAY_AND_COUNTER_OPERATORS = ["add", "remove", "inc"];

export type AttributeOperation =
  | { type: "set"; value: JsonValue }
  | { type: "unset" }
  | { type: "inc"; by: number }
  | { type: "strings"; add: string[]; remove: string[] }
  /** A nested object (merged when `_merge_objects` is true) or a whole array of objects. */
  | { type: "nested"; value: JsonValue }
  | { type: "objects"; operations: ObjectArrayOperations }
  | { type: "groups"; groups: Array<{ id: string; state: "subscribed" | "unsubscribed" }> };

export interface AttributeUpdate {
  key: string;
  /** Where the value lives: a standard field (incl. email/push_subscribe), a custom attribute, or the subscription groups. */
  scope: "standard" | "custom" | "groups";
  operation: AttributeOperation;
  /** Data points this key costs when applied. */
  points: number;
  /** A nested custom attribute update: dropped with the others when any of the request's is invalid. */
  nested: boolean;
}

export interface AttributesObject {
  identifier: Identifier;
  /** As sent; undefined when absent. */
  updateExistingOnly: boolean | undefined;
  mergeObjects: boolean;
  updates: AttributeUpdate[];
  /** The first invalid nested custom attribute value, if any. */
  nestedProblem?: string;
}

/** Keys that address or steer the update instead of setting a value. */
const CONTROL_KEYS = new Set(["external_id", "user_alias", "braze_id", "_update_existing_only", "_merge_objects", "push_token_import"]);

/**
 * The updates of `object`, or the text of the non-fatal error that refuses it.
 * `rejected`: custom attributes refused whatever their value (an injected fault).
 */
export function readAttributesObject(object: unknown, rejected: ReadonlySet<string> = NONE): AttributesObject | string {
  if (!isPlainObject(object)) return "attributes object must be an object";
  const importProblem = pushTokenImportProblem(object);
  if (importProblem !== undefined) return importProblem;
  const identifier = readIdentifier(object);
  if (typeof identifier === "string") return identifier;
  const updateExistingOnly = object._update_existing_only;
  if (updateExistingOnly !== undefined && typeof updateExistingOnly !== "boolean") return "'_update_existing_only' must be true or false";
  const mergeObjects = object._merge_objects ?? false;
  if (typeof mergeObjects !== "boolean") return "'_merge_objects' must be true or false";

  const result: AttributesObject = { identifier, updateExistingOnly, mergeObjects, updates: [] };
  for (const [key, value] of Object.entries(object)) {
    if (CONTROL_KEYS.has(key)) continue;
    // The key that identifies the user is not an update (it is set when the user is created).
    if (key === identifier.kind) continue;
    const update =
      key === "subscription_groups"
        ? readGroups(value)
        : standardField(key)
          ? readStandard(key, value)
          : rejected.has(key)
            ? injectedRefusal(key, value)
            : readCustom(key, value, mergeObjects);
    if (typeof update === "string") return `'${key}' ${update}`;
    if (update === IGNORED) continue;
    if ("nestedProblem" in update) {
      result.nestedProblem ??= update.nestedProblem;
      continue;
    }
    result.updates.push(update);
  }
  return result;
}

/**
 * Braze's rules for `push_token_import: true`: the object must not hold an
 * `external_id` or `braze_id`, and must hold `push_tokens`; Braze then makes an
 * anonymous profile per token (https://www.braze.com/docs/help/help_articles/push/push_token_migration/).
 * A correct import is refused too, as braze-local does not model anonymous
 * device profiles. `false` is the default: push tokens of a known user.
 */
function pushTokenImportProblem(object: JsonObject): string | undefined {
  if (!hasOwn(object, "push_token_import")) return knownUserTokensProblem(object);
  const flag = object.push_token_import;
  if (typeof flag !== "boolean") return "'push_token_import' must be true or false";
  if (!flag) return knownUserTokensProblem(object);
  const identified = ["external_id", "braze_id"].filter((key) => hasOwn(object, key));
  if (identified.length > 0)
    return `'push_token_import': true cannot be sent with ${identified.map((key) => `'${key}'`).join(" or ")}; send the tokens of a known user with 'push_token_import' false or absent`;
  if (!hasOwn(object, "push_tokens")) return "'push_token_import': true needs 'push_tokens'";
  return "'push_token_import': true (anonymous push token import) is not supported by braze-local, which has no anonymous device profiles";
}

/**
 * Push tokens without the import flag are a known user's, and Braze takes them
 * only with an `external_id` ("either an external_id needs to be present, or
 * the anonymous users must have the push_token_import flag set to true",
 * https://www.braze.com/docs/help/help_articles/push/push_token_migration/):
 * an alias, email or phone alone is refused.
 */
function knownUserTokensProblem(object: JsonObject): string | undefined {
  if (!hasOwn(object, "push_tokens") || hasOwn(object, "external_id")) return undefined;
  return "'push_tokens' of a known user need 'external_id' (or 'push_token_import': true for an anonymous import)";
}

const NONE: ReadonlySet<string> = new Set();
const IGNORED = Symbol("ignored");

/** An injected refusal (faults.rejectAttributes): a nested value is an invalid nested attribute, any other value refuses the object. */
function injectedRefusal(key: string, value: JsonValue): Read {
  const message = `${key} is refused by braze-local's injected fault (rejectAttributes)`;
  const nested = isPlainObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isPlainObject));
  return nested ? { nestedProblem: message } : "is refused by braze-local's injected fault (rejectAttributes)";
}
type Read = AttributeUpdate | typeof IGNORED | { nestedProblem: string } | string;

function readStandard(key: string, value: JsonValue): Read {
  const field = standardField(key)!;
  const points = field.billable ? SINGLE_VALUE_POINTS : 0;
  if (value === null) {
    return field.nullable ? { key, scope: "standard", operation: { type: "unset" }, points, nested: false } : "cannot be unset (null)";
  }
  const outcome = field.check(value);
  switch (outcome.kind) {
    case "set":
      return { key, scope: "standard", operation: { type: "set", value: outcome.value }, points, nested: false };
    case "unset":
      return { key, scope: "standard", operation: { type: "unset" }, points, nested: false };
    case "ignore":
      return IGNORED;
    case "error":
      return outcome.message;
    default: {
      const unknownOutcome: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unknownOutcome)}`);
    }
  }
}

function readGroups(value: JsonValue): Read {
  if (!Array.isArray(value)) return "must be a list of {subscription_group_id, subscription_state}";
  const groups: Array<{ id: string; state: "subscribed" | "unsubscribed" }> = [];
  for (const entry of value) {
    const state = isPlainObject(entry) ? entry.subscription_state : undefined;
    if (
      !isPlainObject(entry) ||
      typeof entry.subscription_group_id !== "string" ||
      entry.subscription_group_id === "" ||
      (state !== "subscribed" && state !== "unsubscribed")
    ) {
      return 'entries must be {"subscription_group_id": string, "subscription_state": "subscribed" | "unsubscribed"}';
    }
    groups.push({ id: entry.subscription_group_id, state });
  }
  return { key: "subscription_groups", scope: "groups", operation: { type: "groups", groups }, points: 0, nested: false };
}

function readCustom(key: string, value: JsonValue, mergeObjects: boolean): Read {
  if (key.trim() === "") return "is not a valid attribute name";
  // Braze reserves names starting with "$" (its operators and `$time`).
  if (key.trim().startsWith("$")) return 'is not a valid attribute name: names cannot start with "$"';
  // Braze trims names and string values and truncates them after 255 characters.
  const name = firstCharacters(key.trim(), MAX_STRING);
  // Every custom attribute sent bills at least one data point, even one with no key or value to price (`{}`, `{"add": []}`).
  const custom = (operation: AttributeOperation, points: number, nested = false): AttributeUpdate => ({
    key: name,
    scope: "custom",
    operation,
    points: Math.max(MIN_ATTRIBUTE_POINTS, points),
    nested,
  });
  if (value === null) return custom({ type: "unset" }, SINGLE_VALUE_POINTS);
  if (typeof value === "string") return custom({ type: "set", value: customString(value) }, SINGLE_VALUE_POINTS);
  if (typeof value !== "object") return custom({ type: "set", value }, SINGLE_VALUE_POINTS);
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === "string")) return custom({ type: "set", value: uniqueStrings(value as string[]) }, SINGLE_VALUE_POINTS);
    if (value.every(isPlainObject)) {
      const problem = nestedProblem(value, key);
      return problem ? { nestedProblem: problem } : custom({ type: "nested", value }, nestedKeyPoints(value), true);
    }
    return "must be a list of strings or a list of objects";
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "inc") {
    return typeof value.inc === "number" ? custom({ type: "inc", by: value.inc }, SINGLE_VALUE_POINTS) : "'inc' must be a number";
  }
  if (keys.length > 0 && keys.every((operator) => operator === "add" || operator === "remove")) return readStringArrayOperation(value, custom);
  // An object mixing an operator with other keys (`{"add": [...], "tier": 1}`):
  // Braze does not say whether it reads it as the operation or as an object,
  // so it is refused rather than guessed.
  const operator = keys.find((candidate) => STRING_ARRAY_AND_COUNTER_OPERATORS.includes(candidate));
  if (operator !== undefined) return `mixes the operator "${operator}" with other keys; send the operation alone or an object without it`;
  if (keys.length > 0 && keys.every((operator) => OBJECT_ARRAY_OPERATORS.includes(operator))) {
    const operations = readObjectArrayOperations(value, key, mergeObjects);
    return typeof operations === "string" ? { nestedProblem: operations } : custom({ type: "objects", operations }, objectArrayPoints(operations), true);
  }
  const problem = nestedProblem(value, key);
  return problem ? { nestedProblem: problem } : custom({ type: "nested", value }, nestedKeyPoints(value), true);
}

function readStringArrayOperation(value: JsonObject, custom: (operation: AttributeOperation, points: number) => AttributeUpdate): Read {
  const lists: { add: string[]; remove: string[] } = { add: [], remove: [] };
  for (const operator of ["add", "remove"] as const) {
    const list = value[operator];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) return `'${operator}' must be a list of strings`;
    lists[operator] = (list as string[]).map(customString);
  }
  return custom({ type: "strings", ...lists }, stringArrayPoints(lists.add, lists.remove));
}

/** A custom string value as Braze stores it: trimmed, at most 255 characters. */
function customString(value: string): string {
  return firstCharacters(value.trim(), MAX_STRING);
}

/** A string array keeps unique values only (duplicates collapse to the first); the workspace's cap applies when it is stored (apply-attributes.ts). */
export function uniqueStrings(values: readonly string[]): string[] {
  return [...new Set(values.map(customString))];
}
