// What Pulumi records for a user set: per user key, the managed values Braze holds,
// and what is not known about them. Pure data; the runtime stores it compactly.
import type { TrackAttributesObject } from "../braze/wire-types";
import type { ManagedUser } from "../model/managed-user";
import { userOfStored } from "./stored-text";

/**
 * What is unknown about one recorded user, because a request that carried it got
 * no answer (a timeout, a dropped connection, a 5xx after every retry) or failed
 * along with another object. The next plan sends these parts whole instead of a
 * delta from a record that may be wrong.
 * - `"all"`: even whether the user exists (a create whose outcome is unknown).
 */
export type Unsure = "all" | { attributes: string[]; subscriptionGroups: string[] };

export interface RecordedSet {
  /**
   * User key -> stored user text (see stored-text.ts) of what Braze holds: its
   * managed values, and the events and purchases Braze accepted, as written.
   */
  users: Record<string, string>;
  /** User key -> what is unknown about that user; absent when everything is known. */
  unsure: Record<string, Unsure>;
  /** User key -> what the stack logged for it; only users with events or purchases have one. */
  logs: Record<string, EntryLog>;
}

/**
 * What decides, for one user, whether an event or purchase whose send got no
 * answer reached Braze. Braze's export gives a count per event name and per
 * product id; `tally` is what that count should be from this stack's confirmed
 * sends alone (never lowered when an entry leaves the file: Braze keeps it).
 * An entry in doubt reached Braze exactly when the count is its tally plus the
 * entry's occurrences; it did not when the count is the tally.
 */
export interface EntryLog {
  /** `event:<name>` or `purchase:<product_id>` -> occurrences this stack confirmed. */
  tally: Record<string, number>;
  /**
   * `events.<id>` / `purchases.<id>` -> an entry whose send got no answer: its
   * text as written, the time it was sent with, and its request (`group`: the
   * entries of one request reached Braze all or none).
   */
  doubt?: Record<string, { text: string; sentTime: string; group: string }>;
  /** `events.<id>` / `purchases.<id>` -> the time a relative time (`-3d`) resolved to at its send. */
  resolved?: Record<string, string>;
}

export const EMPTY_RECORD: RecordedSet = { users: {}, unsure: {}, logs: {} };

/**
 * A value no attribute can hold: stands in for an unsure value, so the diff sees
 * it as changed whatever is desired, and the plan sends the desired value whole
 * (or null, when it is no longer desired).
 */
const UNKNOWN_VALUE = "\u0000value unknown: its request got no answer";

/** `recorded` with its unsure parts replaced by UNKNOWN_VALUE. */
export function withUnknownsMarked(recorded: ManagedUser, unsure: Exclude<Unsure, "all">): ManagedUser {
  const attributes = { ...recorded.attributes };
  for (const key of unsure.attributes) attributes[key] = UNKNOWN_VALUE;
  const subscriptionGroups = { ...recorded.subscriptionGroups };
  for (const id of unsure.subscriptionGroups) subscriptionGroups[id] = UNKNOWN_VALUE as never;
  return { alias: recorded.alias, attributes, subscriptionGroups };
}

/** The recorded user of `key`, parsed. */
export function recordedUser(record: RecordedSet, key: string): ManagedUser | undefined {
  const text = record.users[key];
  return text === undefined ? undefined : userOfStored(key, text);
}

/**
 * What is unsure about a user after `object` failed or got no answer: whatever
 * was unsure before, plus every attribute and group the object carried. An
 * object that creates the user leaves even its existence unsure.
 */
export function unsureAfterFailure(previous: Unsure | undefined, object: TrackAttributesObject): Unsure {
  if (previous === "all" || object._update_existing_only === false) return "all";
  const attributes = new Set(previous?.attributes ?? []);
  const subscriptionGroups = new Set(previous?.subscriptionGroups ?? []);
  for (const key of Object.keys(object)) {
    if (key === "user_alias" || key === "_update_existing_only" || key === "_merge_objects") continue;
    if (key === "subscription_groups") for (const group of object.subscription_groups ?? []) subscriptionGroups.add(group.subscription_group_id);
    else attributes.add(key);
  }
  return { attributes: [...attributes].sort(), subscriptionGroups: [...subscriptionGroups].sort() };
}

/** The unsure parts recorded in a resource's outputs, refusing a shape no version wrote. */
export function unsureOf(value: unknown): Unsure | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === "all") return "all";
  const parts = value as { attributes?: unknown; subscriptionGroups?: unknown };
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === "string");
  if (typeof value === "object" && strings(parts.attributes) && strings(parts.subscriptionGroups)) {
    return { attributes: parts.attributes as string[], subscriptionGroups: parts.subscriptionGroups as string[] };
  }
  throw new TypeError(`unreadable "unsure" in state: ${JSON.stringify(value)}`);
}
