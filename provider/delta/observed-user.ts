// Refresh: what Braze holds for the managed part of a user, read back from one
// user object of POST /users/export/ids.
import { isDeepStrictEqual } from "node:util";
import type { ExportedUser } from "../braze/wire-types";
import { ExportShapeError } from "./export-shape-error";
import type { AttributeValue, ManagedUser, NestedObject, NestedValue, SubscriptionState } from "../model/managed-user";
import { observedPushTokens } from "./observed-push-tokens";
import { standardAttribute } from "../model/standard-attributes";
import { isPlainObject, isTimeValue } from "../model/value-kinds";

/**
 * `recorded` with each managed attribute replaced by what Braze holds: absent
 * (or null) in the export means removed. Attributes the user does not manage
 * are never included. Subscription groups are not in the export
 * (https://www.braze.com/docs/api/endpoints/export/user_data/post_users_identifier/):
 * `groups` holds the states read through GET /subscription/status/get
 * (./group-reads.ts), a group Braze answered "Unknown" for (undefined) having
 * no state, so it shows as drift against a declared subscribed or unsubscribed
 * and the next up sends it; without `groups` (an alias-only user, which that
 * endpoint cannot name) the recorded states stand. A value Braze holds in
 * its own normal form but equal to the recorded one (a date written 2024-05-01
 * and exported as 2024-05-01T00:00:00.000Z) keeps the recorded spelling, so it
 * does not show as drift.
 * @throws ExportShapeError when a managed value has a shape no attribute can have.
 */
export function observedUser(recorded: ManagedUser, exported: ExportedUser, groups?: Readonly<Record<string, SubscriptionState | undefined>>): ManagedUser {
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, recordedValue] of Object.entries(recorded.attributes)) {
    if (key === "push_tokens") {
      const tokens = observedPushTokens(recordedValue as NestedObject[], exported.push_tokens);
      if (tokens) attributes[key] = tokens;
      continue;
    }
    const held = heldValue(key, exported);
    if (held === undefined || held === null) continue;
    if (sameAsStored(recordedValue, held)) attributes[key] = recordedValue;
    else attributes[key] = toAttributeValue(key, held);
  }
  return {
    ...(recorded.externalId !== undefined ? { externalId: recorded.externalId } : {}),
    ...(recorded.alias ? { alias: { ...recorded.alias } } : {}),
    // An email-only or phone-only user keeps its address: it is how the user was found.
    ...(recorded.email !== undefined ? { email: recorded.email } : {}),
    ...(recorded.phone !== undefined ? { phone: recorded.phone } : {}),
    attributes,
    subscriptionGroups: groups ? heldGroups(recorded, groups) : { ...recorded.subscriptionGroups },
  };
}

/** The recorded groups as Braze holds them; a group not read keeps its recorded state. */
function heldGroups(recorded: ManagedUser, groups: Readonly<Record<string, SubscriptionState | undefined>>): Record<string, SubscriptionState> {
  const held: Record<string, SubscriptionState> = {};
  for (const [groupId, state] of Object.entries(recorded.subscriptionGroups)) {
    const read = Object.hasOwn(groups, groupId) ? groups[groupId] : state;
    if (read !== undefined) held[groupId] = read;
  }
  return held;
}

/** The `fields_to_export` that read back every managed value of `user`, sorted. */
export function exportFieldsFor(user: ManagedUser): string[] {
  const fields = new Set<string>();
  for (const key of Object.keys(user.attributes)) fields.add(standardAttribute(key)?.exportField ?? "custom_attributes");
  return [...fields].sort();
}

function heldValue(key: string, exported: ExportedUser): unknown {
  const standard = standardAttribute(key);
  if (!standard) {
    const custom = exported.custom_attributes;
    if (custom !== undefined && custom !== null && !isPlainObject(custom)) {
      throw new ExportShapeError("custom_attributes", custom, "an object");
    }
    return custom?.[key];
  }
  const value = exported[standard.exportField];
  if (key !== "current_location" || value === undefined || value === null) return value;
  // Exported as last_coordinates [longitude, latitude] (the field list's order;
  // Braze's sample output once showed latitude first).
  if (!Array.isArray(value) || value.length !== 2 || !value.every((part) => typeof part === "number")) {
    throw new ExportShapeError("last_coordinates", value, "[longitude, latitude]");
  }
  return { longitude: value[0], latitude: value[1] };
}

/**
 * Equal, or equal once Braze's normal forms are undone: date strings (which
 * Braze types as time) denoting the same instant, phone numbers with the same
 * digits (Braze strips the rest), `{ $time }` dates exported as plain strings.
 */
function sameAsStored(recorded: AttributeValue | NestedValue, held: unknown): boolean {
  if (isDeepStrictEqual(recorded, held)) return true;
  if (typeof recorded === "string" && typeof held === "string") {
    if (/^\+\d+$/.test(recorded) && recorded.replace(/\D/g, "") === held.replace(/\D/g, "")) return true;
    return sameInstant(recorded, held);
  }
  if (isTimeValue(recorded)) {
    const heldTime = isTimeValue(held) ? held.$time : held;
    return typeof heldTime === "string" && sameInstant(recorded.$time, heldTime);
  }
  if (Array.isArray(recorded)) {
    return Array.isArray(held) && held.length === recorded.length && recorded.every((item, index) => sameAsStored(item, held[index]));
  }
  if (isPlainObject(recorded)) {
    if (!isPlainObject(held)) return false;
    const keys = Object.keys(recorded);
    return keys.length === Object.keys(held).length && keys.every((key) => Object.hasOwn(held, key) && sameAsStored(recorded[key], held[key]));
  }
  return false;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function sameInstant(written: string, held: string): boolean {
  if (!DATE_LIKE.test(written) || !DATE_LIKE.test(held)) return false;
  const writtenTime = Date.parse(withUtcDefault(written));
  const heldTime = Date.parse(withUtcDefault(held));
  return !Number.isNaN(writtenTime) && writtenTime === heldTime;
}

/** Braze reads a date without a zone as UTC; JavaScript would read a date-time without one as local time. */
function withUtcDefault(text: string): string {
  const normalized = text.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(normalized) || /(Z|[+-]\d{2}:?\d{2})$/.test(normalized)) return normalized;
  return `${normalized}Z`;
}

/** Refuses a held value no attribute could have, rather than recording a guess. */
function toAttributeValue(key: string, held: unknown): AttributeValue {
  if (typeof held === "string" || typeof held === "boolean" || (typeof held === "number" && Number.isFinite(held))) return held;
  if (Array.isArray(held) && (held.every((item) => typeof item === "string") || held.every(isNestedValue))) {
    return held as AttributeValue;
  }
  if (isPlainObject(held) && isNestedValue(held)) return held as AttributeValue;
  throw new ExportShapeError(key, held, "a string, number, boolean, list or object without nulls");
}

function isNestedValue(value: unknown): value is NestedValue {
  if (typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isNestedValue);
  return isPlainObject(value) && Object.values(value).every(isNestedValue);
}
