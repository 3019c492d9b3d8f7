// What Pulumi records for a user set: per user key, the managed values Braze holds,
// and what is not known about them. Pure data; the runtime stores it compactly.
import type { ManagedUser } from "./managed-user";
import { userFromText } from "./user-text";

/**
 * What is unknown about one recorded user, because a request that carried it got
 * no answer (a timeout, a dropped connection, a 5xx after every retry) or failed
 * along with another object. The next plan sends these parts whole instead of a
 * delta from a record that may be wrong.
 * - `"all"`: even whether the user exists (a create whose outcome is unknown).
 */
export type Unsure = "all" | { attributes: string[]; subscriptionGroups: string[] };

export interface RecordedSet {
  /** User key -> canonical user text (see user-text.ts) of what Braze holds. */
  users: Record<string, string>;
  /** User key -> what is unknown about that user; absent when everything is known. */
  unsure: Record<string, Unsure>;
}

export const EMPTY_RECORD: RecordedSet = { users: {}, unsure: {} };

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
  return text === undefined ? undefined : userFromText(text);
}
