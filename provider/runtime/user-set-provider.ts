// The provider of a user set: one Pulumi resource holding many alias-only users.
// It plans the whole set with the pure planner (../delta/plan-set) and sends
// every delta of the run at once (./user-set-send.ts): ceil(objects / cap)
// /users/track requests and ceil(aliases / 50) for deletes, renames and exports,
// with no waiting on the engine's pace. This file is its Pulumi-facing surface
// (check, diff, create, update, delete, read); what it keeps between the calls
// of a run is ./set-run-memory.ts. Pulumi-free: plain objects in and out, tested
// against a real HTTP peer without an engine.
import type { BulkOutcome } from "../braze/users-api";
import { describeIdentifier, type BrazeUsersApi } from "../braze/users-api";
import { exportFieldsFor, observedUser } from "../delta";
import { unreadGroupsText } from "../delta/group-reads";
import { readHeldGroups } from "./held-groups";
import { DEFAULT_MAX_DELETES, type Budgets } from "../delta/budgets";
import { EntryConflictError } from "../delta/entry-conflict-error";
import { IdentityChangeError } from "../delta/identity-change-error";
import { deletedIdentifiersOf, planRemovedSet, type SetPlan } from "../delta/plan-set";
import { SharedAddressError } from "../braze/errors/shared-address-error";
import { wireIdentifier } from "../delta/track-object";
import { EMPTY_RECORD, type RecordedSet } from "../encoding/recorded-set";
import { identityKeyOfStored, memberOfStored, storedText } from "../encoding/stored-text";
import { memberToText } from "../encoding/user-text";
import { shardsDigest, shardTexts, textsOfShards } from "../encoding/user-shards";
import { describeIdentity, identityKind, type ManagedUser } from "../model";
import { formatPropertyPath } from "../model/property-path";
import { failureLines } from "./failure-lines";
import { BudgetExceededError } from "./errors/budget-exceeded-error";
import { LikelyRenameError } from "./errors/likely-rename-error";
import { likelyRenamesOf } from "../delta/likely-renames";
import { DuplicateDeclarationError } from "./errors/duplicate-declaration-error";
import { RefreshUnreadError } from "./errors/refresh-unread-error";
import { UsersNotDeletedError } from "./errors/users-not-deleted-error";
import { createdSetChanges, setChangesOfShards, type SetChanges } from "../delta/set-changes";
import { driftSummary, setSummary } from "../delta/set-summary";
import { MISSING_USER_DRIFT, userDrift, type UserDrift } from "../delta/user-drift";
import { anyContested, declare, declarationsSettled, declaredBy, declarersOf } from "./declared-aliases";
import { unpackOrder, unpackShards } from "../pulumi-wire/packed-shards";
import { engineLog } from "../pulumi-wire/engine-log";
import { collectGarbage } from "./provider-memory";
import { forgottenOf } from "./set-record-updates";
import { SetRunMemory } from "./set-run-memory";
import { ENTRY_SETTLE_MS } from "./track-pass";
import { sendSetPlan } from "./user-set-send";
import type { PathDiff } from "../pulumi-wire/detailed-diff";
import {
  doubleDeclaration,
  isLargeSet,
  outputsOf,
  pendingFor,
  recordsExactly,
  resourceName,
  shardsOf,
  sortedKeys,
  UNKNOWN,
  UserSetPartialFailure,
  type UserSetInputs,
  type UserSetOutputs,
  type UserSetStoredInputs,
} from "./user-set-state";

export { UserSetPartialFailure, type UserSetInputs, type UserSetOutputs, type UserSetStoredInputs } from "./user-set-state";

/** The provider's Diff answer, and what a person should read of it (see UserSetProvider.diff). */
export interface SetDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** The properties the engine should show, when not the whole inputs. */
  shown?: PathDiff[];
  /** Lines for the engine to print under the resource. */
  summary?: string[];
}

/**
 * The `changes` input of a check: from the old inputs' shards to the new ones,
 * a count on create, undefined when the old inputs hold no shards to compare
 * (a stack of an older layout) or the new ones are not all known.
 */
function previewChanges(
  olds: Record<string, unknown>,
  shards: Record<string, unknown>,
  users: Record<string, string>,
  packedOrder: unknown,
): SetChanges | undefined {
  if (Object.keys(olds).length === 0) return createdSetChanges(Object.keys(users).length);
  const oldShards = olds.shards;
  if (typeof oldShards !== "object" || oldShards === null || Array.isArray(oldShards)) return undefined;
  const newShards = shards as Record<string, string>;
  if (Object.values(newShards).includes(UNKNOWN)) return undefined;
  return setChangesOfShards(oldShards as Record<string, string>, newShards, packedOrder === undefined ? undefined : unpackOrder(packedOrder));
}

/** Lines (one per distinct cause) of failed users named in one error message; the rest are counted. */
const MAX_FAILURES_LISTED = 20;

export interface UserSetProviderOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** What one up may delete and spend. @default { maxDeletes: DEFAULT_MAX_DELETES } */
  budgets?: Budgets;
  /** How long Braze is given to apply a request whose answer was lost before its counts are read (ms). @default ENTRY_SETTLE_MS */
  entrySettleMs?: number;
  /** Send a plan whose deleted and created users look like renames (`braze:allowLikelyRenames`). @default false */
  allowLikelyRenames?: boolean;
  /** Diff refuses what update would (false: `braze-profiles plan`'s preview, which reports it). @default true */
  guardsAtPreview?: boolean;
}

export class UserSetProvider {
  readonly #api: BrazeUsersApi;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #budgets: Budgets;
  readonly #settleMs: number;
  readonly #allowLikelyRenames: boolean;
  readonly #guardsAtPreview: boolean;
  /** Split shards, decoded records and plans kept between the calls of one run, and the budgets it spent. */
  readonly #run = new SetRunMemory();

  constructor(api: BrazeUsersApi, options: UserSetProviderOptions = {}) {
    this.#api = api;
    this.#budgets = options.budgets ?? { maxDeletes: DEFAULT_MAX_DELETES };
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#settleMs = options.entrySettleMs ?? ENTRY_SETTLE_MS;
    this.#allowLikelyRenames = options.allowLikelyRenames ?? false;
    this.#guardsAtPreview = options.guardsAtPreview ?? true;
  }

  /**
   * Every alias must be declared once, in this set and in the whole program. The
   * users' values were validated in the program (BrazeUserSet's constructor, or
   * the desired-state loader), before the set was declared.
   */
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
    if (news.shards === UNKNOWN || news.packedShards === UNKNOWN || news.name === UNKNOWN) {
      const { preview: _preview, ...inputs } = news;
      return { inputs, failures: [] };
    }
    const failures: Array<{ property: string; reason: string }> = [];
    const name = typeof news.name === "string" ? news.name : "";
    // The program sends the shards packed; the engine stores and shows them whole
    // (../pulumi-wire/packed-shards.ts). Whole shards are taken as they are, so
    // check reads its own result the same.
    const { packedShards, packedOrder, changes: _lastChanges, preview, ...rest } = news;
    // Only a preview's diff refuses over the guards (see diff); an inputs without it (an older program) is an up's.
    if (preview === true) this.#run.previewing.add(name);
    else this.#run.previewing.delete(name);
    let shards = news.shards;
    if (packedShards !== undefined) {
      if (typeof packedShards !== "object" || packedShards === null || Array.isArray(packedShards)) {
        return { inputs: news, failures: [{ property: "packedShards", reason: "must map each shard to its packed text (BrazeUserSet writes it)" }] };
      }
      try {
        shards = unpackShards(packedShards as Record<string, unknown>);
      } catch (error) {
        return { inputs: news, failures: [{ property: "packedShards", reason: (error as Error).message }] };
      }
    }
    const inputs: Record<string, unknown> = { ...rest, shards };
    if (typeof shards !== "object" || shards === null || Array.isArray(shards)) {
      return { inputs, failures: [{ property: "shards", reason: "must map each shard to its users' texts (BrazeUserSet writes it)" }] };
    }
    // A check starts an up or preview of this set, not a refresh (see diff).
    this.#run.refreshed.delete(name);
    let users: Record<string, string>;
    try {
      // A shard not known yet (during preview) is checked by the up that knows it.
      users = textsOfShards(Object.fromEntries(Object.entries(shards).filter(([, text]) => text !== UNKNOWN)), this.#run.shardMemoOf(name));
    } catch (error) {
      return { inputs, failures: [{ property: "shards", reason: (error as Error).message }] };
    }
    const resource = resourceName(name);
    const declarations: Array<{ aliasKey: string; declarer: string }> = [];
    const firstKeyByAlias = new Map<string, string>();
    for (const [key, text] of Object.entries(users)) {
      const property = formatPropertyPath(["users", key]);
      let id: string;
      try {
        id = identityKeyOfStored(key, text);
      } catch (error) {
        failures.push({ property, reason: (error as Error).message });
        continue;
      }
      const first = firstKeyByAlias.get(id);
      if (first !== undefined) {
        failures.push({
          property,
          reason: `${describeIdentity(id)} is also declared by ${formatPropertyPath(["users", first])} of this set: each ${identityKind(id)} is one user`,
        });
        continue;
      }
      firstKeyByAlias.set(id, key);
      declarations.push({ aliasKey: id, declarer: `${resource} ${property}` });
    }
    for (const conflict of declare(resource, declarations)) {
      failures.push({
        property: conflict.declarer.slice(resource.length + 1),
        reason: doubleDeclaration(conflict.aliasKey, conflict.declarer, conflict.other),
      });
    }
    if (failures.length === 0) {
      try {
        const changes = previewChanges(olds, shards as Record<string, unknown>, users, packedOrder);
        if (changes !== undefined && Object.keys(changes).length > 0) inputs.changes = changes;
      } catch (error) {
        return { inputs, failures: [{ property: "packedOrder", reason: (error as Error).message }] };
      }
    }
    return { inputs, failures };
  }

  /**
   * Never calls Braze, so `pulumi preview` sends nothing. Besides the
   * engine's answer, it says what a person should read: the properties to
   * show (`shown`: the changed users of the check's `changes` input, or in a
   * refresh the drifted users of the `drift` output, never the shards, which
   * hold every user) and a few lines naming them (`summary`).
   */
  async diff(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<SetDiff> {
    if (news.shards === UNKNOWN || news.packedShards === UNKNOWN || Object.values((news.shards ?? {}) as Record<string, unknown>).includes(UNKNOWN)) {
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    }
    const name = String(news.name ?? "");
    // The engine diffs a refresh too: the refreshed outputs against the recorded
    // inputs, the `changes` of the last up among them. Read, not check, ran
    // last for this set, so what a person reads is the drift.
    const drift = this.#run.refreshed.has(name) ? (olds.drift as Record<string, UserDrift | string[]> | undefined) : undefined;
    // Exactly the inputs last applied in full: no need to split them or read the record.
    if (olds.inSyncWith !== undefined && olds.drift === undefined && olds.inSyncWith === shardsDigest(shardsOf(news))) {
      return { changes: false, replaces: [], deleteBeforeReplace: false };
    }
    const plan = this.#run.planOf(this.#run.recordOf(olds), this.#inputs(news));
    // A refresh's diff only reports drift. A preview's diff is the preview's last word on the
    // set, so it refuses what its up would. An up's diff leaves the guards to the update,
    // which judges once every declaration of the program is in: the engine diffs a set
    // before it has checked the resources declared after it, so a user moving to one of
    // them still looks deleted here.
    if (drift === undefined) this.#refuseUnsendable(name, plan, this.#guardsAtPreview && this.#run.previewing.has(name));
    // The update's request arrives next: the diff's own is garbage by then, and collecting it
    // while the engine writes the step's first checkpoint keeps it from adding to the update's peak.
    if (isLargeSet(news)) setImmediate(collectGarbage);
    const changes = plan.changes.length > 0 || olds.drift !== undefined;
    if (!changes) return { changes, replaces: [], deleteBeforeReplace: false };
    if (drift !== undefined) {
      // Shown as deleted from the refreshed outputs, which the engine inverts into added.
      const shown = Object.keys(drift).map((key) => ({ path: `drift[${JSON.stringify(key)}]`, kind: "delete" as const, inputDiff: false }));
      return { changes, replaces: [], deleteBeforeReplace: false, shown, summary: driftSummary(drift) };
    }
    const listed = (news.changes ?? {}) as SetChanges;
    // Shown as added: the old side is read from the outputs, which hold no `changes`,
    // so the last up's changes never show as removed.
    let shown: PathDiff[] = Object.keys(listed).map((key) => ({ path: `changes[${JSON.stringify(key)}]`, kind: "add", inputDiff: false }));
    // Nothing in the file changed, but users are still to send (pending): their reasons go.
    if (shown.length === 0)
      shown = Object.keys((olds.pending ?? {}) as Record<string, string>).map((key) => ({
        path: `pending[${JSON.stringify(key)}]`,
        kind: "delete" as const,
        inputDiff: false,
      }));
    return { changes, replaces: [], deleteBeforeReplace: false, shown, summary: setSummary(plan, listed) };
  }

  async create(inputs: Record<string, unknown>): Promise<{ id: string; outs: UserSetOutputs }> {
    const large = isLargeSet(inputs);
    // What the requests read before them is garbage by now (./provider-memory.ts).
    if (large) collectGarbage();
    try {
      const set = this.#inputs(inputs);
      const id = set.name;
      return { id, outs: await this.#apply(id, EMPTY_RECORD, {}, set) };
    } finally {
      this.#applied(String(inputs.name ?? ""), large);
    }
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: UserSetOutputs }> {
    const large = isLargeSet(news);
    if (large) collectGarbage();
    try {
      return { outs: await this.#apply(id, this.#run.recordOf(olds), (olds.pending ?? {}) as Record<string, string>, this.#inputs(news)) };
    } finally {
      this.#applied(String(news.name ?? ""), large);
    }
  }

  /**
   * A set is created or updated once per run, its last call of the run: what
   * was kept for its next call (split shards, the decoded record, the diff's
   * plan) goes, and a large set's memory is given back once the answer is on
   * its way, while the engine writes its checkpoints (the run's peak).
   */
  #applied(name: string, large: boolean): void {
    this.#run.forget(name);
    if (large) setImmediate(collectGarbage);
  }

  /**
   * Deletes every recorded user that nothing else in the program declares. The
   * decision waits until the program's declarations are in (a removed set is
   * deleted after the engine has checked every resource the program declares).
   */
  async delete(props: Record<string, unknown>): Promise<void> {
    const record = this.#run.recordOf(props);
    await declarationsSettled(this.#sleep);
    const resource = resourceName(String(props.name ?? ""));
    const plan = planRemovedSet(record, declaredBy);
    // `pulumi destroy`, or a set gone from the program, is bound by braze:maxDeletes too.
    const verdict = this.#run.spend(String(props.name ?? ""), plan, this.#budgets, "pulumi destroy");
    if (verdict.exceeded.length > 0) throw new BudgetExceededError(resource, verdict.exceeded);
    const identifiers = deletedIdentifiersOf(plan);
    const failed = (await this.#api.deleteAll(identifiers)).filter((outcome) => !outcome.ok);
    if (failed.length > 0) {
      const first = failed[0] as { error: Error };
      throw new UsersNotDeletedError(resource, failed.length, identifiers.length, first.error);
    }
  }

  /**
   * Reads every recorded user back (50 aliases per export, paced by the export
   * endpoint's own limit, and each recorded subscription group of identified
   * users through GET /subscription/status/get, 50 users per request) and
   * records what Braze holds for the managed attributes and groups only (an
   * alias-only user's groups cannot be read: `groupsUnread` says whose, for refresh to print); a user Braze no longer has leaves the record, so the next up creates it
   * whole. The inputs become the record too, so the next preview shows exactly
   * the differences from the desired state.
   */
  async read(id: string, props: Record<string, unknown>): Promise<{ id: string; props: UserSetOutputs; inputs: UserSetStoredInputs; groupsUnread?: string }> {
    const name = String(props.name ?? id);
    const record = this.#run.recordOf(props);
    const keys = Object.keys(record.users);
    const members = keys.map((key) => memberOfStored(key, record.users[key]));
    const users = members.map((member) => member.user);
    const fields = [...new Set(users.flatMap(exportFieldsFor))].sort();
    const exported = await this.#api.exportAll(users.map(wireIdentifier), fields);
    const heldGroups = await readHeldGroups(this.#api, users);
    for (const [index, error] of heldGroups.failed) throw new RefreshUnreadError(describeIdentifier(wireIdentifier(users[index])), error);
    const next: RecordedSet = { users: {}, unsure: {}, logs: {} };
    const drift: Record<string, UserDrift> = {};
    keys.forEach((key, index) => {
      const outcome = exported[index];
      if (!outcome.ok && outcome.error instanceof SharedAddressError) throw outcome.error.forUser(key);
      if (!outcome.ok) throw new RefreshUnreadError(describeIdentifier(wireIdentifier(users[index])), outcome.error);
      if (!outcome.value) {
        drift[key] = MISSING_USER_DRIFT;
        return;
      }
      const groupsRead = heldGroups.states.get(index);
      const observed = observedUser(users[index], outcome.value, groupsRead);
      // Events and purchases are kept as recorded: Braze cannot change a logged one.
      const text = storedText(key, memberToText({ ...members[index], user: observed }));
      next.users[key] = text;
      if (record.logs[key]) next.logs[key] = record.logs[key];
      // Attributes are read back now, so known again; so are group states read back. Those not read
      // (an alias-only user's) are free to resend, so unsure ones stay unsure, every group of a user whose create was unsure included.
      const unsure = record.unsure[key];
      const groups = groupsRead ? [] : unsure === "all" ? Object.keys(users[index].subscriptionGroups).sort() : (unsure?.subscriptionGroups ?? []);
      if (groups.length > 0) next.unsure[key] = { attributes: [], subscriptionGroups: groups };
      if (text !== record.users[key]) drift[key] = userDrift(observed, users[index]);
    });
    const outs = await outputsOf(name, next, pendingFor(next, (props.pending ?? {}) as Record<string, string>));
    if (Object.keys(drift).length > 0) outs.drift = drift;

    this.#run.refreshed.add(name);
    const answer = { id, props: outs, inputs: { name, shards: shardTexts(next.users) } };
    // Said, not kept in the outputs: an output that only a refresh sets would differ after every up,
    // and `pulumi refresh --expect-no-changes` (the nightly drift check) would fail on it.
    return heldGroups.unnamed.size > 0 ? { ...answer, groupsUnread: unreadGroupsText([...heldGroups.unnamed].map((index) => keys[index])) } : answer;
  }

  /**
   * The checks that stop a set's plan before anything is sent, in one place:
   * diff runs them at `pulumi preview` (the engine calls Diff there, never
   * Update), update runs them again, so a preview fails with the message its
   * up would. Refusals and conflicts cannot be sent at all; likely renames and
   * budgets (the guards) can be allowed on purpose, and are reported rather
   * than refused by `braze-profiles plan`'s preview (`guarded` false).
   */
  #refuseUnsendable(name: string, plan: SetPlan, guarded = true): void {
    const resource = resourceName(name);
    if (plan.refusals.length > 0) throw new IdentityChangeError(resource, plan.refusals);
    if (plan.conflicts.length > 0) throw new EntryConflictError(resource, plan.conflicts);
    if (!guarded) return;
    if (!this.#allowLikelyRenames) {
      const renames = likelyRenamesOf(plan);
      if (renames.length > 0) throw new LikelyRenameError(resource, renames);
    }
    const verdict = this.#run.spend(name, plan, this.#budgets);
    if (verdict.exceeded.length > 0) throw new BudgetExceededError(resource, verdict.exceeded);
  }

  #inputs(props: Record<string, unknown>): UserSetInputs {
    const shards = shardsOf(props);
    const name = String(props.name ?? "");
    return { name, users: textsOfShards(shards, this.#run.shardMemoOf(name)), digest: shardsDigest(shards) };
  }

  /** Sends the plan of the whole set and returns the outputs that record what Braze accepted. */
  async #apply(id: string, record: RecordedSet, pending: Record<string, string>, set: UserSetInputs): Promise<UserSetOutputs> {
    const resource = resourceName(set.name);
    // Every declaration of the program is in before anything is sent, so an
    // alias declared twice is refused here and a moved user is never deleted.
    await declarationsSettled(this.#sleep);
    const doubles = !anyContested()
      ? []
      : Object.entries(set.users).flatMap(([key, text]) => {
          const id = identityKeyOfStored(key, text);
          const all = declarersOf(id);
          return all ? [{ identity: id, declarers: all }] : [];
        });
    if (doubles.length > 0) throw new DuplicateDeclarationError(resource, doubles);

    const plan = this.#run.planOf(record, set);
    this.#refuseUnsendable(set.name, plan);
    const next: RecordedSet = { users: { ...record.users }, unsure: { ...record.unsure }, logs: { ...record.logs } };
    const failures = await sendSetPlan(this.#api, plan, record, next, {
      now: this.#now,
      sleep: this.#sleep,
      settleMs: this.#settleMs,
      say: (line) => engineLog("info", `${resource}: ${line}`),
    });
    const reasons = { ...pending };
    for (const key of Object.keys(reasons)) if (set.users[key] === undefined || next.unsure[key] === undefined) delete reasons[key];
    for (const failure of failures) reasons[failure.key] = failure.message;
    const stillPending = pendingFor(next, reasons);
    // Events and purchases not yet logged (or in doubt) leave their user pending too.
    for (const failure of failures) stillPending[failure.key] ??= failure.message;
    for (const [key, log] of Object.entries(next.logs))
      if (log.doubt) stillPending[key] ??= "events or purchases in doubt: the next up checks Braze's counts before sending them";
    const outs = await outputsOf(set.name, next, sortedKeys(stillPending));
    const forgotten = forgottenOf(plan);
    if (Object.keys(forgotten).length > 0) outs.forgotten = forgotten;
    if (Object.keys(stillPending).length === 0 && recordsExactly(next, set.users)) outs.inSyncWith = set.digest;
    if (failures.length === 0) return outs;
    // What Braze refused first: the users failed only for sharing a request with them come after.
    failures.sort((a, b) => Number(b.rejected) - Number(a.rejected));
    const listed = failureLines(failures, MAX_FAILURES_LISTED);
    throw new UserSetPartialFailure(
      `${failures.length} of ${plan.changes.length} changed users of ${resource} were not applied; ` +
        `state records what Braze accepted, and the next "pulumi up" sends the rest:\n${listed.join("\n")}`,
      id,
      outs,
      listed,
    );
  }
}

/**
 * One line per failed user, the first MAX_FAILURES_LISTED, and a count of the
 * rest. Users that failed for the same reason (a request held back by the
 * rate limit fails all its users alike) share one line, which names a few.
 */
export type { BulkOutcome, ManagedUser };
