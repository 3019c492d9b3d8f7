// Reads event and purchase objects of /users/track. Pure: `now` is an argument.
import { parseEventTime } from "../dates";
import { readIdentifier, type Identifier } from "../identifiers";
import type { Activity } from "../store/profile";
import { firstCharacters, isPlainObject, type JsonObject } from "../values";
import { propertiesProblem } from "./event-properties";

/** Braze's cap on a purchase's quantity; a purchase of quantity n is stored as n purchases. */
export const MAX_PURCHASE_QUANTITY = 100;
const MAX_STRING = 255;

export interface ActivityObject {
  identifier: Identifier;
  updateExistingOnly: boolean | undefined;
  /** What is stored: one activity per event, `quantity` activities per purchase. */
  activities: Activity[];
}

/** The event, or the text of the non-fatal error that refuses it. */
export function readEventObject(object: unknown, now: number): ActivityObject | string {
  const common = readCommon(object, now);
  if (typeof common === "string") return common;
  const { fields, base } = common;
  const name = fields.name;
  if (typeof name !== "string" || name.trim() === "") return "'name' is required and must be a non-empty string";
  // A leading "$" is not refused: Braze's event object page forbids it in
  // property names only (https://www.braze.com/docs/api/objects_filters/event_object/).
  // Braze trims custom data and truncates event names over 255 characters.
  return {
    identifier: base.identifier,
    updateExistingOnly: base.updateExistingOnly,
    activities: [{ kind: "event", name: firstCharacters(name.trim(), MAX_STRING), ...base.activityFields }],
  };
}

/** The purchase, or the text of the non-fatal error that refuses it. */
export function readPurchaseObject(object: unknown, now: number): ActivityObject | string {
  const common = readCommon(object, now);
  if (typeof common === "string") return common;
  const { fields, base } = common;
  const { product_id: productId, currency, price, quantity = 1 } = fields;
  if (typeof productId !== "string" || productId.trim() === "") return "'product_id' is required and must be a non-empty string";
  if (productId.length > MAX_STRING) return "'product_id' must be at most 255 characters";
  if (typeof currency !== "string" || !/^[A-Za-z]{3}$/.test(currency)) return "'currency' is required and must be an ISO-4217 alphabetic code";
  if (typeof price !== "number") return "'price' is required and must be a number";
  if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_PURCHASE_QUANTITY) {
    return "'quantity' must be an integer from 1 to 100";
  }
  const purchase: Activity = { kind: "purchase", name: productId, currency: currency.toUpperCase(), price, ...base.activityFields };
  return { identifier: base.identifier, updateExistingOnly: base.updateExistingOnly, activities: Array.from({ length: quantity }, () => ({ ...purchase })) };
}

function readCommon(object: unknown, now: number) {
  if (!isPlainObject(object)) return "must be an object";
  const identifier = readIdentifier(object);
  if (typeof identifier === "string") return identifier;
  const updateExistingOnly = object._update_existing_only;
  if (updateExistingOnly !== undefined && typeof updateExistingOnly !== "boolean") return "'_update_existing_only' must be true or false";
  if (typeof object.time !== "string") return "'time' is required and must be a date string";
  const time = parseEventTime(object.time);
  if (time === undefined)
    return `'time' "${object.time.slice(0, 40)}" must be ISO 8601 (e.g. 2024-05-01T10:00:00Z) or yyyy-MM-dd'T'HH:mm:ss:SSSZ, the formats Braze's event object takes`;
  if (object.app_id !== undefined && typeof object.app_id !== "string") return "'app_id' must be a string";
  if (object.properties !== undefined) {
    const problem = propertiesProblem(object.properties);
    if (problem) return problem;
  }
  const activityFields: Pick<Activity, "time" | "app_id" | "properties"> = {
    // A time in the future is set to the time of receipt.
    time: new Date(Math.min(time, now)).toISOString(),
    ...(object.app_id !== undefined ? { app_id: object.app_id as string } : {}),
    ...(object.properties !== undefined ? { properties: object.properties as JsonObject } : {}),
  };
  return { fields: object, base: { identifier, updateExistingOnly: updateExistingOnly as boolean | undefined, activityFields } };
}
