// One user as one canonical JSON text: the unit a user set stores per user, in its
// inputs (what the file declares) and in its record (what Braze holds). Canonical
// (keys sorted at every depth, empty parts left out) so that "unchanged" is a
// string comparison: an unchanged up of 100,000 users parses nothing.
import { NO_ENTRIES, sortedDeep, type EventEntry, type PurchaseEntry, type UserEntries } from "./entries";
import { aliasKey, type AttributeValue, type ManagedUser, type NestedValue, type SubscriptionState } from "./managed-user";

/**
 * The text uses the desired-state file's own field names (`subscription_groups`),
 * because `pulumi preview --diff` shows it to reviewers, parsed, key by key.
 */
interface UserText {
  alias: { label: string; name: string };
  attributes?: Record<string, AttributeValue>;
  subscription_groups?: Record<string, SubscriptionState>;
  /**
   * Custom events and purchases by id (objects, not lists: a reorder in the file
   * is no change, and the preview shows one entry per id). Last, so the text of a
   * user without any is what it was before entries existed.
   */
  events?: Record<string, EventEntry>;
  purchases?: Record<string, PurchaseEntry>;
}

/** One member of a user set: the user's managed values, and its events and purchases. */
export interface SetMember {
  user: ManagedUser;
  entries: UserEntries;
}

export function userToText(user: ManagedUser): string {
  return memberToText({ user, entries: NO_ENTRIES });
}

export function memberToText(member: SetMember): string {
  const { user, entries } = member;
  const text: UserText = { alias: { label: user.alias.label, name: user.alias.name } };
  if (Object.keys(user.attributes).length > 0) text.attributes = sortKeys(user.attributes) as Record<string, AttributeValue>;
  if (Object.keys(user.subscriptionGroups).length > 0) {
    text.subscription_groups = sortKeys(user.subscriptionGroups) as Record<string, SubscriptionState>;
  }
  if (Object.keys(entries.events).length > 0) text.events = sortedDeep(entries.events) as Record<string, EventEntry>;
  if (Object.keys(entries.purchases).length > 0) text.purchases = sortedDeep(entries.purchases) as Record<string, PurchaseEntry>;
  return JSON.stringify(text);
}

/** @throws TypeError when the text is not one user in the canonical shape. */
export function userFromText(text: string): ManagedUser {
  return memberFromText(text).user;
}

/** @throws TypeError when the text is not one user in the canonical shape. */
export function memberFromText(text: string): SetMember {
  let parsed: Partial<UserText>;
  try {
    parsed = JSON.parse(text) as Partial<UserText>;
  } catch (error) {
    throw new TypeError(`a user set member is not JSON: ${(error as Error).message}`);
  }
  const alias = parsed?.alias;
  if (!alias || typeof alias.name !== "string" || typeof alias.label !== "string") {
    throw new TypeError(`a user set member needs alias.name and alias.label, got ${text.slice(0, 120)}`);
  }
  return {
    user: {
      alias: { name: alias.name, label: alias.label },
      attributes: parsed.attributes ?? {},
      subscriptionGroups: parsed.subscription_groups ?? {},
    },
    entries: { events: parsed.events ?? {}, purchases: parsed.purchases ?? {} },
  };
}

/** Sorted copies of every object inside, arrays kept in order (their order is their value). */
function sortKeys(value: Record<string, AttributeValue | NestedValue | SubscriptionState> | NestedValue): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item));
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, NestedValue>)[key]);
  return sorted;
}

/** Canonical texts start with the alias, label first (userToText). */
const ALIAS_PREFIX = /^\{"alias":\{"label":("(?:[^"\\]|\\.)*"),"name":("(?:[^"\\]|\\.)*")\}/;

/**
 * The alias key (`label/name`) of a user text, read from its prefix: planning an
 * unchanged set of 100,000 users then parses none of them.
 */
export function aliasKeyOfText(text: string): string {
  const match = ALIAS_PREFIX.exec(text);
  if (!match) return aliasKey(userFromText(text).alias);
  return aliasKey({ label: JSON.parse(match[1]) as string, name: JSON.parse(match[2]) as string });
}
