// Which of one user's events and purchases an up sends, checks, or forgets.
// Pure. Braze never de-duplicates an event: each object sent is a new
// occurrence, and a logged one can be neither changed nor deleted. So an entry
// is sent once, the first time an up sees its id; a changed entry is refused
// before anything is sent; a removed one is only forgotten.
import { entryRef, entryText, sortedDeep, type EntryKind, type EventEntry, type PurchaseEntry, type UserEntries } from "../model/entries";
import type { EntryLog } from "../encoding/recorded-set";

/** One entry an up sends, or checks Braze for first. */
export interface PlannedEntry {
  kind: EntryKind;
  id: string;
  entry: EventEntry | PurchaseEntry;
  /** The entry's canonical text as written (what the record keeps once Braze holds it). */
  text: string;
  /**
   * The time it was sent with before, for an entry whose send got no answer:
   * sent again, it must be the same event. Undefined: resolved at send.
   */
  sentTime?: string;
  /** For an entry in doubt: the request it went in (its entries reached Braze all or none). */
  group?: string;
}

export interface EntryPlan {
  /** Never sent: sent once now. */
  send: PlannedEntry[];
  /** Perhaps already logged (an earlier send got no answer): Braze's counts decide whether it is sent again. */
  verify: PlannedEntry[];
  /** Gone from the file (`events.<id>`): nothing is sent (Braze cannot delete an event) and the record forgets it. */
  forgotten: string[];
}

/** An entry the file changed after it was sent: the whole up is refused. */
export interface EntryConflict {
  key: string;
  /** `events.<id>` or `purchases.<id>`. */
  ref: string;
  reason: string;
}

const KINDS: ReadonlyArray<[EntryKind, "events" | "purchases"]> = [
  ["event", "events"],
  ["purchase", "purchases"],
];

/**
 * Plans one user's entries. `recorded` holds the entries Braze is known to hold
 * (confirmed sends), `log` what is in doubt. `fresh`: the desired entries go to
 * a new Braze user (a create, or a replace), so every desired entry is sent,
 * whatever an old user held.
 */
export function planEntries(
  key: string,
  recorded: UserEntries,
  desired: UserEntries,
  log: EntryLog | undefined,
  fresh = false,
): { plan: EntryPlan; conflicts: EntryConflict[] } {
  const plan: EntryPlan = { send: [], verify: [], forgotten: [] };
  const conflicts: EntryConflict[] = [];
  for (const [kind, field] of KINDS) {
    const want = desired[field] as Record<string, EventEntry | PurchaseEntry>;
    const held = fresh ? {} : (recorded[field] as Record<string, EventEntry | PurchaseEntry>);
    for (const id of Object.keys(want).sort()) {
      const ref = entryRef(kind, id);
      const text = entryText(want[id]);
      const doubt = fresh ? undefined : log?.doubt?.[ref];
      if (held[id] !== undefined) {
        if (entryText(held[id]) !== text) conflicts.push({ key, ref, reason: changedReason(kind, held[id], want[id]) });
      } else if (doubt !== undefined) {
        if (doubt.text !== text) {
          conflicts.push({
            key,
            ref,
            reason: `its last send got no answer, so Braze may hold it as it was (${doubt.text}); Braze cannot change a logged ${kind}. Restore it, or give the changed ${kind} a new id`,
          });
        } else plan.verify.push({ kind, id, entry: want[id], text, sentTime: doubt.sentTime, group: doubt.group });
      } else plan.send.push({ kind, id, entry: want[id], text });
    }
    if (fresh) continue;
    for (const id of Object.keys(held).sort()) if (want[id] === undefined) plan.forgotten.push(entryRef(kind, id));
  }
  if (!fresh) for (const ref of Object.keys(log?.doubt ?? {}).sort()) if (!isDesired(desired, ref)) plan.forgotten.push(ref);
  return { plan, conflicts };
}

function isDesired(desired: UserEntries, ref: string): boolean {
  const dot = ref.indexOf(".");
  const field = ref.slice(0, dot) as "events" | "purchases";
  return (desired[field] as Record<string, unknown> | undefined)?.[ref.slice(dot + 1)] !== undefined;
}

function changedReason(kind: EntryKind, from: EventEntry | PurchaseEntry, to: EventEntry | PurchaseEntry): string {
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .sort()
    .filter(
      (field) =>
        JSON.stringify(sortedDeep((from as unknown as Record<string, unknown>)[field])) !==
        JSON.stringify(sortedDeep((to as unknown as Record<string, unknown>)[field])),
    );
  return `it changed (${fields.join(", ")}) after Braze logged it on an earlier up, and Braze cannot change a logged ${kind}; restore it, or give the changed ${kind} a new id (it is then sent as a new ${kind})`;
}

/** Whether a plan has anything to send, check or forget. */
export function entryPlanIsEmpty(plan: EntryPlan | undefined): boolean {
  return !plan || plan.send.length + plan.verify.length + plan.forgotten.length === 0;
}
