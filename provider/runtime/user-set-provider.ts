// The provider of a user set: one Pulumi resource holding many alias-only users.
// It plans the whole set with the pure planner (../delta/plan-set) and sends
// every delta of the run at once: ceil(objects / cap) /users/track requests and
// ceil(aliases / 50) for deletes, renames and exports, with no waiting on the
// engine's pace. Pulumi-free: plain objects in and out, tested against a real
// HTTP peer without an engine.
import type { BulkOutcome } from "../braze/users-api";
import { describeAlias, type BrazeUsersApi } from "../braze/users-api";
import type { TrackAttributesObject, UserAliasObject } from "../braze/wire-types";
import {
  aliasKey,
  aliasObject,
  exportFieldsFor,
  observedUser,
  planCreate,
  planUpdate,
  type ManagedUser,
} from "../delta";
import { EMPTY_RECORD, unsureAfterFailure, type RecordedSet } from "../delta/recorded-set";
import { DEFAULT_MAX_DELETES, judgeBudgets, type Budgets, type Spent } from "../delta/budgets";
import { planSet, type SetChange, type SetPlan } from "../delta/plan-set";
import { formatPropertyPath } from "../delta/property-path";
import { aliasKeyOfText, userFromText, userToText } from "../delta/user-text";
import { declare, declarationsSettled, declaredBy, declaredElsewhere, declarersOf } from "./declared-aliases";
import { PartialFailure } from "./partial-failure";
import { decodeRecord, encodeRecord } from "./record-codec";
import { RENAME_POLL_MAX_MS, RENAME_POLL_START_MS, RENAME_VISIBILITY_TIMEOUT_MS } from "./user-provider";

/** The value the engine puts where an input is not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Failed users named in one error message; the rest are counted. */
const MAX_FAILURES_LISTED = 20;

/** The set's inputs: its name, and each user's canonical text by user key. */
export interface UserSetInputs {
  name: string;
  users: Record<string, string>;
}

/** The set's outputs: the record, compact, and what a person reads in `pulumi stack output`. */
export interface UserSetOutputs {
  name: string;
  /** The record (../delta/recorded-set), compressed (./record-codec). */
  record: string;
  /** Users recorded. */
  userCount: number;
  /** User key -> why it is not yet known to be as desired; the next up sends it again. */
  pending: Record<string, string>;
  /** After a refresh: user key -> what Braze held differently (property paths, or "missing"). */
  drift?: Record<string, string[]>;
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
  /** What the sets this process served in this run have planned to delete and spend: one up shares the budgets. */
  readonly #spent: Spent = { deletes: 0, dataPoints: 0 };

  constructor(api: BrazeUsersApi, options: UserSetProviderOptions = {}) {
    this.#api = api;
    this.#budgets = options.budgets ?? { maxDeletes: DEFAULT_MAX_DELETES };
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
  }

  /**
   * Every alias must be declared once, in this set and in the whole program. The
   * users' values were validated in the program (BrazeUserSet's constructor, or
   * the desired-state loader), before the set was declared.
   */
  check(_olds: Record<string, unknown>, news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> } {
    if (news.users === UNKNOWN || news.name === UNKNOWN) return { inputs: news, failures: [] };
    const failures: Array<{ property: string; reason: string }> = [];
    const name = typeof news.name === "string" ? news.name : "";
    const users = news.users;
    if (typeof users !== "object" || users === null || Array.isArray(users)) {
      return { inputs: news, failures: [{ property: "users", reason: "must map each user key to the user's text" }] };
    }
    const resource = resourceName(name);
    const declarations: Array<{ aliasKey: string; declarer: string }> = [];
    const firstKeyByAlias = new Map<string, string>();
    for (const [key, text] of Object.entries(users as Record<string, unknown>)) {
      if (text === UNKNOWN) continue;
      const property = formatPropertyPath(["users", key]);
      if (typeof text !== "string") {
        failures.push({ property, reason: "must be the user's text (BrazeUserSet writes it)" });
        continue;
      }
      let id: string;
      try {
        id = aliasKeyOfText(text);
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
    return { inputs: news, failures };
  }

  /** Pure: never calls Braze, so `pulumi preview` sends nothing. */
  diff(olds: Record<string, unknown>, news: Record<string, unknown>): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
    if (news.users === UNKNOWN || Object.values((news.users ?? {}) as Record<string, unknown>).includes(UNKNOWN)) {
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    }
    const plan = planSet(decodeRecord(olds.record), toInputs(news).users);
    return { changes: plan.changes.length > 0 || olds.drift !== undefined, replaces: [], deleteBeforeReplace: false };
  }

  async create(inputs: Record<string, unknown>): Promise<{ id: string; outs: UserSetOutputs }> {
    const set = toInputs(inputs);
    const id = set.name;
    return { id, outs: await this.#apply(id, EMPTY_RECORD, {}, set) };
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: UserSetOutputs }> {
    return { outs: await this.#apply(id, decodeRecord(olds.record), (olds.pending ?? {}) as Record<string, string>, toInputs(news)) };
  }

  /**
   * Deletes every recorded user that nothing else in the program declares. The
   * decision waits until the program's declarations are in (a removed set is
   * deleted after the engine has checked every resource the program declares).
   */
  async delete(props: Record<string, unknown>): Promise<void> {
    const record = decodeRecord(props.record);
    await declarationsSettled(this.#sleep);
    const resource = resourceName(String(props.name ?? ""));
    const aliases = Object.values(record.users)
      .map(userFromText)
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
  async read(id: string, props: Record<string, unknown>): Promise<{ id: string; props: UserSetOutputs; inputs: UserSetInputs }> {
    const name = String(props.name ?? id);
    const record = decodeRecord(props.record);
    const keys = Object.keys(record.users);
    const users = keys.map((key) => userFromText(record.users[key]));
    const fields = [...new Set(users.flatMap(exportFieldsFor))].sort();
    const exported = await this.#api.exportAll(users.map((user) => aliasObject(user.alias)), fields);
    const next: RecordedSet = { users: {}, unsure: {} };
    const drift: Record<string, string[]> = {};
    keys.forEach((key, index) => {
      const outcome = exported[index];
      if (!outcome.ok) throw new Error(`refresh could not read ${describeAlias(aliasObject(users[index].alias))}: ${outcome.error.message}`);
      if (!outcome.value) {
        drift[key] = ["missing"];
        return;
      }
      const observed = observedUser(users[index], outcome.value);
      const text = userToText(observed);
      next.users[key] = text;
      // Read back now, so known again; group states are free to resend, so unsure ones stay unsure.
      const unsure = record.unsure[key];
      if (unsure && unsure !== "all" && unsure.subscriptionGroups.length > 0) next.unsure[key] = { attributes: [], subscriptionGroups: unsure.subscriptionGroups };
      if (text !== record.users[key]) drift[key] = planUpdate(users[index], observed).changedProperties;
    });
    const outs = outputsOf(name, next, pendingFor(next, (props.pending ?? {}) as Record<string, string>));
    if (Object.keys(drift).length > 0) outs.drift = drift;
    return { id, props: outs, inputs: { name, users: next.users } };
  }

  /** Sends the plan of the whole set and returns the outputs that record what Braze accepted. */
  async #apply(id: string, record: RecordedSet, pending: Record<string, string>, set: UserSetInputs): Promise<UserSetOutputs> {
    const resource = resourceName(set.name);
    // Every declaration of the program is in before anything is sent, so an
    // alias declared twice is refused here and a moved user is never deleted.
    await declarationsSettled(this.#sleep);
    const doubles = Object.values(set.users).flatMap((text) => {
      const id = aliasKeyOfText(text);
      const all = declarersOf(id);
      return all ? [`alias ${id} is declared ${all.length} times, by ${all.join(" and by ")}: each alias is one Braze user, so declare it in one place only`] : [];
    });
    if (doubles.length > 0) throw new Error(`nothing was sent: ${doubles.join("; ")}`);

    const plan = planSet(record, set.users, { declaredElsewhere: (alias) => declaredElsewhere(alias, resource) });
    const verdict = judgeBudgets(plan, this.#budgets, this.#spent);
    if (verdict.exceeded.length > 0) throw new Error(`nothing was sent for ${resource}: ${verdict.exceeded.join("; ")}`);
    Object.assign(this.#spent, { deletes: verdict.deletes, dataPoints: verdict.dataPoints });
    const next: RecordedSet = { users: { ...record.users }, unsure: { ...record.unsure } };
    const failures = await this.#send(plan, next);
    const reasons = { ...pending };
    for (const key of Object.keys(reasons)) if (set.users[key] === undefined || next.unsure[key] === undefined) delete reasons[key];
    for (const failure of failures) reasons[failure.key] = failure.message;
    const outs = outputsOf(set.name, next, pendingFor(next, reasons));
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
  async #send(plan: SetPlan, next: RecordedSet): Promise<Failure[]> {
    const failures: Failure[] = [];
    const fail = (key: string, message: string, rejected = false) => failures.push({ key, message, rejected });
    const tracked: Array<{ change: SetChange; object: TrackAttributesObject }> = [];

    const renames = plan.changes.filter((change): change is Extract<SetChange, { action: "rename" }> => change.action === "rename");
    for (const { change, object } of await this.#rename(renames, fail)) {
      if (object) tracked.push({ change, object });
      else settle(next, change);
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
      else settle(next, change);
    });

    for (const change of plan.changes) {
      switch (change.action) {
        case "create":
        case "update":
          if (change.object) tracked.push({ change, object: change.object });
          else settle(next, change);
          break;
        case "replace":
          if (!change.deleteAlias) tracked.push({ change, object: change.object });
          break;
        case "forget":
          settle(next, change);
          break;
        case "delete":
        case "rename":
          break;
      }
    }

    const outcomes = await this.#api.trackAll(tracked.map(({ object }) => object));
    tracked.forEach(({ change, object }, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) settle(next, change);
      else {
        unsettle(next, change, object);
        fail(change.key, outcome.error.message, outcome.error.name === "BrazeObjectError");
      }
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

/** Records a change Braze accepted. */
function settle(next: RecordedSet, change: SetChange): void {
  if (change.action === "delete" || change.action === "forget") {
    delete next.users[change.key];
    delete next.unsure[change.key];
    return;
  }
  if ((change.action === "update" || change.action === "rename") && change.movedFrom !== undefined) {
    delete next.users[change.movedFrom];
    delete next.unsure[change.movedFrom];
  }
  next.users[change.key] = change.text;
  delete next.unsure[change.key];
}

/**
 * Records a change whose object Braze refused or may not have received: what it
 * carried becomes unsure, so the next plan sends it whole rather than a delta
 * from a record that may be wrong.
 */
function unsettle(next: RecordedSet, change: SetChange, object: TrackAttributesObject): void {
  if (change.action === "create" || change.action === "replace") {
    // Whether the user exists, and with what, is unknown: the next up creates it whole (or deletes it).
    next.users[change.key] = change.text;
    next.unsure[change.key] = "all";
    return;
  }
  if (change.action !== "update" && change.action !== "rename") return;
  const key = change.movedFrom ?? change.key;
  // A rename that went through but whose attributes did not: the record follows the alias.
  next.users[key] = userToText({ ...change.from, alias: change.user.alias });
  next.unsure[key] = unsureAfterFailure(next.unsure[key], object);
}

function pendingFor(record: RecordedSet, reasons: Record<string, string>): Record<string, string> {
  const pending: Record<string, string> = {};
  for (const key of Object.keys(record.unsure).sort()) pending[key] = reasons[key] ?? "its last request got no answer";
  return pending;
}

function outputsOf(name: string, record: RecordedSet, pending: Record<string, string>): UserSetOutputs {
  return { name, record: encodeRecord(record), userCount: Object.keys(record.users).length, pending };
}

function toInputs(props: Record<string, unknown>): UserSetInputs {
  const users = props.users;
  if (typeof users !== "object" || users === null || Array.isArray(users)) throw new TypeError("a user set needs users: a map of user key to user text");
  return { name: String(props.name ?? ""), users: users as Record<string, string> };
}

function resourceName(name: string): string {
  return `BrazeUserSet ${JSON.stringify(name)}`;
}

function doubleDeclaration(aliasKey: string, declarer: string, other: string): string {
  return `alias ${aliasKey} is declared twice, by ${declarer} and by ${other}: each alias is one Braze user, so declare it in one place only`;
}

export type { BulkOutcome, ManagedUser };
