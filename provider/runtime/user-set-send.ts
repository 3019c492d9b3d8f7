// Sending a user set's plan, in the stages of ../delta/set-sends.ts: adopted users read, renames,
// then deletes, then identifications, then external_id renames, then one /users/track pass, then aliases
// attached to identified users and old external_ids removed; the run's record follows what Braze accepted
// (./set-record-updates.ts). Every batch of a stage is sent at once.
import { describeAlias, type BrazeUsersApi } from "../braze/users-api";
import type { AliasAttachment, TrackAttributesObject } from "../braze/wire-types";
import { planCreate } from "../delta/plan-create";
import { readHeldGroups } from "./held-groups";
import { adoptedChange, adoptionFieldsOf, adoptionsOf } from "../delta/plan-adoption";
import type { EntryPlan } from "../delta/plan-entries";
import { deletionsOf, externalIdRenamesOf, identificationsOf, type SetChange, type SetPlan } from "../delta/plan-set";
import { lastStageOf, renamesOf, sendsEntries, type RenameChange } from "../delta/set-sends";
import { aliasObject, wireIdentifier } from "../delta/track-object";
import type { RecordedSet } from "../encoding/recorded-set";
import { waitUntilShown } from "./creation-wait";
import { holdsIdentifier, identificationFields, removeOldExternalIds, renameExternalIdsChecked } from "./identity-changes";
import { keepOldExternalId, settle, unattach, unsettle } from "./set-record-updates";
import { runTrackPass, type PassItem } from "./track-pass";
import { RENAME_VISIBILITY_TIMEOUT_MS } from "./user-provider";

/** A user of the plan that Braze did not fully apply. */
export interface SendFailure {
  key: string;
  message: string;
  /** Braze refused this user's own object (not a lost answer, nor a neighbour's refusal). */
  rejected: boolean;
}

export interface SendOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How long Braze is given to apply a request whose answer was lost before its counts are read (ms). */
  settleMs: number;
  /** Prints a line in the run's output (what an adoption found). @default nothing is printed */
  say?: (line: string) => void;
}

type IdentifyChange = Extract<SetChange, { action: "identify" }>;
type ExternalIdRenameChange = Extract<SetChange, { action: "rename_external_id" }>;
type Fail = (key: string, message: string, rejected?: boolean) => void;

/**
 * Adopted users read, then renames, deletes, identifications, external_id
 * renames, one /users/track pass, then attached aliases and removed old
 * external_ids; updates `next` with what Braze accepted.
 */
export async function sendSetPlan(api: BrazeUsersApi, planned: SetPlan, record: RecordedSet, next: RecordedSet, options: SendOptions): Promise<SendFailure[]> {
  const failures: SendFailure[] = [];
  const fail: Fail = (key, message, rejected = false) => failures.push({ key, message, rejected });
  const plan = await adopt(api, planned, fail, options.say ?? (() => undefined));
  const tracked: Array<{ change: SetChange; object?: TrackAttributesObject }> = [];

  for (const { change, object } of await rename(api, renamesOf(plan), fail, options)) {
    if (object || sendsEntries(change)) tracked.push({ change, object });
    else settle(next, change, record);
  }

  // Deletes before the track pass: a replaced user's old alias goes first, and its new one is created only then.
  const deleting = deletionsOf(plan);
  const deleted = await api.deleteAll(deleting.map(({ identifier }) => identifier));
  deleting.forEach(({ change }, index) => {
    const outcome = deleted[index];
    if (!outcome.ok) fail(change.key, outcome.error.message);
    else if (change.action === "replace") tracked.push({ change, object: change.object });
    else settle(next, change, record);
  });

  for (const { change, object } of await identify(api, identificationsOf(plan), fail)) {
    if (object || sendsEntries(change)) tracked.push({ change, object });
    else settle(next, change, record);
  }

  const { ready: reidentified, removals } = await renameExternalIds(api, externalIdRenamesOf(plan), fail);
  for (const { change, object } of reidentified) {
    if (object || sendsEntries(change)) tracked.push({ change, object });
    else settle(next, change, record);
  }

  for (const change of plan.changes) {
    const stage = lastStageOf(change);
    if (stage === "track") tracked.push({ change, object: (change as { object?: TrackAttributesObject }).object });
    else if (stage === "record") settle(next, change, record);
  }

  const items: PassItem[] = tracked.map(({ change, object }) => {
    const user = (change as Extract<SetChange, { user: unknown }>).user;
    const entries = (change as { entries?: EntryPlan }).entries;
    const fromKey = (change as { movedFrom?: string }).movedFrom ?? change.key;
    const fresh = change.action === "create" || change.action === "replace";
    return { key: change.key, identifier: wireIdentifier(user), object, entries, tally: fresh ? {} : (record.logs[fromKey]?.tally ?? {}) };
  });
  const results = await runTrackPass(api, items, {
    now: options.now,
    sleep: options.sleep,
    settleMs: options.settleMs,
    runId: new Date(options.now()).toISOString(),
  });
  const attaching: SetChange[] = [];
  tracked.forEach(({ change, object }, index) => {
    const result = results[index];
    const attributes = result.attributes;
    if (!object || attributes?.ok) {
      settle(next, change, record, result);
      if ((change as { attach?: unknown }).attach) attaching.push(change);
    } else {
      unsettle(next, change, object, record, result);
      if (attributes && !attributes.ok) fail(change.key, attributes.error.message, attributes.error.name === "BrazeObjectError");
    }
    if (result.failures.length > 0) fail(change.key, result.failures.join("; "), result.rejected);
  });
  await attach(api, attaching, next, fail);
  await removeRenamedIds(api, removals, next, fail);
  return failures;
}

/**
 * Reads the adopted users new to the stack (50 per export, paced by the export
 * endpoint's own limit), then the declared subscription groups of those Braze
 * holds (GET /subscription/status/get, one group and 50 users per request;
 * an alias-only user's cannot be read, so they are sent as declared), and puts
 * in the plan what each then sends: the delta from what Braze holds, or the
 * create when Braze holds none. A user that could not be read is neither sent
 * nor recorded: the next up reads it again.
 */
async function adopt(api: BrazeUsersApi, plan: SetPlan, fail: Fail, say: (line: string) => void): Promise<SetPlan> {
  const adoptions = adoptionsOf(plan);
  if (adoptions.length === 0) return plan;
  const found = await api.exportAll(
    adoptions.map((change) => wireIdentifier(change.user)),
    adoptionFieldsOf(adoptions),
  );
  const held = adoptions.flatMap((change, index) => {
    const outcome = found[index];
    return outcome.ok && outcome.value !== undefined ? [{ change, exported: outcome.value }] : [];
  });
  const groups = await readHeldGroups(
    api,
    held.map(({ change }) => change.user),
  );
  // Each adoption's change once Braze answered; undefined when it could not be read.
  const resolved = new Map<SetChange, SetChange | undefined>();
  const notRead = (change: SetChange, error: Error) => {
    resolved.set(change, undefined);
    fail(change.key, `it was not read before adopting it (nothing was sent for it): ${error.message}`);
  };
  const absent: string[] = [];
  adoptions.forEach((change, index) => {
    const outcome = found[index];
    if (!outcome.ok) return notRead(change, outcome.error);
    if (outcome.value === undefined) absent.push(change.key);
    resolved.set(change, adoptedChange(change, outcome.value));
  });
  held.forEach(({ change, exported }, index) => {
    const error = groups.failed.get(index);
    if (error) return notRead(change, error);
    // A user whose groups cannot be named (alias-only) has none read: adoptedChange sends them as declared.
    resolved.set(change, adoptedChange(change, exported, groups.unnamed.has(index) ? undefined : (groups.states.get(index) ?? {})));
  });
  const unread = [...resolved.values()].filter((adopted) => adopted === undefined).length;
  const holding = adoptions.length - absent.length - unread;
  const aliasOnly = groups.unnamed.size;
  say(
    `adopt: ${adoptions.length} users read from Braze, ${holding} held (only differences are sent), ${absent.length} not held (created), ${unread} not read` +
      (aliasOnly > 0
        ? `; the subscription groups of ${aliasOnly} alias-only held user${aliasOnly === 1 ? "" : "s"} are sent as declared (GET /subscription/status/get takes no alias)`
        : ""),
  );
  if (absent.length > 0)
    say(`adopt: Braze holds none of ${absent.slice(0, 20).join(", ")}${absent.length > 20 ? ` and ${absent.length - 20} more` : ""}: created as new users`);
  const changes = plan.changes.flatMap((change) => {
    if (!resolved.has(change)) return [change];
    const adopted = resolved.get(change);
    return adopted ? [adopted] : [];
  });
  return { ...plan, changes };
}

/**
 * Gives identified users their new external_ids (see renameExternalIdsChecked):
 * a user deleted outside Pulumi is set whole under the new id. One that
 * failed, or whose answer was lost, keeps its old id in the record (the next
 * up checks again); its attributes, events and purchases wait for it, so they
 * only ever go to the new id.
 */
async function renameExternalIds(
  api: BrazeUsersApi,
  changes: ExternalIdRenameChange[],
  fail: Fail,
): Promise<{ ready: Array<{ change: SetChange; object?: TrackAttributesObject }>; removals: ExternalIdRenameChange[] }> {
  const ready: Array<{ change: SetChange; object?: TrackAttributesObject }> = [];
  const removals: ExternalIdRenameChange[] = [];
  const results = await renameExternalIdsChecked(
    api,
    changes.map((change) => change.renameExternalId),
  );
  results.forEach((result, index) => {
    const change = changes[index];
    if (result.state === "renamed") {
      ready.push({ change, object: change.object });
      removals.push(change);
    } else if (result.state === "gone") ready.push({ change, object: planCreate(change.user) });
    else fail(change.key, result.message, result.rejected);
  });
  return { ready, removals };
}

/**
 * Removes the old ids of renamed external_ids once the pass addressed the
 * profiles by their new ids (see removeOldExternalIds). One whose answer was
 * lost stays in the record, so the next up removes it again.
 */
async function removeRenamedIds(api: BrazeUsersApi, removals: ExternalIdRenameChange[], next: RecordedSet, fail: Fail): Promise<void> {
  const errors = await removeOldExternalIds(
    api,
    removals.map((change) => change.renameExternalId.current_external_id),
  );
  removals.forEach((change, index) => {
    const error = errors[index];
    if (!error) return;
    if (next.users[change.key] !== undefined) keepOldExternalId(next, change.key, change.renameExternalId.current_external_id);
    fail(change.key, `its old external_id was not removed: ${error.message}`);
  });
}

/**
 * Attaches aliases to identified users whose profiles the pass created or
 * updated (/users/alias/new takes an external_id Braze knows). One Braze did
 * not take, or whose answer was lost, leaves the record without the alias, so
 * the next up attaches it again: Braze takes an alias the profile already
 * holds as done.
 */
async function attach(api: BrazeUsersApi, changes: SetChange[], next: RecordedSet, fail: Fail): Promise<void> {
  if (changes.length === 0) return;
  const outcomes = await api.attachAll(changes.map((change) => (change as { attach: AliasAttachment }).attach));
  changes.forEach((change, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) return;
    unattach(next, change.key);
    fail(change.key, `its alias was not attached: ${outcome.error.message}`, outcome.error.name === "BrazeObjectError");
  });
}

/**
 * Identifies alias-only users in place. Each external_id is read first: a
 * profile that has it and holds the alias was identified by an earlier up
 * whose answer was lost, and is not identified again. One Braze refused, or
 * whose answer was lost, leaves the record alias-only (the next up checks
 * again); its attributes, events and purchases wait for it.
 */
async function identify(api: BrazeUsersApi, changes: IdentifyChange[], fail: Fail): Promise<Array<{ change: SetChange; object?: TrackAttributesObject }>> {
  if (changes.length === 0) return [];
  const found = await api.exportAll(
    changes.map((change) => ({ external_id: change.identify.external_id })),
    identificationFields(changes.map((change) => change.identify)),
  );
  const ready: IdentifyChange[] = [];
  const toIdentify: IdentifyChange[] = [];
  changes.forEach((change, index) => {
    const outcome = found[index];
    if (!outcome.ok) return fail(change.key, `its external_id could not be checked before identifying it: ${outcome.error.message}`);
    const holds = holdsIdentifier(change.identify, outcome.value);
    (holds ? ready : toIdentify).push(change);
  });
  const identified = await api.identifyAll(toIdentify.map((change) => change.identify));
  toIdentify.forEach((change, index) => {
    const outcome = identified[index];
    if (outcome.ok) ready.push(change);
    else fail(change.key, `it was not identified: ${outcome.error.message}`, outcome.error.name === "BrazeObjectError");
  });
  return ready.map((change) => ({ change, object: change.object }));
}

/**
 * Renames within labels. For each: the old alias must exist (else the user is
 * set whole on the new alias: an earlier run renamed it and failed, or it was
 * deleted outside Pulumi) and the new one must be free (else two users would
 * share an alias). Returns each rename's object to send once Braze shows the
 * new names (it applies renames asynchronously).
 */
async function rename(
  api: BrazeUsersApi,
  renames: RenameChange[],
  fail: Fail,
  options: SendOptions,
): Promise<Array<{ change: SetChange; object?: TrackAttributesObject }>> {
  if (renames.length === 0) return [];
  const found = await api.exportAll(
    renames.flatMap((change) => [{ user_alias: aliasObject(change.from.alias!) }, { user_alias: aliasObject(change.user.alias!) }]),
    ["braze_id"],
  );
  const ready: Array<{ change: SetChange; object?: TrackAttributesObject }> = [];
  const toRename: RenameChange[] = [];
  renames.forEach((change, index) => {
    const [current, holder] = [found[2 * index], found[2 * index + 1]];
    if (!current.ok || !holder.ok) {
      fail(change.key, (current.ok ? (holder as { error: Error }) : current).error.message);
    } else if (!current.value) {
      ready.push({ change, object: planCreate(change.user) });
    } else if (holder.value) {
      fail(
        change.key,
        `cannot rename ${describeAlias(aliasObject(change.from.alias!))} to "${change.user.alias!.name}": Braze already has a user with that alias ` +
          `(braze_id ${holder.value.braze_id ?? "unknown"}). Remove or rename that user first, then run "pulumi up" again.`,
      );
    } else toRename.push(change);
  });
  const renamed = await api.renameAll(toRename.map((change) => change.rename));
  const visible: RenameChange[] = [];
  toRename.forEach((change, index) => {
    const outcome = renamed[index];
    if (outcome.ok) visible.push(change);
    else fail(change.key, outcome.error.message);
  });
  for (const change of await waitUntilVisible(api, visible, fail, options)) ready.push({ change, object: change.object });
  return ready;
}

async function waitUntilVisible(api: BrazeUsersApi, changes: RenameChange[], fail: Fail, options: SendOptions): Promise<RenameChange[]> {
  const aliases = changes.map((change) => ({ user_alias: aliasObject(change.user.alias!) }));
  const shown = await waitUntilShown(api, aliases, options, RENAME_VISIBILITY_TIMEOUT_MS, ["user_aliases"]);
  changes.forEach((change, index) => {
    if (shown[index]) return;
    fail(
      change.key,
      `Braze did not show the renamed ${describeAlias(aliases[index].user_alias)} within ${RENAME_VISIBILITY_TIMEOUT_MS / 1000} s; run "pulumi up" again to send its attributes`,
    );
  });
  return changes.filter((_, index) => shown[index]);
}
