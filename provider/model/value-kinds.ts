// Classifies attribute values by the Braze type they are sent as; the delta
// rules differ per type (strings and numbers are set, string arrays are set
// whole, nested objects may be merged).
import type { AttributeValue, NestedObject, NestedValue } from "./managed-user";
import { CONTROL_KEYS, standardAttribute } from "./standard-attributes";

export function isPlainObject(value: unknown): value is NestedObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A date inside a nested object, `{ $time: "<date>" }`: compared and sent as one leaf value. */
export function isTimeValue(value: unknown): value is { $time: string } {
  return isPlainObject(value) && Object.keys(value).length === 1 && typeof value.$time === "string";
}

/** A nested object whose keys are merged one by one (not a `$time` leaf). */
export function isMergeableObject(value: NestedValue | AttributeValue | undefined): value is NestedObject {
  return isPlainObject(value) && !isTimeValue(value);
}

export function isObjectArray(value: AttributeValue): value is NestedObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}

/**
 * True for what Braze treats as a nested custom attribute update: an object or
 * an array of objects under a custom attribute key. The one predicate for it,
 * for the plan and the send path alike: when one nested update of a request is
 * invalid Braze drops every nested update of that request, so only these are
 * at risk. Not nested: identifiers and control keys (`user_alias`),
 * `subscription_groups` (a list of objects, but subscription states), and
 * standard fields, `current_location` included ({longitude, latitude} is one
 * standard value, billed and stored as the most recent location). `value` is
 * unknown rather than a wire type so that the model depends on nothing of the
 * Braze client, which asks this of the objects it sends.
 */
export function isNestedAttribute(key: string, value: unknown): boolean {
  if (CONTROL_KEYS.has(key) || key === "subscription_groups" || standardAttribute(key) !== undefined) return false;
  return isPlainObject(value) || (Array.isArray(value) && value.length > 0 && value.every(isPlainObject));
}

/** Does an attributes object carry a nested custom attribute update (see isNestedAttribute)? */
export function carriesNestedAttribute(object: object): boolean {
  return Object.entries(object).some(([key, value]) => isNestedAttribute(key, value));
}
