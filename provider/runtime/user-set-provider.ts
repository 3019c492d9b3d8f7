// The provider of a user set: one Pulumi resource holding many alias-only users.
// It plans the whole set with the pure planner (../delta/plan-set) and sends
// every delta of the run at once (./user-set-send.ts): ceil(objects / cap)
// /users/track requests and ceil(aliases / 50) for deletes, renames and exports,
// with no waiting on the engine's pace. This file is its Pulumi-facing surface
// (check, diff, create, update, delete, read); what it keeps between the calls
// of a run is ./set-run-memory.ts. Pulumi-free: plain objects in and out, tested
// against a real HTTP peer without an engine.
import type { BulkOutcome } from "../braze/users-api";
import { describeAlias, type BrazeUsersApi } from "../braze/users-api";
import { exportFieldsFor, observedUser, planUpdate } from "../delta";
import { DEFAULT_MAX_DELETES, type Budgets } from "../delta/budgets";
import { EntryConflictError } from "../delta/entry-conflict-error";
import { deletedAliasesOf, planRemovedSet } from "../delta/plan-set";
import { aliasObject } from "../delta/track-object";
import { EMPTY_RECORD, type RecordedSet } from "../encoding/recorded-set";
import { aliasKeyOfStored, memberOfStored, storedText } from "../encoding/stored-text";
import { memberToText } from "../encoding/user-text";
import { shardsDigest, shardTexts, textsOfShards } from "../encoding/user-shards";
import type { ManagedUser } from "../model";
import { formatPropertyPath } from "../model/property-path";
import { BudgetExceededError } from "./errors/budget-exceeded-error";
import { DuplicateDeclarationError } from "./errors/duplicate-declaration-error";
import { RefreshUnreadError } from "./errors/refresh-unread-error";
import { UsersNotDeletedError } from "./errors/users-not-deleted-error";
import { anyContested, declare, declarationsSettled, declaredBy, declarersOf } from "./declared-aliases";
import { unpackShards } from "../pulumi-wire/packed-shards";
import { collectGarbage } from "./provider-memory";
import { forgottenOf } from "./set-record-updates";
import { SetRunMemory } from "./set-run-memory";
import { ENTRY_SETTLE_MS } from "./track-pass";
import { sendSetPlan, type SendFailure } from "./user-set-send";
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

/** Failed users named in one error message; the rest are counted. */
const MAX_FAILURES_LISTED = 20;

export interface UserSetProviderOptions {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** What one up may delete and spend. @default { maxDeletes: DEFAULT_MAX_DELETES } */
  budgets?: Budgets;
  /** How long Braze is given to apply a request whose answer was lost before its counts are read (ms). @default ENTRY_SETTLE_MS */
  entrySettleMs?: number;
}

export class UserSetProvider {
  readonly #api: BrazeUsersApi;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #budgets: Budgets;
  readonly #settleMs: number;
  /** Split shards, decoded records and plans kept between the calls of one run, and the budgets it spent. */
  readonly #run = new SetRunMemory();

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
    const plan = this.#run.planOf(this.#run.recordOf(olds), this.#inputs(news));
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
    const aliases = deletedAliasesOf(planRemovedSet(record, declaredBy));
    const failed = (await this.#api.deleteAll(aliases)).filter((outcome) => !outcome.ok);
    if (failed.length > 0) {
      const first = failed[0] as { error: Error };
      throw new UsersNotDeletedError(resource, failed.length, aliases.length, first.error);
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
    const record = this.#run.recordOf(props);
    const keys = Object.keys(record.users);
    const members = keys.map((key) => memberOfStored(key, record.users[key]));
    const users = members.map((member) => member.user);
    const fields = [...new Set(users.flatMap(exportFieldsFor))].sort();
    const exported = await this.#api.exportAll(users.map((user) => aliasObject(user.alias)), fields);
    const next: RecordedSet = { users: {}, unsure: {}, logs: {} };
    const drift: Record<string, string[]> = {};
    keys.forEach((key, index) => {
      const outcome = exported[index];
      if (!outcome.ok) throw new RefreshUnreadError(describeAlias(aliasObject(users[index].alias)), outcome.error);
      if (!outcome.value) {
        drift[key] = ["missing"];
        return;
      }
      const observed = observedUser(users[index], outcome.value);
      // Events and purchases are kept as recorded: Braze cannot change a logged one.
      const text = storedText(key, memberToText({ user: observed, entries: members[index].entries }));
      next.users[key] = text;
      if (record.logs[key]) next.logs[key] = record.logs[key];
      // Attributes are read back now, so known again. Group states cannot be read back (Braze's export has
      // none) and are free to resend, so unsure ones stay unsure, every group of a user whose create was unsure included.
      const unsure = record.unsure[key];
      const groups = unsure === "all" ? Object.keys(users[index].subscriptionGroups).sort() : (unsure?.subscriptionGroups ?? []);
      if (groups.length > 0) next.unsure[key] = { attributes: [], subscriptionGroups: groups };
      if (text !== record.users[key]) drift[key] = planUpdate(users[index], observed).changedProperties;
    });
    const outs = await outputsOf(name, next, pendingFor(next, (props.pending ?? {}) as Record<string, string>));
    if (Object.keys(drift).length > 0) outs.drift = drift;
    return { id, props: outs, inputs: { name, shards: shardTexts(next.users) } };
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
    const doubles = !anyContested() ? [] : Object.entries(set.users).flatMap(([key, text]) => {
      const id = aliasKeyOfStored(key, text);
      const all = declarersOf(id);
      return all ? [{ alias: id, declarers: all }] : [];
    });
    if (doubles.length > 0) throw new DuplicateDeclarationError(resource, doubles);

    const plan = this.#run.planOf(record, set);
    if (plan.conflicts.length > 0) throw new EntryConflictError(resource, plan.conflicts);
    const verdict = this.#run.spend(plan, this.#budgets);
    if (verdict.exceeded.length > 0) throw new BudgetExceededError(resource, verdict.exceeded);
    const next: RecordedSet = { users: { ...record.users }, unsure: { ...record.unsure }, logs: { ...record.logs } };
    const failures = await sendSetPlan(this.#api, plan, record, next, { now: this.#now, sleep: this.#sleep, settleMs: this.#settleMs });
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
    const listed = listFailures(failures);
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
function listFailures(failures: readonly SendFailure[]): string[] {
  const byMessage = new Map<string, string[]>();
  for (const failure of failures) byMessage.set(failure.message, [...(byMessage.get(failure.message) ?? []), formatPropertyPath(["users", failure.key])]);
  const lines: string[] = [];
  let named = 0;
  for (const [message, users] of byMessage) {
    if (named >= MAX_FAILURES_LISTED) break;
    const shown = users.length === 1 ? users : users.slice(0, 3);
    lines.push(`${shown.join(", ")}${users.length > shown.length ? ` and ${users.length - shown.length} more users` : ""}: ${message}`);
    named += users.length;
  }
  if (failures.length > named) lines.push(`… and ${failures.length - named} more (see the set's "pending" output)`);
  return lines;
}

export type { BulkOutcome, ManagedUser };
