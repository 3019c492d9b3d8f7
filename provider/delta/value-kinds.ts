// Classifies attribute values by the Braze type they are sent as; the delta
// rules differ per type (strings and numbers are set, string arrays are set
// whole, nested objects may be merged).
import type { AttributeValue, NestedObject, NestedValue } from "./managed-user";

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

/** True for values Braze stores as nested custom attributes: objects and arrays of objects. */
export function isNestedAttribute(key: string, value: AttributeValue): boolean {
  return key !== "current_location" && (isPlainObject(value) || isObjectArray(value));
}
