// The local-only inspection views (/_local/*): complete stored profiles and
// workspace statistics. Pure over what the store returns.
import type { Activity, StoredUser } from "../store/profile";
import { sortedKeys } from "../values";

/** One stored profile, complete, as GET /_local/users lists it. */
export function inspectedUser(user: StoredUser, activities: readonly Activity[]): Record<string, unknown> {
  const { profile } = user;
  return {
    braze_id: profile.braze_id,
    external_id: profile.external_id,
    user_aliases: profile.user_aliases,
    email: profile.standard.email ?? null,
    phone: profile.standard.phone ?? null,
    /** Standard profile fields that are set, email and phone included. */
    standard: sortedKeys(profile.standard),
    custom: sortedKeys(profile.custom),
    // Absent until set (what is stored; exports show Braze's default "subscribed").
    ...(profile.email_subscribe !== undefined ? { email_subscribe: profile.email_subscribe } : {}),
    ...(profile.push_subscribe !== undefined ? { push_subscribe: profile.push_subscribe } : {}),
    subscription_groups: sortedKeys(profile.subscription_groups),
    events: activities.filter((activity) => activity.kind === "event").map(({ kind: _kind, ...event }) => event),
    purchases: activities.filter((activity) => activity.kind === "purchase").map(({ kind: _kind, name, ...purchase }) => ({ product_id: name, ...purchase })),
    created_at: profile.created_at,
    updated_at: profile.updated_at,
  };
}

export const STAT_COUNTERS = {
  requests: "requests",
  dataPoints: (array: string) => `data_points.${array}`,
  processed: (array: string) => `objects_processed.${array}`,
  status: (status: number | null) => `status.${status ?? "dropped"}`,
  path: (path: string) => `path.${path}`,
};

/** GET /_local/stats from the counters kept with the workspace. */
export function stats(counters: Record<string, number>, users: number): Record<string, unknown> {
  const prefixed = (prefix: string) =>
    Object.fromEntries(
      Object.keys(counters)
        .filter((name) => name.startsWith(prefix))
        .sort()
        .map((name) => [name.slice(prefix.length), counters[name]]),
    );
  const points = { attributes: 0, events: 0, purchases: 0, ...prefixed("data_points.") };
  return {
    requests: { total: counters.requests ?? 0, by_status: prefixed("status."), by_path: prefixed("path.") },
    data_points: { total: points.attributes + points.events + points.purchases, ...points },
    objects_processed: { attributes: 0, events: 0, purchases: 0, ...prefixed("objects_processed.") },
    users,
  };
}
