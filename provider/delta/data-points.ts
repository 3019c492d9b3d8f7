// Counts the data points an attributes object costs, by Braze's billing rules
// (every attribute sent counts, changed or not, which is why the plan sends only
// deltas). Used by tests and benchmarks to prove the plan is the cheapest one.
import type { TrackAttributeValue, TrackAttributesObject } from "../braze/wire-types";
import { CONTROL_KEYS, standardAttribute } from "../model/standard-attributes";
import { isPlainObject, isTimeValue } from "../model/value-kinds";
import type { EntryKind, EventEntry, PurchaseEntry } from "../model/entries";

/**
 * Data points of one attributes object:
 * - identifiers (an email-only or phone-only user's address too) and control keys, `subscription_groups`, `email_subscribe`,
 *   `push_subscribe` and `push_tokens`: free;
 * - a scalar, a whole array of strings, or `null` (also on a nested object): 1;
 * - `{ add, remove }` on an array: 1 per value added; removals are not priced by
 *   the billing rules, so each is counted as 1 too (the dearer reading);
 * - `current_location`: 1 (billed as the most recent location);
 * - a nested object: 1 per key sent, at every depth (a `{ $time }` date is one value);
 * - an array of objects: 1 per property per item;
 * - and every billable key sent at least 1: Braze bills API data "at face value",
 *   each attribute sent costs a data point, so an empty object (`{}`, no key to
 *   price) or an empty array of objects still costs 1. The pages price objects
 *   only by their keys and are silent on an empty one; this is the reading that
 *   never undercounts.
 */
export function countDataPoints(object: TrackAttributesObject): number {
  let points = 0;
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || !isBillableKey(key) || addresses(object, key)) continue;
    points += Math.max(MIN_POINTS_PER_KEY, attributePoints(key, value as TrackAttributeValue));
  }
  return points;
}

/** What any billable attribute key sent costs at least, whatever its value (see countDataPoints). */
const MIN_POINTS_PER_KEY = 1;

/**
 * Whether `key` is the identifier of an email-only or phone-only user's object
 * (no external_id or alias; email before phone, as Braze picks): an identifier,
 * free like the others. braze-local reads it the same way.
 */
function addresses(object: TrackAttributesObject, key: string): boolean {
  if (object.external_id !== undefined || object.user_alias !== undefined) return false;
  return key === "email" || (key === "phone" && object.email === undefined);
}

function isBillableKey(key: string): boolean {
  if (CONTROL_KEYS.has(key) || key === "subscription_groups" || key === "push_tokens") return false;
  return standardAttribute(key)?.billable ?? true;
}

function attributePoints(key: string, value: TrackAttributeValue): number {
  if (value === null || (!isPlainObject(value) && !Array.isArray(value))) return 1;
  if (key === "current_location") return 1;
  if (Array.isArray(value)) {
    // A whole array of strings is one value; an array of objects costs per property per item.
    return value.some(isPlainObject) ? value.reduce<number>((sum, item) => sum + keysSent(item), 0) : 1;
  }
  if (isArrayOperation(value)) return (value.add?.length ?? 0) + (value.remove?.length ?? 0);
  return keysSent(value);
}

/** Keys at every depth of a nested value; a `$time` date is a leaf, not a key. */
function keysSent(value: TrackAttributeValue): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + keysSent(item), 0);
  if (!isPlainObject(value) || isTimeValue(value)) return 0;
  return Object.values(value).reduce<number>((sum, child) => sum + 1 + keysSent(child), 0);
}

function isArrayOperation(value: { [key: string]: TrackAttributeValue }): value is { add?: string[]; remove?: string[] } {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => (key === "add" || key === "remove") && Array.isArray(value[key]));
}

/**
 * Data points of one event or purchase object. The billing table lists custom
 * events, purchases and purchase properties as billable, while event properties
 * bill only when enabled for segmentation (a workspace setting the provider
 * cannot see; priced at none here, as braze-local does):
 * - an event: 1;
 * - a purchase: 1, plus 1 per property (its top-level keys), whatever its quantity.
 */
export function countEntryPoints(kind: EntryKind, entry: EventEntry | PurchaseEntry): number {
  if (kind === "event") return 1;
  return 1 + Object.keys(entry.properties ?? {}).length;
}
