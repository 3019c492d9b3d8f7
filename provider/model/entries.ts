// Custom events and purchases of a user set member: what the file declares per
// entry, its canonical text, and how its relative time resolves. Pure: `now` is
// an argument. An entry's `id` is the stack's own identity for it (never sent to
// Braze, which has no such notion: every event object sent is a new occurrence).
import { relativeEventTimeOffset, resolveEventTime } from "./event-time";
import type { NestedValue } from "./managed-user";

/** Properties of an event or purchase, as Braze takes them. */
export type EntryProperties = Record<string, NestedValue>;

/** One custom event, without its id (the id is the key it is stored under). */
export interface EventEntry {
  name: string;
  /** ISO 8601 with a timezone, or relative to the first send: `-<n>(m|h|d|w)`, e.g. `-3d`. */
  time: string;
  app_id?: string;
  properties?: EntryProperties;
}

/** One purchase, without its id. */
export interface PurchaseEntry {
  product_id: string;
  currency: string;
  price: number;
  /** Braze stores a purchase of quantity n as n purchases. @default 1 */
  quantity?: number;
  time: string;
  app_id?: string;
  properties?: EntryProperties;
}

export type EntryKind = "event" | "purchase";

/** A user's entries as stored in its text: id -> entry, per kind. */
export interface UserEntries {
  events: Record<string, EventEntry>;
  purchases: Record<string, PurchaseEntry>;
}

export const NO_ENTRIES: UserEntries = Object.freeze({ events: Object.freeze({}), purchases: Object.freeze({}) }) as UserEntries;

/** How an entry is named where both kinds meet (the record's in-doubt list, messages): `events.<id>` or `purchases.<id>`. */
export function entryRef(kind: EntryKind, id: string): string {
  return `${kind === "event" ? "events" : "purchases"}.${id}`;
}

/**
 * The counter Braze's export keeps for an entry: `custom_events` and `purchases`
 * give `{name, first, last, count}` per event name and per product id. Keyed
 * `event:<name>` or `purchase:<product_id>`, so the two never mix.
 */
export function tallyName(kind: EntryKind, entry: EventEntry | PurchaseEntry): string {
  return kind === "event" ? `event:${(entry as EventEntry).name}` : `purchase:${(entry as PurchaseEntry).product_id}`;
}

/** Occurrences an entry adds to its counter: 1 per event; a purchase of quantity n is n purchases. */
export function occurrences(kind: EntryKind, entry: EventEntry | PurchaseEntry): number {
  return kind === "event" ? 1 : ((entry as PurchaseEntry).quantity ?? 1);
}

/** The entry as one canonical JSON text (keys sorted at every depth): equal content, equal text. */
export function entryText(entry: EventEntry | PurchaseEntry): string {
  return JSON.stringify(sortedDeep(entry));
}

export function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortedDeep(child);
  }
  return sorted;
}

/** Whether `time` is relative (`-3d`): resolved once, at the first send, and recorded. */
export function isRelativeTime(time: string): boolean {
  return relativeEventTimeOffset(time) !== undefined;
}

/** The ISO 8601 time Braze is sent: a relative time counted back from `now`, an absolute one as written. */
export function resolveTime(time: string, now: number): string {
  return resolveEventTime(time, now);
}
