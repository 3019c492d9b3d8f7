// What one `pulumi up` may spend and delete, checked on the plan before
// anything is sent. Pure: the plan and the limits in, the verdict out.
import { dataPointsOf, deletedIdentifiersOf, type SetPlan } from "./plan-set";

/**
 * Users one up may delete unless `braze:maxDeletes` says otherwise: enough for
 * everyday edits, far too few for a file emptied or truncated by mistake.
 */
export const DEFAULT_MAX_DELETES = 10;

/**
 * The environment variables that lift a budget for one command only: set on
 * the command line, they leave nothing behind in stack config, so the next run
 * has its guard again. The provider process inherits `pulumi`'s environment.
 */
export const ALLOW_DELETES_VARIABLE = "BRAZE_PROFILES_ALLOW_DELETES";
export const ALLOW_DATA_POINTS_VARIABLE = "BRAZE_PROFILES_ALLOW_DATA_POINTS";
/**
 * Set (to "1") by `braze-profiles plan` on the preview it runs: that preview's
 * diff does not refuse a plan over the guards, because the plan reports their
 * verdict itself. Only diff reads it: an up's update and delete refuse whatever
 * it says, so it cannot open a guard.
 */
export const PLAN_PREVIEW_VARIABLE = "BRAZE_PROFILES_PLAN_PREVIEW";

export interface Budgets {
  /** Most users one up may delete. @default DEFAULT_MAX_DELETES */
  maxDeletes: number;
  /** Most data points one up may spend; undefined: no limit. */
  maxDataPoints?: number;
  /** Deletes this one command may make whatever maxDeletes says (ALLOW_DELETES_VARIABLE); undefined: none more. */
  allowDeletes?: number;
  /** Data points this one command may spend whatever maxDataPoints says (ALLOW_DATA_POINTS_VARIABLE). */
  allowDataPoints?: number;
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

/**
 * How a plan, on top of what the run already spent, measures against the
 * budgets. The same verdict refuses `pulumi preview` and `pulumi up` (and
 * `pulumi destroy` for deletes), so a pull request's preview fails where its
 * merge would.
 * @param command the command a person reruns to allow the plan once, e.g. `pulumi destroy`.
 */
export function judgeBudgets(plan: SetPlan, budgets: Budgets, spent: Spent = { deletes: 0, dataPoints: 0 }, command = "pulumi up"): BudgetVerdict {
  const deletes = spent.deletes + deletedIdentifiersOf(plan).length;
  const dataPoints = spent.dataPoints + dataPointsOf(plan);
  const exceeded: string[] = [];
  if (deletes > Math.max(budgets.maxDeletes, budgets.allowDeletes ?? 0)) {
    exceeded.push(
      `it would delete ${deletes} users and braze:maxDeletes is ${budgets.maxDeletes}${allowedText(ALLOW_DELETES_VARIABLE, budgets.allowDeletes)}; ` +
        `if that is meant, allow it for this one command with "${ALLOW_DELETES_VARIABLE}=${deletes} ${command}" ` +
        `(nothing stays set: the next run is guarded again), else restore the users in the desired state`,
    );
  }
  if (budgets.maxDataPoints !== undefined && dataPoints > Math.max(budgets.maxDataPoints, budgets.allowDataPoints ?? 0)) {
    exceeded.push(
      `it needs ${dataPoints} data points and braze:maxDataPoints is ${budgets.maxDataPoints}${allowedText(ALLOW_DATA_POINTS_VARIABLE, budgets.allowDataPoints)}; ` +
        `if that is meant, allow it for this one command with "${ALLOW_DATA_POINTS_VARIABLE}=${dataPoints} ${command}" ` +
        `(nothing stays set), else send fewer changes`,
    );
  }
  return { deletes, dataPoints, exceeded };
}

function allowedText(variable: string, allowed: number | undefined): string {
  return allowed === undefined ? "" : ` (${variable} allows ${allowed})`;
}
