// Data points Braze would bill for what a request sends (billing rules:
// https://www.braze.com/docs/user_guide/data_and_analytics/data_points/). Pure. Every billable attribute key received counts, whether or
// not it changes anything; identifiers, control keys, `email_subscribe`,
// `push_subscribe`, `subscription_groups` and push tokens are free.
import { isPlainObject, type JsonValue } from "../values";
import { isTimeValue } from "./nested-attributes";

/** A scalar, `null` or a whole array of strings: one data point. */
export const SINGLE_VALUE_POINTS = 1;

/**
 * The least any billable attribute key costs. Braze takes API data "at face
 * value" and each custom attribute sent costs a data point; its pages price a
 * nested object by its keys but are silent on one with none (`{}`), so an
 * update that names an attribute never costs less than one.
 */
export const MIN_ATTRIBUTE_POINTS = 1;

/** `{add, remove}` on a string array: one per value added; removals are not priced by Braze's rules, so each counts one too (the dearer reading). */
export function stringArrayPoints(add: readonly string[], remove: readonly string[]): number {
  return add.length + remove.length;
}

/** A nested object: one per key sent, at every depth; a `{$time}` date is one value, not a key. */
export function nestedKeyPoints(value: JsonValue): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + nestedKeyPoints(item), 0);
  if (!isPlainObject(value) || isTimeValue(value)) return 0;
  return Object.values(value).reduce<number>((sum, child) => sum + 1 + nestedKeyPoints(child), 0);
}

/** Array-of-objects operators: `$add` one per property per item, `$update` one per property sent, `$remove` one per criterion. */
export function objectArrayPoints(operators: {
  add: readonly JsonValue[];
  update: ReadonlyArray<{ newObject: JsonValue }>;
  remove: readonly unknown[];
}): number {
  return nestedKeyPoints([...operators.add]) + operators.update.reduce((sum, update) => sum + nestedKeyPoints(update.newObject), 0) + operators.remove.length;
}

/** A custom event: one. (Event properties bill only when enabled for segmentation, which a local workspace has no setting for.) */
export const EVENT_POINTS = 1;

/** A purchase: one, plus one per purchase property. */
export function purchasePoints(properties: Record<string, JsonValue> | undefined): number {
  return 1 + (properties ? Object.keys(properties).length : 0);
}
