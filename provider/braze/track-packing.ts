// How the objects of a /users/track pass are cut into requests. Pure. A user's
// attributes object and its events and purchases travel together (a bundle):
// Braze processes a request's attributes before its events and purchases, so a
// new alias-only user exists before its events arrive, and the entries of one
// user in one request reach Braze all or none, which is what lets a lost answer
// be decided from Braze's counts.
import type { TrackAttributesObject, TrackEventObject, TrackPurchaseObject } from "./wire-types";

/** One user's objects of a pass. */
export interface TrackBundle {
  attributes?: TrackAttributesObject;
  events: TrackEventObject[];
  purchases: TrackPurchaseObject[];
}

/**
 * Objects one request may hold: `perArray` in each of attributes, events and
 * purchases (Braze's classic 75), and `combined` across the three (50 on
 * monthly-active-user contracts; unbounded beyond the per-array caps otherwise).
 */
export interface TrackCaps {
  perArray: number;
  combined: number;
}

/** The caps for `braze:maxObjectsPerRequest`: below 75, it is the combined cap of a monthly-active-user contract. */
export function trackCaps(maxObjectsPerRequest: number, perArrayMax: number): TrackCaps {
  const perArray = Math.min(maxObjectsPerRequest, perArrayMax);
  return { perArray, combined: maxObjectsPerRequest < perArrayMax ? maxObjectsPerRequest : 3 * perArrayMax };
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
    const fits = used[0] + a <= caps.perArray && used[1] + e <= caps.perArray && used[2] + p <= caps.perArray && used[0] + used[1] + used[2] + a + e + p <= caps.combined;
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
  const totals = bundles.reduce<[number, number, number]>((sum, bundle) => {
    const [a, e, p] = sizes(bundle);
    return [sum[0] + a, sum[1] + e, sum[2] + p];
  }, [0, 0, 0]);
  return Math.max(...totals.map((total) => Math.ceil(total / caps.perArray)), Math.ceil((totals[0] + totals[1] + totals[2]) / caps.combined));
}
