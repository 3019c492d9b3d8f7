// The provider of a user set: one Pulumi resource holding many alias-only users.
// It plans the whole set with the pure planner (../delta/plan-set) and sends
// every delta of the run at once: ceil(objects / cap) /users/track requests and
// ceil(aliases / 50) for deletes, renames and exports, with no waiting on the
// engine's pace. Pulumi-free: plain objects in and out, tested against a real
// HTTP peer without an engine.
import type { BulkOutcome } from "../braze/users-api";
import { describeAlias, type BrazeUsersApi } from "../braze/users-api";
import type { TrackAttributesObject, UserAliasObject } from "../braze/wire-types";
import { aliasObject, exportFieldsFor, observedUser, planCreate, planUpdate } from "../delta";
import { aliasKey, type ManagedUser } from "../model";
import { EMPTY_RECORD, unsureAfterFailure, type EntryLog, type RecordedSet } from "../encoding/recorded-set";
import { entryRef, isRelativeTime, NO_ENTRIES, occurrences, resolveTime, tallyName, type EventEntry, type PurchaseEntry, type UserEntries } from "../model/entries";
import { EntryConflictError } from "../delta/entry-conflict-error";
import type { EntryPlan } from "../delta/plan-entries";
import { ENTRY_SETTLE_MS, runTrackPass, type PassItem, type PassResult } from "./track-pass";
import { DEFAULT_MAX_DELETES, judgeBudgets, type Budgets, type Spent } from "../delta/budgets";
import { planSet, type SetChange, type SetPlan } from "../delta/plan-set";
import { formatPropertyPath } from "../model/property-path";
import { shardsDigest, shardTexts, textsOfShards, type ShardMemo } from "../encoding/user-shards";
import { aliasKeyOfStored, memberOfStored, storedText, userOfStored } from "../encoding/stored-text";
import { memberToText, userToText } from "../encoding/user-text";
import { anyContested, declare, declarationsSettled, declaredBy, declaredElsewhere, declarersOf } from "./declared-aliases";
import { PartialFailure } from "./partial-failure";
import { unpackShards } from "../pulumi-wire/packed-shards";
import { collectGarbage } from "./provider-memory";
import { decodeRecord, encodeRecord } from "../encoding/record-codec";
import { RENAME_POLL_MAX_MS, RENAME_POLL_START_MS, RENAME_VISIBILITY_TIMEOUT_MS } from "./user-provider";

/**
 * A diff's plan is kept for the update of the same run when it has at most this
 * many changes: replanning an unchanged or slightly changed set of 100,000
 * users costs 0.7 to 0.9 s, while a plan of many changes holds a parsed user
 * each, memory better let go while the engine writes its checkpoints.
 */
const PLAN_KEPT_MAX_CHANGES = 10_000;

/** The value the engine puts where an input is not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Failed users named in one error message; the rest are counted. */
const MAX_FAILURES_LISTED = 20;

/** The set's inputs as the provider works with them: its name, and each user's canonical text by user key. */
export interface UserSetInputs {
  name: string;
  users: Record<string, string>;
  /** shardsDigest of the shards the users came from. */
  digest: string;
}

/** The set's inputs as Pulumi holds them: the users' texts in shards (../encoding/user-shards). */
export interface UserSetStoredInputs {
  name: string;
  shards: Record<string, string>;
}

/** The set's outputs: the record, compact, and what a person reads in `pulumi stack output`. */
export interface UserSetOutputs {
  name: string;
  /** The record (../encoding/recorded-set), compressed (../encoding/record-codec). */
  record: string;
  /** Users recorded. */
  userCount: number;
  /** User key -> why it is not yet known to be as desired; the next up sends it again. */
  pending: Record<string, string>;
  /** After a refresh: user key -> what Braze held differently (property paths, or "missing"). */
  drift?: Record<string, string[]>;
  /**
   * User key -> the events and purchases (`events.<id>`) this run forgot because
   * they left the file: Braze keeps what it logged (it cannot delete an event),
   * so nothing was sent. Only the run that forgot them lists them.
   */
  forgotten?: Record<string, string[]>;
  /**
   * shardsDigest of the inputs this record equals in full (every user recorded
   * exactly as those inputs declare it, nothing unsure, nothing pending); absent
   * otherwise. An unchanged up then needs no plan: diffing 100,000 users costs
   * a digest of their shards instead of reading the record and comparing every
   * user (2 s). Derived, and kept because deriving it is the cost it saves.
   */
  inSyncWith?: string;
}

/** A create or update of a set that Braze did not fully apply: the engine records `properties` and fails the run. */
export class UserSetPartialFailure extends PartialFailure<UserSetOutputs> {
  override readonly name = "UserSetPartialFailure";
}

export interface UserSetProviderOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** What one up may delete and spend. @default { maxDeletes: DEFAULT_MAX_DELETES } */
  budgets?: Budgets;
  /** How long Braze is given to apply a request whose answer was lost before its counts are read (ms). @default ENTRY_SETTLE_MS */
  entrySettleMs?: number;
}

interface Failure {
  key: string;
  message: string;
  /** Braze refused this user's own object (not a lost answer, nor a neighbour's refusal). */
  rejected: boolean;
}

export class UserSetProvider {
  readonly #api: BrazeUsersApi;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #budgets: Budgets;
  readonly #settleMs: number;
  /** Per set: shards split at this run's check, so diff and update reuse them (one process serves every set of a run). */
  readonly #shardMemos = new Map<string, ShardMemo>();
  /**
   * Per set: the record last decoded, with its text. Diff and update of one run
   * receive the same record, and comparing its text is cheaper than decompressing
   * and parsing it again (1.3 s at 100,000 users). Read only: a run's changes go
   * to a copy.
   */
  readonly #records = new Map<string, { text: string; record: RecordedSet }>();
  /**
   * Per set: the plan its diff made, for its update to reuse, with the answers
   * the plan was given about aliases declared elsewhere in the program: the
   * update reuses it only for the same record and inputs and the same answers.
   */
  readonly #plans = new Map<string, { record: RecordedSet; digest: string; asked: Map<string, string | undefined>; plan: SetPlan }>();
  /** What the sets this process served in this run have planned to delete and spend: one up shares the budgets. */
  readonly #spent: Spent = { deletes: 0, dataPoints: 0 };

  constructor(api: BrazeUsersApi, options: UserSetProviderOptions = {}) {
    this.#api = api;
    this.#budgets = options.budgets ?? { maxDeletes: DEFAULT_MAX_DELETES };
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#settleMs = options.entrySettleMs ?? ENTRY_SETTLE_MS;
  }

  /**
   * Every alias must be declared once, in this set and in the whole program. The
   * users' values were validated in the program (BrazeUserSet's constructor, or
   * the desired-state loader), before the set was declared.
   */
  check(_olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
    if (news.shards === UNKNOWN || news.packedShards === UNKNOWN || news.name === UNKNOWN) return { inputs: news, failures: [] };
    const failures: Array<{ property: string; reason: string }> = [];
    const name = typeof news.name === "string" ? news.name : "";
    // The program sends the shards packed; the engine stores and shows them whole
    // (../pulumi-wire/packed-shards.ts). Whole shards are taken as they are, so
    // check reads its own result the same.
    const { packedShards, ...rest } = news;
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
    const inputs = { ...rest, shards };
    if (typeof shards !== "object" || shards === null || Array.isArray(shards)) {
      return { inputs, failures: [{ property: "shards", reason: "must map each shard to its users' texts (BrazeUserSet writes it)" }] };
    }
    let users: Record<string, string>;
    try {
      // A shard not known yet (during preview) is checked by the up that knows it.
      users = textsOfShards(Object.fromEntries(Object.entries(shards).filter(([, text]) => text !== UNKNOWN)), this.#shardMemoOf(name));
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
        id = aliasKeyOfStored(key, text);
      } catch (error) {
        failures.push({ property, reason: (error as Error).message });
        continue;
      }
      const first = firstKeyByAlias.get(id);
      if (first !== undefined) {
        failures.push({ property: `${property}.alias`, reason: `alias ${id} is also declared by ${formatPropertyPath(["users", first])} of this set: each alias is one user` });
        continue;
      }
      firstKeyByAlias.set(id, key);
      declarations.push({ aliasKey: id, declarer: `${resource} ${property}` });
    }
    for (const conflict of declare(resource, declarations)) {
      failures.push({ property: conflict.declarer.slice(resource.length + 1), reason: doubleDeclaration(conflict.aliasKey, conflict.declarer, conflict.other) });
    }
    return { inputs, failures };
  }

  /** Pure: never calls Braze, so `pulumi preview` sends nothing. */
  diff(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
    if (news.shards === UNKNOWN || news.packedShards === UNKNOWN || Object.values((news.shards ?? {}) as Record<string, unknown>).includes(UNKNOWN)) {
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    }
    // Exactly the inputs last applied in full: no need to split them or read the record.
    if (olds.inSyncWith !== undefined && olds.drift === undefined && olds.inSyncWith === shardsDigest(shardsOf(news))) {
      return { changes: false, replaces: [], deleteBeforeReplace: false };
    }
    const plan = this.#planOf(this.#recordOf(olds), this.#inputs(news));
    if (plan.conflicts.length > 0) throw new EntryConflictError(resourceName(String(news.name ?? "")), plan.conflicts);
    // The update's request arrives next: the diff's own is garbage by then, and collecting it
    // while the engine writes the step's first checkpoint keeps it from adding to the update's peak.
    if (isLargeSet(news)) setImmediate(collectGarbage);
    return { changes: plan.changes.length > 0 || olds.drift !== undefined, replaces: [], deleteBeforeReplace: false };
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
      return { outs: await this.#apply(id, this.#recordOf(olds), (olds.pending ?? {}) as Record<string, string>, this.#inputs(news)) };
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
    this.#shardMemos.delete(name);
    this.#records.delete(name);
    this.#plans.delete(name);
    if (large) setImmediate(collectGarbage);
  }

  /**
   * Deletes every recorded user that nothing else in the program declares. The
   * decision waits until the program's declarations are in (a removed set is
   * deleted after the engine has checked every resource the program declares).
   */
  async delete(props: Record<string, unknown>): Promise<void> {
    const record = this.#recordOf(props);
    await declarationsSettled(this.#sleep);
    const resource = resourceName(String(props.name ?? ""));
    const aliases = Object.entries(record.users)
      .map(([key, text]) => userOfStored(key, text))
      .filter((user) => declaredBy(aliasKey(user.alias)) === undefined)
      .map((user) => aliasObject(user.alias));
    const failed = (await this.#api.deleteAll(aliases)).filter((outcome) => !outcome.ok);
    if (failed.length > 0) {
      const first = failed[0] as { error: Error };
      throw new Error(`${failed.length} of ${aliases.length} users of ${resource} were not deleted: ${first.error.message}; run the operation again`);
    }
  }

  /**
   * Reads every recorded user back (50 aliases per export, paced by the export
   * endpoint's own limit) and records what Braze holds for the managed attributes
   * only; a user Braze no longer has leaves the record, so the next up creates it
   * whole. The inputs become the record too, so the next preview shows exactly
   * the differences from the desired state.
   */
  async read(id: string, props: Record<string, unknown>): Promise<{ id: string; props: UserSetOutputs; inputs: UserSetStoredInputs }> {
    const name = String(props.name ?? id);
    const record = this.#recordOf(props);
    const keys = Object.keys(record.users);
    const members = keys.map((key) => memberOfStored(key, record.users[key]));
    const users = members.map((member) => member.user);
    const fields = [...new Set(users.flatMap(exportFieldsFor))].sort();
    const exported = await this.#api.exportAll(users.map((user) => aliasObject(user.alias)), fields);
    const next: RecordedSet = { users: {}, unsure: {}, logs: {} };
    const drift: Record<string, string[]> = {};
    keys.forEach((key, index) => {
      const outcome = exported[index];
      if (!outcome.ok) throw new Error(`refresh could not read ${describeAlias(aliasObject(users[index].alias))}: ${outcome.error.message}`);
      if (!outcome.value) {
        drift[key] = ["missing"];
        return;
      }
      const observed = observedUser(users[index], outcome.value);
      // Events and purchases are kept as recorded: Braze cannot change a logged one.
      const text = storedText(key, memberToText({ user: observed, entries: members[index].entries }));
      next.users[key] = text;
      if (record.logs[key]) next.logs[key] = record.logs[key];
      // Read back now, so known again; group states are free to resend, so unsure ones stay unsure.
      const unsure = record.unsure[key];
      if (unsure && unsure !== "all" && unsure.subscriptionGroups.length > 0) next.unsure[key] = { attributes: [], subscriptionGroups: unsure.subscriptionGroups };
      if (text !== record.users[key]) drift[key] = planUpdate(users[index], observed).changedProperties;
    });
    const outs = await outputsOf(name, next, pendingFor(next, (props.pending ?? {}) as Record<string, string>));
    if (Object.keys(drift).length > 0) outs.drift = drift;
    return { id, props: outs, inputs: { name, shards: shardTexts(next.users) } };
  }

  #inputs(props: Record<string, unknown>): UserSetInputs {
    const shards = shardsOf(props);
    const name = String(props.name ?? "");
    return { name, users: textsOfShards(shards, this.#shardMemoOf(name)), digest: shardsDigest(shards) };
  }

  #recordOf(props: Record<string, unknown>): RecordedSet {
    const name = String(props.name ?? "");
    const text = props.record;
    const remembered = this.#records.get(name);
    if (remembered !== undefined && remembered.text === text) return remembered.record;
    const record = decodeRecord(text);
    this.#records.set(name, { text: text as string, record });
    return record;
  }

  /** The set's plan against the record: its diff's, when nothing the plan read has changed since. */
  #planOf(record: RecordedSet, set: UserSetInputs): SetPlan {
    const resource = resourceName(set.name);
    const kept = this.#plans.get(set.name);
    if (kept && kept.record === record && kept.digest === set.digest && [...kept.asked].every(([alias, answer]) => declaredElsewhere(alias, resource) === answer)) {
      return kept.plan;
    }
    const asked = new Map<string, string | undefined>();
    const plan = planSet(record, set.users, {
      declaredElsewhere: (alias) => {
        const answer = declaredElsewhere(alias, resource);
        asked.set(alias, answer);
        return answer;
      },
    });
    if (plan.changes.length <= PLAN_KEPT_MAX_CHANGES) this.#plans.set(set.name, { record, digest: set.digest, asked, plan });
    else this.#plans.delete(set.name);
    return plan;
  }

  #shardMemoOf(name: string): ShardMemo {
    let memo = this.#shardMemos.get(name);
    if (!memo) this.#shardMemos.set(name, (memo = new Map()));
    return memo;
  }

  /** Sends the plan of the whole set and returns the outputs that record what Braze accepted. */
  async #apply(id: string, record: RecordedSet, pending: Record<string, string>, set: UserSetInputs): Promise<UserSetOutputs> {
    const resource = resourceName(set.name);
    // Every declaration of the program is in before anything is sent, so an
    // alias declared twice is refused here and a moved user is never deleted.
    await declarationsSettled(this.#sleep);
    const doubles = !anyContested() ? [] : Object.entries(set.users).flatMap(([key, text]) => {
      const id = aliasKeyOfStored(key, text);
      const all = declarersOf(id);
      return all ? [`alias ${id} is declared ${all.length} times, by ${all.join(" and by ")}: each alias is one Braze user, so declare it in one place only`] : [];
    });
    if (doubles.length > 0) throw new Error(`nothing was sent: ${doubles.join("; ")}`);

    const plan = this.#planOf(record, set);
    if (plan.conflicts.length > 0) throw new EntryConflictError(resource, plan.conflicts);
    const verdict = judgeBudgets(plan, this.#budgets, this.#spent);
    if (verdict.exceeded.length > 0) throw new Error(`nothing was sent for ${resource}: ${verdict.exceeded.join("; ")}`);
    Object.assign(this.#spent, { deletes: verdict.deletes, dataPoints: verdict.dataPoints });
    const next: RecordedSet = { users: { ...record.users }, unsure: { ...record.unsure }, logs: { ...record.logs } };
    const failures = await this.#send(plan, record, next);
    const reasons = { ...pending };
    for (const key of Object.keys(reasons)) if (set.users[key] === undefined || next.unsure[key] === undefined) delete reasons[key];
    for (const failure of failures) reasons[failure.key] = failure.message;
    const stillPending = pendingFor(next, reasons);
    // Events and purchases not yet logged (or in doubt) leave their user pending too.
    for (const failure of failures) stillPending[failure.key] ??= failure.message;
    for (const [key, log] of Object.entries(next.logs)) if (log.doubt) stillPending[key] ??= "events or purchases in doubt: the next up checks Braze's counts before sending them";
    const outs = await outputsOf(set.name, next, sortedKeys(stillPending));
    const forgotten = forgottenOf(plan);
    if (Object.keys(forgotten).length > 0) outs.forgotten = forgotten;
    if (Object.keys(stillPending).length === 0 && recordsExactly(next, set.users)) outs.inSyncWith = set.digest;
    if (failures.length === 0) return outs;
    // What Braze refused first: the users failed only for sharing a request with them come after.
    failures.sort((a, b) => Number(b.rejected) - Number(a.rejected));
    const listed = failures.slice(0, MAX_FAILURES_LISTED).map((failure) => `${formatPropertyPath(["users", failure.key])}: ${failure.message}`);
    if (failures.length > listed.length) listed.push(`… and ${failures.length - listed.length} more (see the set's "pending" output)`);
    throw new UserSetPartialFailure(
      `${failures.length} of ${plan.changes.length} changed users of ${resource} were not applied; ` +
        `state records what Braze accepted, and the next "pulumi up" sends the rest:\n${listed.join("\n")}`,
      id,
      outs,
      listed,
    );
  }

  /** Renames, then deletes, then one /users/track pass; updates `next` with what Braze accepted. */
  async #send(plan: SetPlan, record: RecordedSet, next: RecordedSet): Promise<Failure[]> {
    const failures: Failure[] = [];
    const fail = (key: string, message: string, rejected = false) => failures.push({ key, message, rejected });
    const tracked: Array<{ change: SetChange; object?: TrackAttributesObject }> = [];

    const renames = plan.changes.filter((change): change is Extract<SetChange, { action: "rename" }> => change.action === "rename");
    for (const { change, object } of await this.#rename(renames, fail)) {
      if (object || sendsEntries(change)) tracked.push({ change, object });
      else settle(next, change, record);
    }

    // Deletes before the track pass: a replaced user's old alias goes first, and its new one is created only then.
    const deleting = plan.changes.flatMap((change): Array<{ change: SetChange; alias: UserAliasObject }> =>
      change.action === "delete" ? [{ change, alias: change.alias }] : change.action === "replace" && change.deleteAlias ? [{ change, alias: change.deleteAlias }] : [],
    );
    const deleted = await this.#api.deleteAll(deleting.map(({ alias }) => alias));
    deleting.forEach(({ change }, index) => {
      const outcome = deleted[index];
      if (!outcome.ok) fail(change.key, outcome.error.message);
      else if (change.action === "replace") tracked.push({ change, object: change.object });
      else settle(next, change, record);
    });

    for (const change of plan.changes) {
      switch (change.action) {
        case "create":
        case "update":
          if (change.object || sendsEntries(change)) tracked.push({ change, object: change.object });
          else settle(next, change, record);
          break;
        case "replace":
          if (!change.deleteAlias) tracked.push({ change, object: change.object });
          break;
        case "forget":
          settle(next, change, record);
          break;
        case "delete":
        case "rename":
          break;
      }
    }

    const items: PassItem[] = tracked.map(({ change, object }) => {
      const user = (change as Extract<SetChange, { user: unknown }>).user;
      const entries = (change as { entries?: EntryPlan }).entries;
      const fromKey = (change as { movedFrom?: string }).movedFrom ?? change.key;
      const fresh = change.action === "create" || change.action === "replace";
      return { key: change.key, alias: aliasObject(user.alias), object, entries, tally: fresh ? {} : (record.logs[fromKey]?.tally ?? {}) };
    });
    const results = await runTrackPass(this.#api, items, { now: this.#now, sleep: this.#sleep, settleMs: this.#settleMs, runId: new Date(this.#now()).toISOString() });
    tracked.forEach(({ change, object }, index) => {
      const result = results[index];
      const attributes = result.attributes;
      if (!object || (attributes && attributes.ok)) settle(next, change, record, result);
      else {
        unsettle(next, change, object, record, result);
        if (attributes && !attributes.ok) fail(change.key, attributes.error.message, attributes.error.name === "BrazeObjectError");
      }
      if (result.failures.length > 0) fail(change.key, result.failures.join("; "), result.rejected);
    });
    return failures;
  }

  /**
   * Renames within labels. For each: the old alias must exist (else the user is
   * set whole on the new alias: an earlier run renamed it and failed, or it was
   * deleted outside Pulumi) and the new one must be free (else two users would
   * share an alias). Returns each rename's object to send once Braze shows the
   * new names (it applies renames asynchronously).
   */
  async #rename(
    renames: Array<Extract<SetChange, { action: "rename" }>>,
    fail: (key: string, message: string) => void,
  ): Promise<Array<{ change: SetChange; object?: TrackAttributesObject }>> {
    if (renames.length === 0) return [];
    const found = await this.#api.exportAll(renames.flatMap((change) => [aliasObject(change.from.alias), aliasObject(change.user.alias)]), ["braze_id"]);
    const ready: Array<{ change: SetChange; object?: TrackAttributesObject }> = [];
    const toRename: typeof renames = [];
    renames.forEach((change, index) => {
      const [current, holder] = [found[2 * index], found[2 * index + 1]];
      if (!current.ok || !holder.ok) {
        fail(change.key, (current.ok ? (holder as { error: Error }) : current).error.message);
      } else if (!current.value) {
        ready.push({ change, object: planCreate(change.user) });
      } else if (holder.value) {
        fail(
          change.key,
          `cannot rename ${describeAlias(aliasObject(change.from.alias))} to "${change.user.alias.name}": Braze already has a user with that alias ` +
            `(braze_id ${holder.value.braze_id ?? "unknown"}). Remove or rename that user first, then run "pulumi up" again.`,
        );
      } else toRename.push(change);
    });
    const renamed = await this.#api.renameAll(toRename.map((change) => change.rename));
    const visible: typeof renames = [];
    toRename.forEach((change, index) => {
      const outcome = renamed[index];
      if (outcome.ok) visible.push(change);
      else fail(change.key, outcome.error.message);
    });
    for (const change of await this.#waitUntilVisible(visible, fail)) ready.push({ change, object: change.object });
    return ready;
  }

  async #waitUntilVisible<C extends Extract<SetChange, { action: "rename" }>>(changes: C[], fail: (key: string, message: string) => void): Promise<C[]> {
    const shown: C[] = [];
    let waiting = changes;
    const deadline = this.#now() + RENAME_VISIBILITY_TIMEOUT_MS;
    for (let pause = RENAME_POLL_START_MS; waiting.length > 0; pause = Math.min(pause * 2, RENAME_POLL_MAX_MS)) {
      const found = await this.#api.exportAll(waiting.map((change) => aliasObject(change.user.alias)), ["user_aliases"]);
      const still: C[] = [];
      waiting.forEach((change, index) => (found[index].ok && (found[index] as { value: unknown }).value ? shown : still).push(change));
      waiting = still;
      if (waiting.length === 0) break;
      if (this.#now() + pause > deadline) {
        for (const change of waiting) {
          fail(change.key, `Braze did not show the renamed ${describeAlias(aliasObject(change.user.alias))} within ${RENAME_VISIBILITY_TIMEOUT_MS / 1000} s; run "pulumi up" again to send its attributes`);
        }
        break;
      }
      await this.#sleep(pause);
    }
    return shown;
  }
}

/** Records a change Braze accepted (its attributes; its entries as `result` says). */
function settle(next: RecordedSet, change: SetChange, record: RecordedSet, result?: PassResult): void {
  if (change.action === "delete" || change.action === "forget") {
    delete next.users[change.key];
    delete next.unsure[change.key];
    delete next.logs[change.key];
    return;
  }
  if ((change.action === "update" || change.action === "rename") && change.movedFrom !== undefined) {
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
function unsettle(next: RecordedSet, change: SetChange, object: TrackAttributesObject, record: RecordedSet, result: PassResult): void {
  if (change.action === "create" || change.action === "replace") {
    // Whether the user exists, and with what, is unknown: the next up creates it whole (or deletes it).
    next.users[change.key] = change.text;
    next.unsure[change.key] = "all";
    recordEntries(next, change, change.key, record, result);
    return;
  }
  if (change.action !== "update" && change.action !== "rename") return;
  const key = change.movedFrom ?? change.key;
  // A rename that went through but whose attributes did not: the record follows the alias.
  next.users[key] = storedText(key, userToText({ ...change.from, alias: change.user.alias }));
  next.unsure[key] = unsureAfterFailure(next.unsure[key], object);
  recordEntries(next, change, key, record, result);
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
  const text = storedText(key, memberToText({ user: memberOfStored(key, next.users[key]).user, entries }));
  next.users[key] = text;
}

/** Whether a change has events or purchases to send or to check. */
function sendsEntries(change: SetChange): boolean {
  const entries = (change as { entries?: EntryPlan }).entries;
  return entries !== undefined && entries.send.length + entries.verify.length > 0;
}

/** User key -> the entries a plan forgets, for the outputs. */
function forgottenOf(plan: SetPlan): Record<string, string[]> {
  const forgotten: Record<string, string[]> = {};
  for (const change of plan.changes) {
    const entries = (change as { entries?: EntryPlan }).entries;
    if (entries && entries.forgotten.length > 0) forgotten[change.key] = entries.forgotten;
  }
  return forgotten;
}

/**
 * Inputs of more characters than this are a large set: its diff, update and
 * create collect the garbage of the process (./provider-memory.ts), which for
 * a small set would cost more time than it gives back memory.
 */
const LARGE_INPUTS_CHARACTERS = 4_000_000;

function isLargeSet(props: Record<string, unknown>): boolean {
  const shards = props.shards;
  if (typeof shards !== "object" || shards === null) return false;
  let characters = 0;
  for (const text of Object.values(shards)) characters += typeof text === "string" ? text.length : 0;
  return characters > LARGE_INPUTS_CHARACTERS;
}

/**
 * The inputs' shards. Check has split each of them (a shard that is not a string
 * fails there), so only their container is checked here.
 * @throws TypeError when the inputs have no map of shards.
 */
function shardsOf(props: Record<string, unknown>): Record<string, string> {
  const shards = props.shards;
  if (typeof shards !== "object" || shards === null || Array.isArray(shards)) throw new TypeError("a user set needs shards: a map of shard to its users' texts (BrazeUserSet writes it)");
  return shards as Record<string, string>;
}

/** Whether the record holds exactly these users' texts (what is unsure or in doubt is pending, checked apart). */
function recordsExactly(record: RecordedSet, users: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(users);
  return keys.length === Object.keys(record.users).length && keys.every((key) => record.users[key] === users[key]);
}

function pendingFor(record: RecordedSet, reasons: Record<string, string>): Record<string, string> {
  const pending: Record<string, string> = {};
  for (const key of Object.keys(record.unsure).sort()) pending[key] = reasons[key] ?? "its last request got no answer";
  return pending;
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
}

async function outputsOf(name: string, record: RecordedSet, pending: Record<string, string>): Promise<UserSetOutputs> {
  return { name, record: await encodeRecord(record), userCount: Object.keys(record.users).length, pending };
}


function resourceName(name: string): string {
  return `BrazeUserSet ${JSON.stringify(name)}`;
}

function doubleDeclaration(aliasKey: string, declarer: string, other: string): string {
  return `alias ${aliasKey} is declared twice, by ${declarer} and by ${other}: each alias is one Braze user, so declare it in one place only`;
}

export type { BulkOutcome, ManagedUser };
