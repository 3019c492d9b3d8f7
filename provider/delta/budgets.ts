// What one `pulumi up` may spend and delete, checked on the plan before
// anything is sent. Pure: the plan and the limits in, the verdict out.
import { dataPointsOf, deletedIdentifiersOf, type SetPlan } from "./plan-set";

/**
 * Users one up may delete unless `braze:maxDeletes` says otherwise: enough for
 * everyday edits, far too few for a file emptied or truncated by mistake.
 */
export const DEFAULT_MAX_DELETES = 10;

export interface Budgets {
  /** Most users one up may delete. @default DEFAULT_MAX_DELETES */
  maxDeletes: number;
  /** Most data points one up may spend; undefined: no limit. */
  maxDataPoints?: number;
}

export interface BudgetVerdict {
  deletes: number;
  dataPoints: number;
  /** One sentence per budget the plan exceeds; empty when it fits. */
  exceeded: string[];
}

/** What earlier plans of the same up already spent: every set of a run shares the budgets. */
export interface Spent {
  deletes: number;
  dataPoints: number;
}

/** How a plan, on top of what the run already spent, measures against the budgets. */
export function judgeBudgets(plan: SetPlan, budgets: Budgets, spent: Spent = { deletes: 0, dataPoints: 0 }): BudgetVerdict {
  const deletes = spent.deletes + deletedIdentifiersOf(plan).length;
  const dataPoints = spent.dataPoints + dataPointsOf(plan);
  const exceeded: string[] = [];
  if (deletes > budgets.maxDeletes) {
    exceeded.push(
      `it would delete ${deletes} users and braze:maxDeletes is ${budgets.maxDeletes}; if that is meant, raise it for this run ` +
        `("pulumi config set braze:maxDeletes ${deletes}"), else restore the users in the desired state`,
    );
  }
  if (budgets.maxDataPoints !== undefined && dataPoints > budgets.maxDataPoints) {
    exceeded.push(
      `it needs ${dataPoints} data points and braze:maxDataPoints is ${budgets.maxDataPoints}; raise it ` +
        `("pulumi config set braze:maxDataPoints ${dataPoints}") or send fewer changes`,
    );
  }
  return { deletes, dataPoints, exceeded };
}
