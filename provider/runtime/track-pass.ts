// The /users/track pass of a user set run: attributes objects, events and
// purchases, with events and purchases sent exactly once. Braze never
// de-duplicates an event, so:
// - before a user's entries are sent, its counts are read (/users/export/ids,
//   `custom_events` and `purchases`) and matched against the record's tally
//   (decideArrivals): an entry an earlier run sent without recording it (a lost
//   answer, a killed run) is recorded, not sent again;
// - a request carrying entries is resent after a 429 only; after a 5xx or a lost
//   answer its entries are "unknown": once Braze has had time to apply what it
//   received (SETTLE), the users' counts decide again, and only what did not
//   arrive is sent, in up to MAX_ROUNDS rounds;
// - a request Braze refuses as too large (nothing of it processed) lowers the
//   caps, and its users' objects are cut to them and sent again in the same round;
// - what cannot be decided stays in doubt in the record and fails the user by
//   name: the next run decides again, before sending anything for it.
// The entries of a user Braze does not hold yet wait until its creating
// attributes are applied (./creation-wait.ts): they go in a later request.
import type { BrazeUsersApi, BundleOutcome, EntryOutcome } from "../braze/users-api";
import { isOutcomeUnknown } from "../braze/users-api";
import { TrackCapExceededError } from "../braze/errors/track-cap-exceeded-error";
import { splitBundle, type TrackBundle, type TrackCaps } from "../braze/track-packing";
import type { TrackAttributesObject, TrackEventObject, TrackPurchaseObject, TrackProperties, UserIdentifier } from "../braze/wire-types";
import type { ItemOutcome } from "../batching/micro-batcher";
import { decideArrivals, exportedCounts, exportedRanges, fitsRange, type ArrivalVerdict, type DoubtGroup } from "../delta/decide-arrivals";
import { entryRef, isRelativeTime, occurrences, resolveTime, tallyName, type EventEntry, type PurchaseEntry } from "../model/entries";
import type { EntryPlan, PlannedEntry } from "../delta/plan-entries";
import { entryTiming, waitUntilHeld } from "./creation-wait";

/** Rounds of sending one run makes for entries whose requests got no answer: a fault rate of a few percent converges in one run. */
export const MAX_ROUNDS = 3;
/**
 * How long Braze is given to apply what it received before its counts are read
 * after a lost answer (ms). Braze queues /users/track and applies it usually
 * within 100 ms; a request read too early would look lost and be sent twice.
 * The same on every endpoint, braze-local included (its asynchronous processing
 * applies within 1 s); only tests without the engine inject 0 ms.
 */
export const ENTRY_SETTLE_MS = 5_000;
/** The export fields that hold the counts. */
const COUNT_FIELDS = ["custom_events", "purchases"];

export interface PassItem {
  key: string;
  /** How the user is addressed after this run: its external_id, else its alias (a rename's new one). */
  identifier: UserIdentifier;
  object?: TrackAttributesObject;
  entries?: EntryPlan;
  /** The record's tally for the user; empty for a user new to Braze (a create or a replace). */
  tally: Readonly<Record<string, number>>;
}

/** An entry Braze holds (confirmed) or may hold (in doubt), and the time it went with. */
export interface SentEntry {
  planned: PlannedEntry;
  /** The time sent, or undefined when an earlier run sent it and its resolution is not known. */
  time?: string;
  group?: string;
}

export interface PassResult {
  /** The attributes object's final outcome (undefined when the item had none). */
  attributes?: ItemOutcome<void>;
  confirmed: SentEntry[];
  doubt: SentEntry[];
  /** Why entries of the user are not all recorded: each a sentence. */
  failures: string[];
  /** Braze refused one of the user's own objects. */
  rejected: boolean;
}

export interface PassOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  settleMs: number;
  /** Names this run's requests in the record (doubt groups): unique per run. */
  runId: string;
}

interface Pending {
  planned: PlannedEntry;
  time: string;
}

/** What the pass knows so far, user by user (by index in `items`). */
interface PassState {
  items: readonly PassItem[];
  results: PassResult[];
  /** The record's tally, plus what this pass confirmed. */
  tallies: Array<Record<string, number>>;
  /** Entries to send in the next round. */
  toSend: Pending[][];
  /** Entries of users Braze does not hold yet: sent once their creating attributes show. */
  waiting: Pending[][];
  /** Whether the user's attributes object is still to be sent (again). */
  attributesState: Array<"pending" | "done">;
}

/** One request's share of a user: part of its bundle, and the entries it carries. */
interface RoundPart {
  index: number;
  bundle: TrackBundle;
  sent: Pending[];
}

/** An entry whose request got no answer in a round. */
interface UnknownEntry {
  index: number;
  pending: Pending;
  group: string;
  timedOut: boolean;
}

export async function runTrackPass(api: BrazeUsersApi, items: readonly PassItem[], options: PassOptions): Promise<PassResult[]> {
  const pass: PassState = {
    items,
    results: items.map(() => ({ confirmed: [], doubt: [], failures: [], rejected: false })),
    tallies: items.map((item) => ({ ...item.tally })),
    toSend: items.map(() => []),
    waiting: items.map(() => []),
    attributesState: items.map((item) => (item.object ? "pending" : "done")),
  };
  await decideBeforeSending(api, pass, options);
  await sendRounds(api, pass, options, options.runId);
  if (await releaseWaiting(api, pass, options)) await sendRounds(api, pass, options, `${options.runId}+created`);
  return pass.results;
}

/** Rounds of sending; after a lost answer, the counts decide what is sent again. */
async function sendRounds(api: BrazeUsersApi, pass: PassState, options: PassOptions, runId: string): Promise<void> {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const unknown: UnknownEntry[] = [];
    const attributesRequest = new Map<number, string>();
    // A request refused as too large lowered the caps: its users go again, cut to them. Each lowering is
    // strict, so this ends.
    for (let resend = 0, only: ReadonlySet<number> | undefined; ; resend++) {
      const parts = partsOfRound(pass, api.trackCaps, only);
      if (parts.length === 0) break;
      const outcomes = await api.trackBundles(parts.map((part) => part.bundle));
      const recorded = recordRound(pass, parts, outcomes, resend === 0 ? `${runId}#${round}` : `${runId}#${round}/${resend}`);
      unknown.push(...recorded.unknown);
      for (const [index, request] of recorded.attributesRequest) attributesRequest.set(index, request);
      if (recorded.refusedAsTooLarge.size === 0) break;
      only = recorded.refusedAsTooLarge;
    }
    if (unknown.length === 0) break;
    await options.sleep(options.settleMs);
    const arrivedRequests = await decideUnknown(api, pass, unknown, round);
    creditArrivedAttributes(pass, attributesRequest, arrivedRequests);
  }
}

/**
 * Once the first rounds sent the new users' attributes: reads those users
 * until Braze shows them, and moves the entries of each shown to `toSend`.
 * A user shown was created by this run's attributes (it was absent before),
 * and a request is applied whole: an attributes object whose answer was lost
 * is credited. A user whose attributes Braze refused, or that does not show in
 * time, keeps its entries unsent and unrecorded: the next run sends them.
 * Returns whether any entries are to be sent.
 */
async function releaseWaiting(api: BrazeUsersApi, pass: PassState, options: PassOptions): Promise<boolean> {
  const { items, results, toSend, waiting } = pass;
  const users = items.flatMap((_, index) => (waiting[index].length > 0 ? [index] : []));
  const refused = (index: number) => {
    const outcome = results[index].attributes;
    return outcome !== undefined && !outcome.ok && (outcome.error.name === "BrazeObjectError" || !isOutcomeUnknown(outcome.error));
  };
  for (const index of users.filter(refused)) {
    results[index].failures.push(
      `${describeEntries(waiting[index].map((p) => p.planned))} not sent: Braze did not create the user; the next "pulumi up" sends them`,
    );
  }
  const watched = users.filter((index) => !refused(index));
  if (watched.length === 0) return false;
  const shared = new Map<number, Error>();
  const shown = await waitUntilHeld(
    api,
    watched.map((index) => items[index].identifier),
    options,
    (position, error) => shared.set(position, error.forUser(items[watched[position]].key)),
  );
  watched.forEach((index, position) => {
    const sharedError = shared.get(position);
    if (sharedError) {
      results[index].failures.push(`${describeEntries(waiting[index].map((p) => p.planned))} not sent: ${sharedError.message}`);
      return;
    }
    if (!shown[position]) {
      results[index].failures.push(
        `${describeEntries(waiting[index].map((p) => p.planned))} not sent: Braze did not show the new user in time, and an entry applied before its user is dropped; the next "pulumi up" sends them`,
      );
      return;
    }
    if (results[index].attributes && !results[index].attributes?.ok) results[index].attributes = { ok: true, value: undefined };
    toSend[index].push(...waiting[index]);
  });
  return shown.some(Boolean);
}

/** Before sending: what do the users' counts say about entries an earlier run may have sent? Fills `toSend`. */
async function decideBeforeSending(api: BrazeUsersApi, pass: PassState, options: PassOptions): Promise<void> {
  const { items, results, tallies, toSend } = pass;
  const checked = items.flatMap((item, index) => ((item.entries?.send.length ?? 0) + (item.entries?.verify.length ?? 0) > 0 ? [index] : []));
  const before = await api.exportAll(
    checked.map((index) => items[index].identifier),
    COUNT_FIELDS,
  );
  checked.forEach((index, position) => {
    const item = items[index];
    const plan = item.entries!;
    const candidates = [...plan.verify, ...plan.send];
    const groups = groupsOf(candidates.map((planned) => ({ planned, group: planned.group ?? `unrecorded:${entryRef(planned.kind, planned.id)}` })));
    const outcome = before[position];
    let verdict = outcome.ok
      ? decide(tallies[index], outcome.value, groups.list)
      : { decided: false as const, reason: `its counts could not be read: ${outcome.error.message}` };
    if (verdict.decided && outcome.ok) {
      const ranges = exportedRanges(outcome.value?.custom_events, outcome.value?.purchases);
      const misfit = plan.send.find(
        (planned) =>
          verdict.decided &&
          verdict.arrived.includes(`unrecorded:${entryRef(planned.kind, planned.id)}`) &&
          !fitsRange(
            isRelativeTime(planned.entry.time) ? undefined : Date.parse(planned.entry.time),
            options.now(),
            ranges[tallyName(planned.kind, planned.entry)],
          ),
      );
      if (misfit) {
        const name = tallyName(misfit.kind, misfit.entry);
        verdict = {
          decided: false,
          reason: `Braze holds ${name} occurrences the record does not know, but its first and last times do not include ${entryRef(misfit.kind, misfit.id)}'s time ${misfit.entry.time}`,
        };
      }
    }
    if (!verdict.decided) {
      for (const planned of plan.verify) results[index].doubt.push({ planned, time: planned.sentTime, group: planned.group });
      results[index].failures.push(
        `${describeEntries(candidates)} not sent: whether Braze already holds ${candidates.length === 1 ? "it" : "them"} cannot be decided (${verdict.reason}); ` +
          `the next "pulumi up" checks again. If events of these names were logged for this user outside this stack, it cannot log them exactly once: remove the entries from the file to stop trying`,
      );
      return;
    }
    const arrived = new Set(verdict.arrived);
    const unsent: Pending[] = [];
    for (const [group, members] of groups.byId) {
      for (const planned of members) {
        if (arrived.has(group)) confirm(results[index], tallies[index], { planned, time: planned.sentTime, group });
        else unsent.push({ planned, time: planned.sentTime ?? resolveTime(planned.entry.time, options.now()) });
      }
    }
    if (unsent.length === 0) return;
    const timing = entryTiming(outcome.ok && outcome.value !== undefined, item.object);
    if (timing === "send") toSend[index].push(...unsent);
    else if (timing === "wait") pass.waiting[index].push(...unsent);
    else
      results[index].failures.push(
        `${describeEntries(unsent.map((p) => p.planned))} not sent: Braze holds no such user and this run does not create it, so Braze would drop them; the next "pulumi up" creates the user and sends them`,
      );
  });
}

/**
 * The requests' parts of a round: each user's attributes object (while
 * pending) and entries to send, split to fit the caps; only the users of
 * `only` when given.
 */
function partsOfRound(pass: PassState, caps: TrackCaps, only?: ReadonlySet<number>): RoundPart[] {
  const { items, toSend, attributesState } = pass;
  const parts: RoundPart[] = [];
  items.forEach((item, index) => {
    if (only && !only.has(index)) return;
    const object = attributesState[index] === "pending" ? item.object : undefined;
    const entries = toSend[index];
    if (!object && entries.length === 0) return;
    // A user whose create is unsure gets its attributes again with its entries (idempotent): its entries need the user.
    const bundle: TrackBundle = { ...(object ? { attributes: object } : {}), events: [], purchases: [] };
    const events = entries.filter((pending) => pending.planned.kind === "event");
    const purchases = entries.filter((pending) => pending.planned.kind === "purchase");
    bundle.events = events.map((pending) => eventObject(item.identifier, pending));
    bundle.purchases = purchases.map((pending) => purchaseObject(item.identifier, pending));
    let [eventsTaken, purchasesTaken] = [0, 0];
    for (const part of splitBundle(bundle, caps)) {
      const sent = [...events.slice(eventsTaken, eventsTaken + part.events.length), ...purchases.slice(purchasesTaken, purchasesTaken + part.purchases.length)];
      parts.push({ index, bundle: part, sent });
      eventsTaken += part.events.length;
      purchasesTaken += part.purchases.length;
    }
  });
  return parts;
}

/**
 * Records a round's outcomes: what was applied is confirmed, what was refused
 * fails, and what got no answer is returned, with the request that carried
 * each user's attributes object (`<runId>#<round>.<request>`). The users of a
 * request refused as too large are returned to be sent again, their objects
 * put back as they were.
 */
function recordRound(
  pass: PassState,
  parts: readonly RoundPart[],
  outcomes: readonly BundleOutcome[],
  roundId: string,
): { unknown: UnknownEntry[]; attributesRequest: Map<number, string>; refusedAsTooLarge: Set<number> } {
  const { items, results, tallies, toSend, attributesState } = pass;
  // Whose attributes object went in which request of this round: a request found to have arrived applied it too.
  const attributesRequest = new Map<number, string>();
  const unknown: UnknownEntry[] = [];
  const refusedAsTooLarge = new Set<number>();
  items.forEach((_, index) => (toSend[index] = []));
  parts.forEach(({ index, bundle, sent }, position) => {
    const outcome = outcomes[position];
    const result = results[index];
    if (outcome.attributes && !outcome.attributes.ok && outcome.attributes.error instanceof TrackCapExceededError) {
      refusedAsTooLarge.add(index);
      toSend[index].push(...sent);
      return;
    }
    const tooLarge = [...outcome.events, ...outcome.purchases].some((entry) => entry.state === "failed" && entry.error instanceof TrackCapExceededError);
    if (tooLarge) {
      refusedAsTooLarge.add(index);
      toSend[index].push(...sent);
      if (bundle.attributes) attributesState[index] = "pending";
      return;
    }
    if (bundle.attributes) {
      result.attributes = outcome.attributes;
      attributesRequest.set(index, `${roundId}.${outcome.request}`);
      const error = outcome.attributes && !outcome.attributes.ok ? outcome.attributes.error : undefined;
      // Refused, or its request was refused: final. Unknown: sent again with the user's next entries, if any.
      if (!error || error.name === "BrazeObjectError" || !isOutcomeUnknown(error)) attributesState[index] = "done";
      if (error?.name === "BrazeObjectError") result.rejected = true;
    }
    const entryOutcomes: EntryOutcome[] = [...outcome.events, ...outcome.purchases];
    const group = `${roundId}.${outcome.request}`;
    sent.forEach((pending, at) => {
      const entry = entryOutcomes[at];
      if (entry.state === "applied") confirm(result, tallies[index], { planned: pending.planned, time: pending.time, group });
      else if (entry.state === "unknown") unknown.push({ index, pending, group, timedOut: /timed out/.test(entry.error.message) });
      else {
        if (entry.error.name === "BrazeObjectError") result.rejected = true;
        result.failures.push(`${describeEntries([pending.planned])} not logged: ${entry.error.message}`);
      }
    });
  });
  // Attributes still unsure only matter with entries to go with them.
  for (const { index } of parts) {
    if (attributesState[index] === "pending" && !refusedAsTooLarge.has(index) && !unknown.some((u) => u.index === index)) attributesState[index] = "done";
  }
  return { unknown, attributesRequest, refusedAsTooLarge };
}

/**
 * After a round's lost answers, once Braze has had time to apply what it
 * received: the users' counts decide which entries arrived; what did not is
 * sent in the next round, what cannot be decided stays in doubt. Returns the
 * requests found to have arrived.
 */
async function decideUnknown(api: BrazeUsersApi, pass: PassState, unknown: readonly UnknownEntry[], round: number): Promise<Set<string>> {
  const { items, results, tallies, toSend, attributesState } = pass;
  const arrivedRequests = new Set<string>();
  const users = [...new Set(unknown.map((u) => u.index))];
  const after = await api.exportAll(
    users.map((index) => items[index].identifier),
    COUNT_FIELDS,
  );
  users.forEach((index, position) => {
    const mine = unknown.filter((u) => u.index === index);
    const groups = groupsOf(mine.map(({ pending, group }) => ({ planned: { ...pending.planned, sentTime: pending.time }, group })));
    const outcome = after[position];
    const verdict = outcome.ok
      ? decide(tallies[index], outcome.value, groups.list)
      : { decided: false as const, reason: `its counts could not be read: ${outcome.error.message}` };
    if (!verdict.decided) {
      for (const { pending, group } of mine) results[index].doubt.push({ planned: pending.planned, time: pending.time, group });
      results[index].failures.push(
        `${describeEntries(mine.map((u) => u.pending.planned))}: the request got no answer and whether Braze logged ${mine.length === 1 ? "it" : "them"} cannot be decided (${verdict.reason}); ` +
          `state keeps ${mine.length === 1 ? "it" : "them"} in doubt, and the next "pulumi up" checks again before sending`,
      );
      attributesState[index] = "done";
      return;
    }
    const arrived = new Set(verdict.arrived);
    for (const group of arrived) arrivedRequests.add(group);
    for (const { pending, group, timedOut } of mine) {
      if (arrived.has(group)) confirm(results[index], tallies[index], { planned: pending.planned, time: pending.time, group });
      else if (timedOut) {
        // A timed-out request may still be running at Braze: not there yet is not "lost". The next run decides.
        results[index].doubt.push({ planned: pending.planned, time: pending.time, group });
        results[index].failures.push(
          `${describeEntries([pending.planned])}: its request timed out and may still be applied; state keeps it in doubt, and the next "pulumi up" checks Braze's counts before sending`,
        );
      } else if (round < MAX_ROUNDS) toSend[index].push(pending);
      else
        results[index].failures.push(`${describeEntries([pending.planned])} not logged: ${MAX_ROUNDS} requests got no answer; the next "pulumi up" sends it`);
    }
    if (toSend[index].length === 0) attributesState[index] = "done";
  });
  return arrivedRequests;
}

/** A request is applied whole: the attributes objects of one found to have arrived were applied. */
function creditArrivedAttributes(pass: PassState, attributesRequest: ReadonlyMap<number, string>, arrivedRequests: ReadonlySet<string>): void {
  const { results, attributesState } = pass;
  for (const [index, request] of attributesRequest) {
    const outcome = results[index].attributes;
    if (outcome && !outcome.ok && arrivedRequests.has(request) && outcome.error.name !== "BrazeObjectError") {
      results[index].attributes = { ok: true, value: undefined };
      attributesState[index] = "done";
    }
  }
}

function confirm(result: PassResult, tally: Record<string, number>, sent: SentEntry): void {
  const name = tallyName(sent.planned.kind, sent.planned.entry);
  tally[name] = (tally[name] ?? 0) + occurrences(sent.planned.kind, sent.planned.entry);
  result.confirmed.push(sent);
}

function decide(tally: Record<string, number>, exported: Record<string, unknown> | undefined, groups: DoubtGroup[]): ArrivalVerdict {
  try {
    return decideArrivals(tally, exportedCounts(exported?.custom_events, exported?.purchases), groups);
  } catch (error) {
    return { decided: false as const, reason: (error as Error).message };
  }
}

function groupsOf(members: Array<{ planned: PlannedEntry; group: string }>): { list: DoubtGroup[]; byId: Map<string, PlannedEntry[]> } {
  const byId = new Map<string, PlannedEntry[]>();
  for (const { planned, group } of members) byId.set(group, [...(byId.get(group) ?? []), planned]);
  const list = [...byId].map(([id, entries]) => {
    const counted: Record<string, number> = {};
    for (const planned of entries) {
      const name = tallyName(planned.kind, planned.entry);
      counted[name] = (counted[name] ?? 0) + occurrences(planned.kind, planned.entry);
    }
    return { id, occurrences: counted };
  });
  return { list, byId };
}

function eventObject(identifier: UserIdentifier, pending: Pending): TrackEventObject {
  const entry = pending.planned.entry as EventEntry;
  return {
    ...identifier,
    _update_existing_only: true,
    name: entry.name,
    time: pending.time,
    ...(entry.app_id !== undefined ? { app_id: entry.app_id } : {}),
    ...(entry.properties ? { properties: entry.properties as TrackProperties } : {}),
  };
}

function purchaseObject(identifier: UserIdentifier, pending: Pending): TrackPurchaseObject {
  const entry = pending.planned.entry as PurchaseEntry;
  return {
    ...identifier,
    _update_existing_only: true,
    product_id: entry.product_id,
    currency: entry.currency,
    price: entry.price,
    ...(entry.quantity !== undefined ? { quantity: entry.quantity } : {}),
    time: pending.time,
    ...(entry.app_id !== undefined ? { app_id: entry.app_id } : {}),
    ...(entry.properties ? { properties: entry.properties as TrackProperties } : {}),
  };
}

function describeEntries(entries: readonly PlannedEntry[]): string {
  const refs = entries.map((planned) => entryRef(planned.kind, planned.id));
  return refs.length <= 5 ? refs.join(", ") : `${refs.slice(0, 5).join(", ")} and ${refs.length - 5} more`;
}
