// A stored user in the shape of POST /users/export/ids. Pure.
import type { Activity, StoredUser } from "../store/profile";
import { exportedPushTokens } from "../track/push-tokens";
import { sortedKeys } from "../values";

/**
 * Braze's `fields_to_export` values that this server answers, and no other:
 * Braze's export has no subscription group states (they are read through
 * GET /subscription/status/get), so neither has this one.
 */
export const EXPORT_FIELDS: readonly string[] = [
  "braze_id",
  "country",
  "created_at",
  "custom_attributes",
  "custom_events",
  "dob",
  "email",
  "email_subscribe",
  "external_id",
  "first_name",
  "gender",
  "home_city",
  "language",
  "last_coordinates",
  "last_name",
  "phone",
  "purchases",
  "push_subscribe",
  "push_tokens",
  "time_zone",
  "total_revenue",
  "user_aliases",
];

/**
 * Braze's documented fields a local workspace has nothing for (no devices,
 * campaigns, apps or attribution): accepted, and never present in a user.
 */
export const UNMODELLED_EXPORT_FIELDS = [
  "apps",
  "attributed_campaign",
  "attributed_source",
  "attributed_adgroup",
  "attributed_ad",
  "campaigns_received",
  "canvases_received",
  "cards_clicked",
  "devices",
  "random_bucket",
  "uninstalled_at",
];

const STANDARD_EXPORTS = ["first_name", "last_name", "email", "phone", "dob", "home_city", "country", "language", "time_zone", "gender"];

/**
 * The user with the fields asked for (all answered fields when `fields` is
 * undefined). A field with no value is absent, as Braze leaves out what a
 * profile does not hold; the global subscription states are always present
 * ("subscribed" until set otherwise, Braze's default).
 */
export function exportedUser(user: StoredUser, activities: readonly Activity[], fields: ReadonlySet<string> | undefined): Record<string, unknown> {
  const { profile } = user;
  const wanted = (field: string) => fields === undefined || fields.has(field);
  const out: Record<string, unknown> = {};
  if (wanted("created_at")) out.created_at = profile.created_at;
  if (wanted("external_id") && profile.external_id !== null) out.external_id = profile.external_id;
  if (wanted("user_aliases") && profile.user_aliases.length > 0) out.user_aliases = profile.user_aliases.map((alias) => ({ ...alias }));
  if (wanted("braze_id")) out.braze_id = profile.braze_id;
  for (const field of STANDARD_EXPORTS) {
    if (wanted(field) && profile.standard[field] !== undefined) out[field] = profile.standard[field];
  }
  if (wanted("push_tokens") && Array.isArray(profile.standard.push_tokens)) out.push_tokens = exportedPushTokens(profile.standard.push_tokens);
  const location = profile.standard.current_location as { longitude: number; latitude: number } | undefined;
  // [longitude, latitude], the documented field order.
  if (wanted("last_coordinates") && location) out.last_coordinates = [location.longitude, location.latitude];
  if (wanted("custom_attributes") && Object.keys(profile.custom).length > 0) out.custom_attributes = sortedKeys(profile.custom);
  if (wanted("email_subscribe")) out.email_subscribe = profile.email_subscribe ?? "subscribed";
  if (wanted("push_subscribe")) out.push_subscribe = profile.push_subscribe ?? "subscribed";
  const events = activities.filter((activity) => activity.kind === "event");
  const purchases = activities.filter((activity) => activity.kind === "purchase");
  if (wanted("custom_events") && events.length > 0) out.custom_events = summarize(events);
  if (wanted("purchases") && purchases.length > 0) out.purchases = summarize(purchases);
  if (wanted("total_revenue") && purchases.length > 0) out.total_revenue = purchases.reduce((sum, purchase) => sum + (purchase.price ?? 0), 0);
  return out;
}

/** `[{name, first, last, count}]` per event name or product, sorted by name. */
function summarize(activities: readonly Activity[]): Array<{ name: string; first: string; last: string; count: number }> {
  const byName = new Map<string, { name: string; first: string; last: string; count: number }>();
  for (const { name, time } of activities) {
    const entry = byName.get(name);
    if (!entry) byName.set(name, { name, first: time, last: time, count: 1 });
    else {
      entry.count += 1;
      if (time < entry.first) entry.first = time;
      if (time > entry.last) entry.last = time;
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
