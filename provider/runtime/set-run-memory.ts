// What the provider keeps between the calls of one run for the sets it serves:
// one process serves every set of a run, and check, diff and update of a set
// receive the same shards and record, so each is split, decoded and planned
// once. A set's entries go when its create or update is done (forget).
import type { Budgets, BudgetVerdict, Spent } from "../delta/budgets";
import { judgeBudgets } from "../delta/budgets";
import { planSet, type SetPlan } from "../delta/plan-set";
import { decodeRecord } from "../encoding/record-codec";
import type { RecordedSet } from "../encoding/recorded-set";
import type { ShardMemo } from "../encoding/user-shards";
import { declaredElsewhere } from "./declared-aliases";
import { resourceName, type UserSetInputs } from "./user-set-state";

/**
 * A diff's plan is kept for the update of the same run when it has at most this
 * many changes: replanning an unchanged or slightly changed set of 100,000
 * users costs 0.7 to 0.9 s, while a plan of many changes holds a parsed user
 * each, memory better let go while the engine writes its checkpoints.
 */
const PLAN_KEPT_MAX_CHANGES = 10_000;

export class SetRunMemory {
  /** Per set: shards split at this run's check, so diff and update reuse them. */
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
  /**
   * Sets read back (refreshed) since their last check: the engine's Diff that
   * follows a read compares the refresh's outputs with the recorded inputs.
   */
  readonly refreshed = new Set<string>();
  /** Sets whose last check was a preview's (the program ran as a dry run): their diff refuses over the guards. */
  readonly previewing = new Set<string>();
  /**
   * Per set: what its plan of this run deletes and spends, once judged within
   * the budgets: every set of one command shares them. By set, so that the
   * update judging the plan its diff judged counts it once.
   */
  readonly #spent = new Map<string, Spent>();

  /** The memo of the set's split shards. */
  shardMemoOf(name: string): ShardMemo {
    let memo = this.#shardMemos.get(name);
    if (!memo) this.#shardMemos.set(name, (memo = new Map()));
    return memo;
  }

  /** The record of the set's outputs (`props.record`), decoded. */
  recordOf(props: Record<string, unknown>): RecordedSet {
    const name = String(props.name ?? "");
    const text = props.record;
    const remembered = this.#records.get(name);
    if (remembered !== undefined && remembered.text === text) return remembered.record;
    const record = decodeRecord(text);
    this.#records.set(name, { text: text as string, record });
    return record;
  }

  /** The set's plan against the record: its diff's, when nothing the plan read has changed since. */
  planOf(record: RecordedSet, set: UserSetInputs): SetPlan {
    const resource = resourceName(set.name);
    const kept = this.#plans.get(set.name);
    if (
      kept &&
      kept.record === record &&
      kept.digest === set.digest &&
      [...kept.asked].every(([alias, answer]) => declaredElsewhere(alias, resource) === answer)
    ) {
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

  /**
   * Judges the set's plan against the budgets on top of what the other sets of
   * the run spent; a plan within them is counted as the set's spending.
   * @param command what a person reruns to allow the plan once (see judgeBudgets).
   */
  spend(name: string, plan: SetPlan, budgets: Budgets, command?: string): BudgetVerdict {
    const others: Spent = { deletes: 0, dataPoints: 0 };
    for (const [set, spent] of this.#spent) {
      if (set === name) continue;
      others.deletes += spent.deletes;
      others.dataPoints += spent.dataPoints;
    }
    const verdict = judgeBudgets(plan, budgets, others, command);
    if (verdict.exceeded.length === 0) this.#spent.set(name, { deletes: verdict.deletes - others.deletes, dataPoints: verdict.dataPoints - others.dataPoints });
    return verdict;
  }

  /** The set's last call of the run is done: what was kept for its next call goes. */
  forget(name: string): void {
    this.#shardMemos.delete(name);
    this.#records.delete(name);
    this.#plans.delete(name);
  }
}
