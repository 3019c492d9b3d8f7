// The delta of a whole user set: which users to create, update, rename, replace,
// delete or simply forget, and the Braze objects each needs. Pure: no I/O, no
// clock. The same plan drives `pulumi up` and can be shown before it.
import type { AliasAttachment, AliasUpdate, ExternalIdRename, Identification, TrackAttributesObject, UserIdentifier } from "../braze/wire-types";
import { countDataPoints, countEntryPoints } from "./data-points";
import type { Hint } from "./diff-user";
import { NO_ENTRIES, type UserEntries } from "../model/entries";
import { aliasKey, identityKey, type ManagedUser } from "../model/managed-user";
import { planCreate } from "./plan-create";
import { planEntries, type EntryConflict, type EntryPlan } from "./plan-entries";
import { externalIdRenameOf, identifiedWhileUnsure, identityRefusal, planUpdate } from "./plan-update";
import { recordedUser, withUnknownsMarked, type RecordedSet } from "../encoding/recorded-set";
import { wireIdentifier } from "./track-object";
import { identityKeyOfStored, memberOfStored, userOfStored } from "../encoding/stored-text";

/** What every change of a recorded user that stays in Braze (an update, a rename, an identification) carries. */
interface ChangedUser {
  key: string;
  from: ManagedUser;
  user: ManagedUser;
  /** The desired user's stored text (stored-text.ts), recorded as is once Braze accepts it. */
  text: string;
  /** Undefined when only hints changed: nothing is sent, the record forgets what was released. */
  object?: TrackAttributesObject;
  changed: string[];
  hints: Hint[];
  /** The key the user was recorded under before (a key added, changed or dropped in the file). */
  movedFrom?: string;
  /** Events and purchases to send, check or forget; undefined when none. */
  entries?: EntryPlan;
}

/** One user whose record and desired state differ, and what is sent for it. */
export type SetChange =
  | {
      action: "create";
      key: string;
      user: ManagedUser;
      /** The desired user's stored text (stored-text.ts), recorded as is once Braze accepts it. */
      text: string;
      /** Undefined only for an adopted user Braze holds with nothing to change (adopt "found"). */
      object?: TrackAttributesObject;
      /** An identified user's alias, attached (/users/alias/new) once the object has created the profile. */
      attach?: AliasAttachment;
      /** The user's events and purchases: every one is sent (after the object that creates the user). */
      entries?: EntryPlan;
      /**
       * Declared with `adopt: true` (./plan-adoption.ts): "read first" until Braze
       * has been read, and `object` is the create's, the most it can cost; then
       * "found" (`object` is the delta from what Braze holds, undefined when
       * nothing differs) or "absent" (created as usual).
       */
      adopt?: "read first" | "found" | "absent";
    }
  | (ChangedUser & {
      /** Attributes or groups changed, events or purchases to send or forget, or parts of the record are unsure. */
      action: "update";
      /** An alias the identified user did not have, attached (/users/alias/new) after the object. */
      attach?: AliasAttachment;
    })
  | (ChangedUser & {
      /** The alias name changed within its label: /users/alias/update, then the delta for the new name. */
      action: "rename";
      rename: AliasUpdate;
    })
  | (ChangedUser & {
      /**
       * An alias-only user kept its alias and gained an external_id: identified
       * in place (/users/identify), then the delta, addressed by external_id.
       */
      action: "identify";
      identify: Identification;
    })
  | (ChangedUser & {
      /**
       * An identified user's external_id changed under the same key: the same
       * profile takes the new id (/users/external_ids/rename), then the delta,
       * addressed by the new id, then the old id is removed
       * (/users/external_ids/remove).
       */
      action: "rename_external_id";
      renameExternalId: ExternalIdRename;
      /** An alias the identified user did not have, attached (/users/alias/new) after the object. */
      attach?: AliasAttachment;
    })
  | {
      /** The alias label changed: Braze cannot relabel, so the old user is deleted and a new one created. */
      action: "replace";
      key: string;
      from: ManagedUser;
      user: ManagedUser;
      /** The desired user's stored text (stored-text.ts), recorded as is once Braze accepts it. */
      text: string;
      object: TrackAttributesObject;
      /** Undefined when the old alias is still declared (elsewhere in this set or program): it is not deleted. */
      deleteAlias?: UserIdentifier;
      reason: string;
      /** Every desired event and purchase: the new user holds none yet. */
      entries?: EntryPlan;
    }
  | {
      action: "delete";
      key: string;
      from: ManagedUser;
      /** How /users/delete names the user: its external_id, else its alias. */
      identifier: UserIdentifier;
    }
  | {
      /** Gone from this set but declared elsewhere (a move): the record forgets it, nothing is sent. */
      action: "forget";
      key: string;
      from: ManagedUser;
      declaredBy: string;
    };

export interface SetPlan {
  /** Every user that differs, sorted by key. */
  changes: SetChange[];
  /** Users whose record equals the desired state and nothing about them is unsure. */
  unchanged: number;
  /**
   * Events and purchases the file changed after Braze logged them. Not empty:
   * nothing of the plan may be sent (see EntryConflictError).
   */
  conflicts: EntryConflict[];
  /**
   * Users whose identity changed in a way this version cannot carry out (an
   * external_id given to an alias-only user, ...; see identityRefusal). Not
   * empty: nothing of the plan may be sent (see IdentityChangeError).
   */
  refusals: Array<{ key: string; reason: string }>;
}

export interface SetPlanOptions {
  /**
   * Who else declares this user (its identityKey) in the program, if anyone: such a
   * user is never deleted by this set, only forgotten (it moved).
   */
  declaredElsewhere?: (identity: string) => string | undefined;
}

/**
 * Plans the whole set. `desired` maps each user key to its stored text
 * (stored-text.ts), as the set's inputs carry it; a user is unchanged when it
 * is the recorded one, so both are in that form (a canonical text works too, on
 * both sides).
 */
export function planSet(record: RecordedSet, desired: Readonly<Record<string, string>>, options: SetPlanOptions = {}): SetPlan {
  const elsewhere = options.declaredElsewhere ?? (() => undefined);
  const changes: SetChange[] = [];
  let unchanged = 0;

  const desiredUsers = new Map<string, { user: ManagedUser; entries: UserEntries; text: string; adopt?: true }>();
  for (const [key, text] of Object.entries(desired)) {
    // A string comparison: an unchanged user is not parsed. Entries in doubt are
    // never in the recorded text, so a user holding some is never "unchanged".
    if (record.users[key] === text && record.unsure[key] === undefined && record.logs[key]?.doubt === undefined) {
      unchanged += 1;
      continue;
    }
    const { user, entries, adopt } = memberOfStored(key, text);
    desiredUsers.set(key, { user, entries, text, adopt });
  }
  // Which recorded key holds each user (by identityKey, and an identified user
  // by its alias too), and which users the desired texts declare: a user whose
  // key changed is found by its identity or alias, so it is updated (or refused,
  // when its identity changed), not recreated, and a user that left under one
  // key but is declared under another is not deleted. Built only when a key is
  // new or gone: an unchanged or updated set of 100,000 users reads no alias.
  const recordedKeyById = lazily(() => recordedKeysByIdentity(record));
  const desiredAliases = lazily(() => new Set(Object.entries(desired).map(([key, text]) => identityKeyOfStored(key, text))));

  const conflicts: EntryConflict[] = [];
  const refusals: SetPlan["refusals"] = [];
  const consumed = new Set<string>();
  for (const [key, { user, entries, text, adopt }] of desiredUsers) {
    let fromKey: string | undefined = record.users[key] === undefined ? undefined : key;
    if (fromKey === undefined) {
      const holder = recordedKeyById().get(identityKey(user)) ?? (user.alias ? recordedKeyById().get(aliasKey(user.alias)) : undefined);
      if (holder !== undefined && desired[holder] === undefined) fromKey = holder;
    }
    if (fromKey !== undefined) consumed.add(fromKey);
    const refusal =
      fromKey === undefined
        ? undefined
        : (identityRefusal(recordedUser(record, fromKey)!, user) ??
          unsureIdentification(record, fromKey, user) ??
          takenExternalId(recordedUser(record, fromKey)!, user, fromKey, recordedKeyById, elsewhere));
    if (refusal !== undefined) {
      refusals.push({ key, reason: refusal });
      continue;
    }
    const change = planMember(record, key, fromKey, user, text, desiredAliases, elsewhere);
    // Only a user new to the stack is adopted: once recorded, `adopt` changes nothing.
    if (adopt && change.action === "create") change.adopt = "read first";
    const fresh = change.action === "create" || change.action === "replace";
    const recorded = fromKey === undefined ? NO_ENTRIES : memberOfStored(fromKey, record.users[fromKey]).entries;
    const planned = planEntries(key, recorded, entries, fromKey === undefined ? undefined : record.logs[fromKey], fresh);
    conflicts.push(...planned.conflicts);
    const { send, verify, forgotten } = planned.plan;
    if (send.length + verify.length + forgotten.length > 0) (change as { entries?: EntryPlan }).entries = planned.plan;
    changes.push(change);
  }

  for (const key of Object.keys(record.users)) {
    if (desired[key] !== undefined || consumed.has(key)) continue;
    const from = recordedUser(record, key)!;
    const id = identityKey(from);
    const declaredBy = desiredAliases().has(id) ? "this set, under another key" : elsewhere(id);
    changes.push(declaredBy ? { action: "forget", key, from, declaredBy } : { action: "delete", key, from, identifier: wireIdentifier(from) });
  }

  changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { changes, unchanged, conflicts, refusals };
}

/** identityKey -> recorded key, an identified user's alias key too (only its text is parsed for it). */
function recordedKeysByIdentity(record: RecordedSet): Map<string, string> {
  const byId = new Map<string, string>();
  for (const [key, text] of Object.entries(record.users)) {
    byId.set(identityKeyOfStored(key, text), key);
    if (isIdentifiedText(text)) {
      const { alias } = userOfStored(key, text);
      if (alias) byId.set(aliasKey(alias), key);
    }
  }
  return byId;
}

function planMember(
  record: RecordedSet,
  key: string,
  fromKey: string | undefined,
  user: ManagedUser,
  text: string,
  desiredAliases: () => ReadonlySet<string>,
  elsewhere: (aliasKey: string) => string | undefined,
): SetChange {
  const attach = attachmentOf(user);
  if (fromKey === undefined) return { action: "create", key, user, text, object: planCreate(user), ...(attach ? { attach } : {}) };
  const from = recordedUser(record, fromKey)!;
  const unsure = record.unsure[fromKey];
  const movedFrom = fromKey === key ? undefined : fromKey;
  const keepsOld = (old: ManagedUser) => desiredAliases().has(identityKey(old)) || elsewhere(identityKey(old)) !== undefined;

  if (unsure === "all") {
    // Whether Braze holds the user at all is unknown: set every value whole, which
    // is right whatever it holds (an alias attached again is no change). A
    // different old alias may exist too: it goes.
    const whole = { key, from, user, text, object: planCreate(user), ...(attach ? { attach } : {}), changed: ["*"], hints: [], movedFrom };
    // A renamed external_id: the send checks Braze first (the old id renamed, the new one already given by a lost answer, or neither: set whole under the new id).
    const renameExternalId = externalIdRenameOf(from, user);
    if (renameExternalId) return { action: "rename_external_id", ...whole, renameExternalId };
    // identityRefusal has refused an email-only or phone-only user whose identifier changed.
    if (user.externalId !== undefined || user.alias === undefined || aliasKey(from.alias!) === aliasKey(user.alias)) return { action: "update", ...whole };
    return replace(key, from, user, text, "its last request got no answer and its alias changed since", keepsOld(from));
  }

  const plan = planUpdate(unsure ? withUnknownsMarked(from, unsure) : from, user);
  if (plan.replace) return replace(key, from, user, text, plan.replaceReason ?? "alias.label changed", keepsOld(from));
  const delta = { key, from, user, text, object: plan.attributes, changed: plan.changedProperties, hints: plan.hints, movedFrom };
  const attachment = plan.attach ? { attach: plan.attach } : {};
  if (plan.identify) return { action: "identify", ...delta, identify: plan.identify };
  if (plan.renameExternalId) return { action: "rename_external_id", ...delta, renameExternalId: plan.renameExternalId, ...attachment };
  if (plan.rename) return { action: "rename", ...delta, rename: plan.rename };
  return { action: "update", ...delta, ...attachment };
}

/** identifiedWhileUnsure for the recorded user under `fromKey`. */
function unsureIdentification(record: RecordedSet, fromKey: string, user: ManagedUser): string | undefined {
  return record.unsure[fromKey] === "all" ? identifiedWhileUnsure(recordedUser(record, fromKey)!, user) : undefined;
}

/**
 * A renamed external_id that another user of this set's record, or another
 * resource of the program, already holds: Braze would refuse the rename (the
 * new id is in use), so nothing is sent. Two users swapping ids are refused
 * this way too: one of them needs a third id for one up.
 */
function takenExternalId(
  from: ManagedUser,
  user: ManagedUser,
  fromKey: string,
  recordedKeyById: () => ReadonlyMap<string, string>,
  elsewhere: (identity: string) => string | undefined,
): string | undefined {
  const rename = externalIdRenameOf(from, user);
  if (!rename) return undefined;
  const identity = identityKey({ externalId: rename.new_external_id });
  const holder = recordedKeyById().get(identity);
  const declarer = holder !== undefined && holder !== fromKey ? `the user recorded under key ${JSON.stringify(holder)}` : elsewhere(identity);
  if (declarer === undefined) return undefined;
  return (
    `external_id changed from ${JSON.stringify(rename.current_external_id)} to ${JSON.stringify(rename.new_external_id)}, which ${declarer} already holds: ` +
    `Braze refuses to rename an external_id to one in use. Choose another external_id, or remove or rename that user first (in its own up)`
  );
}

/** The /users/alias/new entry of an identified user that has an alias. */
export function attachmentOf(user: ManagedUser): AliasAttachment | undefined {
  return user.externalId !== undefined && user.alias ? { external_id: user.externalId, alias_name: user.alias.name, alias_label: user.alias.label } : undefined;
}

function isIdentifiedText(text: string): boolean {
  return text.startsWith("{external_id: ");
}

function replace(key: string, from: ManagedUser, user: ManagedUser, text: string, reason: string, keepOld: boolean): SetChange {
  return { action: "replace", key, from, user, text, object: planCreate(user), deleteAlias: keepOld ? undefined : wireIdentifier(from), reason };
}

/** `make()`, called once, when first needed. */
function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) [value, made] = [make(), true];
    return value as T;
  };
}

/** The /users/track attributes objects of a plan, renames' deltas included, in key order. */
export function trackObjectsOf(plan: SetPlan): TrackAttributesObject[] {
  const objects: TrackAttributesObject[] = [];
  for (const change of plan.changes) {
    if (change.action !== "delete" && change.action !== "forget" && change.object) {
      objects.push(change.object);
    }
  }
  return objects;
}

/** The users a plan deletes through /users/delete: a delete's, and a replaced user's old alias. */
export function deletedIdentifiersOf(plan: SetPlan): UserIdentifier[] {
  return deletionsOf(plan).map(({ identifier }) => identifier);
}

/** Each change that deletes a user through /users/delete, with its identifier, in the plan's order. */
export function deletionsOf(plan: SetPlan): Array<{ change: SetChange; identifier: UserIdentifier }> {
  return plan.changes.flatMap(
    (change): Array<{ change: SetChange; identifier: UserIdentifier }> =>
      change.action === "delete"
        ? [{ change, identifier: change.identifier }]
        : change.action === "replace" && change.deleteAlias
          ? [{ change, identifier: change.deleteAlias }]
          : [],
  );
}

/** The alias-only users a plan identifies in place (/users/identify), in its order. */
export function identificationsOf(plan: SetPlan): Array<Extract<SetChange, { action: "identify" }>> {
  return plan.changes.filter((change): change is Extract<SetChange, { action: "identify" }> => change.action === "identify");
}

/** The identified users whose external_id a plan renames (/users/external_ids/rename), in its order. */
export function externalIdRenamesOf(plan: SetPlan): Array<Extract<SetChange, { action: "rename_external_id" }>> {
  return plan.changes.filter((change): change is Extract<SetChange, { action: "rename_external_id" }> => change.action === "rename_external_id");
}

/** The aliases a plan attaches to identified users (/users/alias/new), in its order. */
export function attachmentsOf(plan: SetPlan): Array<{ change: SetChange; attach: AliasAttachment }> {
  return plan.changes.flatMap((change) => ("attach" in change && change.attach ? [{ change, attach: change.attach }] : []));
}

/**
 * The plan of a set the program no longer declares, as the provider's delete
 * carries it out: every recorded user is deleted, unless another resource
 * declares its alias (then it is only forgotten). In the record's order, which
 * is the order the aliases are sent in.
 */
export function planRemovedSet(record: RecordedSet, declaredBy: (identity: string) => string | undefined): SetPlan {
  const changes = Object.keys(record.users).map((key): SetChange => {
    const from = userOfStored(key, record.users[key]);
    const declarer = declaredBy(identityKey(from));
    return declarer !== undefined ? { action: "forget", key, from, declaredBy: declarer } : { action: "delete", key, from, identifier: wireIdentifier(from) };
  });
  return { changes, unchanged: 0, conflicts: [], refusals: [] };
}

/** The events and purchases a plan may send: those never sent, and those checked first (at most all of them). */
export function entriesOf(plan: SetPlan): Array<{ key: string; entries: EntryPlan }> {
  const all: Array<{ key: string; entries: EntryPlan }> = [];
  for (const change of plan.changes) {
    if ("entries" in change && change.entries) all.push({ key: change.key, entries: change.entries });
  }
  return all;
}

/**
 * Data points the plan's /users/track objects cost by Braze's billing rules
 * (deletes and renames cost none): attributes objects, and every event and
 * purchase to send or to check (a checked one costs only if it must be sent
 * again, so this is the most the plan can cost).
 */
export function dataPointsOf(plan: SetPlan): number {
  let points = trackObjectsOf(plan).reduce((sum, object) => sum + countDataPoints(object), 0);
  for (const { entries } of entriesOf(plan))
    for (const planned of [...entries.send, ...entries.verify]) points += countEntryPoints(planned.kind, planned.entry);
  return points;
}
