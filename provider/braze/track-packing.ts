// How the objects of a /users/track pass are cut into requests. Pure. A user's
// attributes object and its events and purchases travel together (a bundle):
// the entries of one user in one request reach Braze all or none, which is what
// lets a lost answer be decided from Braze's counts. Braze does not promise to
// process attributes before events, so a new user's entries are not bundled
// with its creating attributes (../runtime/creation-wait.ts).
import type { TrackAttributesObject, TrackEventObject, TrackPurchaseObject } from "./wire-types";

/** One user's objects of a pass. */
export interface TrackBundle {
  attributes?: TrackAttributesObject;
  events: TrackEventObject[];
  purchases: TrackPurchaseObject[];
}

/**
 * Objects one request may hold: `perArray` in each of attributes, events and
 * purchases, and `combined` across the three.
 */
export interface TrackCaps {
  perArray: number;
  combined: number;
}

/**
 * How Braze counts a workspace's cap (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/):
 * across the three arrays together (`combined`: 75 by today's default, 50 on
 * Monthly Active Users CY 24-25 contracts), or in each array apart
 * (`per-array`: 75 attributes, 75 events and 75 purchases, legacy contracts).
 */
export type CapScope = "combined" | "per-array";
export const CAP_SCOPES: readonly CapScope[] = ["combined", "per-array"];

/** The caps for `braze:maxObjectsPerRequest` counted as `braze:objectCapScope` says. */
export function trackCaps(maxObjectsPerRequest: number, scope: CapScope): TrackCaps {
  return { perArray: maxObjectsPerRequest, combined: scope === "per-array" ? 3 * maxObjectsPerRequest : maxObjectsPerRequest };
}

/** Attributes objects one request may hold when it carries nothing else. */
export function attributesCap(caps: TrackCaps): number {
  return Math.min(caps.perArray, caps.combined);
}

/** Braze's combined caps, largest first: a refused request is tried at the largest one below its size before halving. */
const KNOWN_COMBINED_CAPS = [75, 50];

/**
 * The caps to use after Braze refused a request of `refusedObjects` objects as
 * too large (`400 Max Input Length Exceeded`, which processes nothing): the
 * largest of Braze's combined caps below that size, else half of it.
 * Undefined when no smaller request exists (a single object).
 */
export function smallerCaps(caps: TrackCaps, refusedObjects: number): TrackCaps | undefined {
  if (refusedObjects <= 1) return undefined;
  const combined = Math.min(caps.combined, KNOWN_COMBINED_CAPS.find((cap) => cap < refusedObjects) ?? Math.floor(refusedObjects / 2));
  return { perArray: Math.min(caps.perArray, combined), combined };
}

/** The caps in words, e.g. "50 objects per request across attributes, events and purchases". */
export function describeCaps(caps: TrackCaps): string {
  return caps.combined >= 3 * caps.perArray
    ? `${caps.perArray} objects per array (attributes, events, purchases) of a request`
    : `${caps.combined} objects per request across attributes, events and purchases`;
}

/** The stack config that sets these caps from the start. */
export function configLinesFor(caps: TrackCaps): string[] {
  return caps.combined >= 3 * caps.perArray
    ? [`pulumi config set braze:maxObjectsPerRequest ${caps.perArray}`, "pulumi config set braze:objectCapScope per-array"]
    : [`pulumi config set braze:maxObjectsPerRequest ${caps.combined}`, "pulumi config set braze:objectCapScope combined"];
}

function sizes(bundle: TrackBundle): [number, number, number] {
  return [bundle.attributes ? 1 : 0, bundle.events.length, bundle.purchases.length];
}

/**
 * A bundle too big for one request, cut into parts that fit, the attributes
 * object in the first (so it is applied no later than the entries).
 */
export function splitBundle(bundle: TrackBundle, caps: TrackCaps): TrackBundle[] {
  const [a, e, p] = sizes(bundle);
  if (e <= caps.perArray && p <= caps.perArray && a + e + p <= caps.combined) return [bundle];
  const parts: TrackBundle[] = [];
  let events = bundle.events;
  let purchases = bundle.purchases;
  let attributes = bundle.attributes;
  while (attributes || events.length > 0 || purchases.length > 0) {
    let room = caps.combined - (attributes ? 1 : 0);
    const takeEvents = Math.min(events.length, caps.perArray, room);
    room -= takeEvents;
    const takePurchases = Math.min(purchases.length, caps.perArray, room);
    parts.push({ ...(attributes ? { attributes } : {}), events: events.slice(0, takeEvents), purchases: purchases.slice(0, takePurchases) });
    attributes = undefined;
    events = events.slice(takeEvents);
    purchases = purchases.slice(takePurchases);
  }
  return parts;
}

/**
 * Bundles (each fitting one request) packed in order into requests, first fit
 * on the last request: returns each request's bundle indexes. With the caps of
 * the arrays, the fewest requests are max(ceil(attributes / cap), ceil(events /
 * cap), ceil(purchases / cap)) (or ceil(all / combined)); keeping bundles whole
 * costs at most one request per bundle boundary above that.
 */
export function packBundles(bundles: readonly TrackBundle[], caps: TrackCaps): number[][] {
  const requests: number[][] = [];
  let used: [number, number, number] = [0, 0, 0];
  let current: number[] = [];
  bundles.forEach((bundle, index) => {
    const [a, e, p] = sizes(bundle);
    const fits =
      used[0] + a <= caps.perArray && used[1] + e <= caps.perArray && used[2] + p <= caps.perArray && used[0] + used[1] + used[2] + a + e + p <= caps.combined;
    if (!fits && current.length > 0) {
      requests.push(current);
      current = [];
      used = [0, 0, 0];
    }
    current.push(index);
    used = [used[0] + a, used[1] + e, used[2] + p];
  });
  if (current.length > 0) requests.push(current);
  return requests;
}

/** The fewest requests any client could send these bundles in, under the caps. */
export function minimumRequests(bundles: readonly TrackBundle[], caps: TrackCaps): number {
  const totals = bundles.reduce<[number, number, number]>(
    (sum, bundle) => {
      const [a, e, p] = sizes(bundle);
      return [sum[0] + a, sum[1] + e, sum[2] + p];
    },
    [0, 0, 0],
  );
  return Math.max(...totals.map((total) => Math.ceil(total / caps.perArray)), Math.ceil((totals[0] + totals[1] + totals[2]) / caps.combined));
}
