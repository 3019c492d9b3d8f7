// POST /users/track: reads the whole request and refuses it when nothing in it
// is valid (readTrack, which gives the answer); then applies attributes, then
// events, then purchases (Braze's order) in the caller's transaction
// (applyTrack). Braze answers at once and processes later; braze-local applies
// at once unless started with asynchronous processing (processing-queue.ts).
import { BrazeApiError, type ErrorEntry } from "../errors/braze-api-error";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";
import { createUser, findUser, mayCreate } from "../users/resolve-user";
import { isPlainObject } from "../values";
import { readEventObject, readPurchaseObject, type ActivityObject } from "./activity-objects";
import { applyAttributeUpdates, applyGroups, type SubscriptionChanges } from "./apply-attributes";
import { readAttributesObject, type AttributesObject } from "./attributes-object";
import { EVENT_POINTS, purchasePoints } from "./data-points";
import { MAX_INPUT_LENGTH_MESSAGE, checkRequestCap, type RequestCapRegime } from "./request-caps";

export const TRACK_ARRAYS = ["attributes", "events", "purchases"] as const;
export type TrackArray = (typeof TRACK_ARRAYS)[number];

/** Braze's fatal message when a request holds nothing valid to process. */
export const NOTHING_VALID_MESSAGE = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";
export { MAX_INPUT_LENGTH_MESSAGE };

export interface TrackLimits {
  /** How many objects one request may carry. */
  requestCap: RequestCapRegime;
  /** Most items a string array attribute keeps (the workspace's setting); the oldest go first. */
  stringArrayMaxItems: number;
  /** Custom attributes refused whatever their value (faults.rejectAttributes). */
  rejectAttributes?: ReadonlySet<string>;
}

/** A request read and found processable: its answer, and what applying it does. */
export interface ReadTrack {
  /** The 201 answer Braze gives at once (queued, not yet applied). */
  body: Record<string, unknown>;
  /** Valid objects per array (what `*_processed` and the stats count). */
  processed: Record<TrackArray, number>;
  attributes: AttributesObject[];
  events: ActivityObject[];
  purchases: ActivityObject[];
}

/** Reads one /users/track body into its answer and its valid objects; throws BrazeApiError for a fatal error. Pure: `now` is when it was received. */
export function readTrack(body: unknown, limits: TrackLimits, now: Date): ReadTrack {
  const arrays = readArrays(body, limits);
  const errors: ErrorEntry[] = [];
  const attributes: Array<[number, AttributesObject]> = [];
  const events: ActivityObject[] = [];
  const purchases: ActivityObject[] = [];
  arrays.attributes?.forEach((object, index) => {
    const read = readAttributesObject(object, limits.rejectAttributes);
    if (typeof read === "string") errors.push({ type: read, input_array: "attributes", index });
    else attributes.push([index, read]);
  });
  for (const [array, list, read] of [
    ["events", events, readEventObject],
    ["purchases", purchases, readPurchaseObject],
  ] as const) {
    arrays[array]?.forEach((object, index) => {
      const result = read(object, now.getTime());
      if (typeof result === "string") errors.push({ type: result, input_array: array, index });
      else list.push(result);
    });
  }
  if (attributes.length + events.length + purchases.length === 0) throw new BrazeApiError(400, NOTHING_VALID_MESSAGE, errors.length > 0 ? errors : undefined);

  // Braze's /users/track page: an invalid value in a nested custom attribute drops every nested
  // custom attribute update in the request; the rest is processed. Braze does
  // not document an error entry for it; one is given per offending object so
  // the caller can tell what was dropped.
  if (attributes.some(([, object]) => object.nestedProblem)) {
    for (const [index, object] of attributes) {
      if (object.nestedProblem) {
        errors.push({ type: `${object.nestedProblem}; every nested custom attribute update in this request was dropped`, input_array: "attributes", index });
      }
      object.updates = object.updates.filter((update) => !update.nested);
    }
  }

  const processed = {
    // "The number of external_ids with attributes that were queued": users, not objects.
    attributes: new Set(attributes.map(([, object]) => JSON.stringify(object.identifier))).size,
    events: events.length,
    purchases: purchases.length,
  };
  const response: Record<string, unknown> = { message: "success" };
  for (const array of TRACK_ARRAYS) if (arrays[array] !== undefined) response[`${array}_processed`] = processed[array];
  if (errors.length > 0)
    response.errors = errors.sort(
      (a, b) => TRACK_ARRAYS.indexOf(a.input_array as TrackArray) - TRACK_ARRAYS.indexOf(b.input_array as TrackArray) || a.index! - b.index!,
    );
  return { body: response, processed, attributes: attributes.map(([, object]) => object), events, purchases };
}

/**
 * Applies a read request to the workspace at `now` (when it is processed);
 * returns the data points it cost. Events and purchases of a user that does
 * not exist then, addressed where they may not create one (by alias), are
 * dropped, as Braze drops them.
 */
export function applyTrack(store: WorkspaceStore, read: ReadTrack, limits: Pick<TrackLimits, "stringArrayMaxItems">, now: Date): Record<TrackArray, number> {
  const stamp = now.toISOString();
  const dataPoints: Record<TrackArray, number> = { attributes: 0, events: 0, purchases: 0 };
  for (const object of read.attributes) dataPoints.attributes += applyAttributesObject(store, object, limits.stringArrayMaxItems, stamp);
  for (const [array, list] of [
    ["events", read.events],
    ["purchases", read.purchases],
  ] as const) {
    for (const object of list) {
      const user = userFor(store, object.identifier, object.updateExistingOnly, array, stamp);
      if (!user) continue;
      for (const activity of object.activities) store.addActivity(user, activity);
      user.profile.updated_at = stamp;
      store.saveUser(user);
      dataPoints[array] += array === "events" ? EVENT_POINTS : purchasePoints(object.activities[0].properties);
    }
  }
  return dataPoints;
}

function readArrays(body: unknown, limits: TrackLimits): Partial<Record<TrackArray, unknown[]>> {
  if (!isPlainObject(body)) throw new BrazeApiError(400, "The request body must be a JSON object");
  const arrays: Partial<Record<TrackArray, unknown[]>> = {};
  for (const array of TRACK_ARRAYS) {
    const value = body[array];
    if (value === undefined) continue;
    if (!Array.isArray(value)) throw new BrazeApiError(400, `'${array}' must be an array`);
    arrays[array] = value;
  }
  const lengths = Object.fromEntries(Object.entries(arrays).map(([array, list]) => [array, list.length]));
  checkRequestCap(limits.requestCap, lengths);
  if (Object.values(lengths).every((length) => length === 0)) throw new BrazeApiError(400, NOTHING_VALID_MESSAGE);
  return arrays;
}

/** Applies one attributes object; returns the data points it cost (none when it addressed nobody and created nobody). */
function applyAttributesObject(store: WorkspaceStore, object: AttributesObject, stringArrayMaxItems: number, stamp: string): number {
  const user = userFor(store, object.identifier, object.updateExistingOnly, "attributes", stamp);
  if (!user) return 0;
  const changes = applyAttributeUpdates(user.profile, object.updates, object.mergeObjects, stringArrayMaxItems);
  user.profile.updated_at = stamp;
  store.saveUser(user);
  // Braze's /users/track page: a subscription state set through an external_id also applies to
  // every user with the same email.
  if (object.identifier.kind === "external_id") spreadSubscriptions(store, user, changes, stamp);
  return object.updates.reduce((sum, update) => sum + update.points, 0);
}

function spreadSubscriptions(store: WorkspaceStore, user: StoredUser, changes: SubscriptionChanges, stamp: string): void {
  const email = user.profile.standard.email;
  if (typeof email !== "string" || (changes.email_subscribe === undefined && changes.groups.length === 0)) return;
  for (const other of store.findByEmail(email)) {
    if (other.id === user.id) continue;
    if (changes.email_subscribe !== undefined) other.profile.email_subscribe = changes.email_subscribe;
    applyGroups(other.profile, changes.groups);
    other.profile.updated_at = stamp;
    store.saveUser(other);
  }
}

function userFor(
  store: WorkspaceStore,
  identifier: AttributesObject["identifier"],
  updateExistingOnly: boolean | undefined,
  array: TrackArray,
  stamp: string,
): StoredUser | undefined {
  const found = findUser(store, identifier);
  if (found) return found;
  return mayCreate(identifier, updateExistingOnly, array) ? createUser(store, identifier, stamp) : undefined;
}
