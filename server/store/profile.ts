// What the workspace stores for one user. Kept as one JSON document per user;
// the identifier columns beside it in SQLite are indexes over this document.
import type { UserAlias } from "../identifiers";
import type { JsonValue } from "../values";

export type SubscriptionState = "subscribed" | "unsubscribed";
export type GlobalSubscription = "opted_in" | "subscribed" | "unsubscribed";

export interface Profile {
  braze_id: string;
  external_id: string | null;
  /** Sorted by label, then name. */
  user_aliases: UserAlias[];
  /** Standard profile fields that are set (first_name, email, phone, dob, ...); an unset field is absent. */
  standard: Record<string, JsonValue>;
  /** Custom attributes that are set; an unset attribute is absent. */
  custom: Record<string, JsonValue>;
  /** Absent until set: Braze treats a user with no explicit state as "subscribed". */
  email_subscribe?: GlobalSubscription;
  push_subscribe?: GlobalSubscription;
  subscription_groups: Record<string, SubscriptionState>;
  created_at: string;
  updated_at: string;
}

/** A stored user: its row id and its document. */
export interface StoredUser {
  id: number;
  /** Order of the last update across the workspace: higher is more recent. */
  seq: number;
  profile: Profile;
}

/** One custom event or purchase as stored (a purchase of quantity n is n purchases of quantity 1). */
export interface Activity {
  kind: "event" | "purchase";
  name: string;
  /** ISO 8601 in UTC, after a future time was replaced by the time of receipt. */
  time: string;
  app_id?: string;
  properties?: Record<string, JsonValue>;
  currency?: string;
  price?: number;
}

export function compareAliases(a: UserAlias, b: UserAlias): number {
  return a.alias_label < b.alias_label ? -1 : a.alias_label > b.alias_label ? 1 : a.alias_name < b.alias_name ? -1 : a.alias_name > b.alias_name ? 1 : 0;
}

export function newProfile(brazeId: string, now: string): Profile {
  return { braze_id: brazeId, external_id: null, user_aliases: [], standard: {}, custom: {}, subscription_groups: {}, created_at: now, updated_at: now };
}
