// How a user set's record follows what Braze accepted in a run: a change Braze
// applied is recorded as desired, one it refused or may not have received
// becomes unsure, and each user's events and purchases are logged as the track
// pass confirmed them. Pure: the run's record is updated in place, nothing is
// sent.
import type { TrackAttributesObject } from "../braze/wire-types";
import type { SetChange, SetPlan } from "../delta/plan-set";
import type { EntryPlan } from "../delta/plan-entries";
import { unsureAfterFailure, type EntryLog, type RecordedSet } from "../encoding/recorded-set";
import { memberOfStored, storedText } from "../encoding/stored-text";
import { memberToText, userToText } from "../encoding/user-text";
import {
  entryRef,
  isRelativeTime,
  NO_ENTRIES,
  occurrences,
  resolveTime,
  tallyName,
  type EventEntry,
  type PurchaseEntry,
  type UserEntries,
} from "../model/entries";
import type { PassResult } from "./track-pass";

/** Records a change Braze accepted (its attributes; its entries as `result` says). */
export function settle(next: RecordedSet, change: SetChange, record: RecordedSet, result?: PassResult): void {
  if (change.action === "delete" || change.action === "forget") {
    delete next.users[change.key];
    delete next.unsure[change.key];
    delete next.logs[change.key];
    return;
  }
  if (
    (change.action === "update" || change.action === "rename" || change.action === "identify" || change.action === "rename_external_id") &&
    change.movedFrom !== undefined
  ) {
    delete next.users[change.movedFrom];
    delete next.unsure[change.movedFrom];
    delete next.logs[change.movedFrom];
  }
  next.users[change.key] = change.text;
  delete next.unsure[change.key];
  recordEntries(next, change, change.key, record, result);
}

/**
 * Records a change whose object Braze refused or may not have received: what it
 * carried becomes unsure, so the next plan sends it whole rather than a delta
 * from a record that may be wrong.
 */
export function unsettle(next: RecordedSet, change: SetChange, object: TrackAttributesObject, record: RecordedSet, result: PassResult): void {
  if (change.action === "create" || change.action === "replace") {
    // Whether the user exists, and with what, is unknown: the next up creates it whole (or deletes it).
    next.users[change.key] = change.text;
    next.unsure[change.key] = "all";
    recordEntries(next, change, change.key, record, result);
    return;
  }
  if (change.action !== "update" && change.action !== "rename" && change.action !== "identify" && change.action !== "rename_external_id") return;
  const key = change.movedFrom ?? change.key;
  // A rename or identify that went through but whose attributes did not: the record follows the
  // alias and the external_id (an alias still to attach is not recorded: the attach was not sent).
  // An identified email-only user is identified by its external_id from now on: its email identifies it no more.
  const identity =
    change.action === "update"
      ? { alias: change.from.alias }
      : change.action === "rename_external_id"
        ? { externalId: change.user.externalId, alias: change.from.alias }
        : { externalId: change.user.externalId, alias: change.user.alias, email: undefined, phone: undefined };
  next.users[key] = storedText(key, userToText({ ...change.from, ...identity }));
  next.unsure[key] = unsureAfterFailure(next.unsure[key], object);
  recordEntries(next, change, key, record, result);
}

/** Records an identified user as not holding its alias (its /users/alias/new failed): the next plan attaches it again. */
export function unattach(next: RecordedSet, key: string): void {
  const { user, ...member } = memberOfStored(key, next.users[key]);
  const { alias: _attached, ...held } = user;
  next.users[key] = storedText(key, memberToText({ ...member, user: held }));
}

/**
 * Records a renamed user as still holding its old external_id (the
 * /users/external_ids/remove of it got no answer): the next plan renames it
 * again, finds Braze already gave the new id, and only removes the old one.
 */
export function keepOldExternalId(next: RecordedSet, key: string, externalId: string): void {
  const { user, entries } = memberOfStored(key, next.users[key]);
  next.users[key] = storedText(key, memberToText({ user: { ...user, externalId }, entries }));
}

/**
 * Records a change's events and purchases under `key` (where the user's record
 * now is): those Braze held before and still desired, plus those it confirmed
 * in this run, as written; the tally grows by what was confirmed; what is in
 * doubt is kept with the time and request it went with; what left the file is
 * forgotten. A create or replace starts a new log: its Braze user is new.
 */
function recordEntries(next: RecordedSet, change: SetChange, key: string, record: RecordedSet, result?: PassResult): void {
  if (change.action === "delete" || change.action === "forget") return;
  const fresh = change.action === "create" || change.action === "replace";
  const fromKey = (change as { movedFrom?: string }).movedFrom ?? change.key;
  const old = fresh ? undefined : record.logs[fromKey];
  const plan = change.entries;
  if (!plan && !old) {
    delete next.logs[key];
    return;
  }
  const wanted = memberOfStored(change.key, change.text);
  const held = fresh || record.users[fromKey] === undefined ? NO_ENTRIES : memberOfStored(fromKey, record.users[fromKey]).entries;
  const log: EntryLog = { tally: { ...(old?.tally ?? {}) } };
  const doubt: NonNullable<EntryLog["doubt"]> = {};
  const resolved: NonNullable<EntryLog["resolved"]> = {};
  const confirmed = new Set<string>();
  for (const sent of result?.confirmed ?? []) {
    const name = tallyName(sent.planned.kind, sent.planned.entry);
    log.tally[name] = (log.tally[name] ?? 0) + occurrences(sent.planned.kind, sent.planned.entry);
    const ref = entryRef(sent.planned.kind, sent.planned.id);
    confirmed.add(ref);
    if (sent.time !== undefined && isRelativeTime(sent.planned.entry.time)) resolved[ref] = sent.time;
  }
  for (const sent of result?.doubt ?? []) {
    const ref = entryRef(sent.planned.kind, sent.planned.id);
    doubt[ref] = { text: sent.planned.text, sentTime: sent.time ?? resolveTime(sent.planned.entry.time, Date.now()), group: sent.group ?? "unknown" };
  }
  // Entries in doubt that did not reach the pass (a failed rename, a failed delete) stay in doubt.
  if (!result) for (const [ref, entry] of Object.entries(old?.doubt ?? {})) if (!plan?.forgotten.includes(ref)) doubt[ref] = entry;
  const entries: UserEntries = { events: {}, purchases: {} };
  for (const field of ["events", "purchases"] as const) {
    const kind = field === "events" ? "event" : "purchase";
    const want = wanted.entries[field] as Record<string, EventEntry | PurchaseEntry>;
    for (const id of Object.keys(want)) {
      const ref = entryRef(kind, id);
      const kept = (held[field] as Record<string, unknown>)[id] !== undefined || confirmed.has(ref);
      if (!kept) continue;
      (entries[field] as Record<string, EventEntry | PurchaseEntry>)[id] = want[id];
      const time = old?.resolved?.[ref];
      if (time !== undefined && resolved[ref] === undefined) resolved[ref] = time;
    }
  }
  if (Object.keys(doubt).length > 0) log.doubt = doubt;
  if (Object.keys(resolved).length > 0) log.resolved = resolved;
  if (Object.keys(log.tally).length === 0 && !log.doubt) delete next.logs[key];
  else next.logs[key] = log;
  if (fromKey !== key) delete next.logs[fromKey];
  const text = storedText(key, memberToText({ ...memberOfStored(key, next.users[key]), entries }));
  next.users[key] = text;
}

/** User key -> the entries a plan forgets, for the outputs. */
export function forgottenOf(plan: SetPlan): Record<string, string[]> {
  const forgotten: Record<string, string[]> = {};
  for (const change of plan.changes) {
    const entries = (change as { entries?: EntryPlan }).entries;
    if (entries && entries.forgotten.length > 0) forgotten[change.key] = entries.forgotten;
  }
  return forgotten;
}
