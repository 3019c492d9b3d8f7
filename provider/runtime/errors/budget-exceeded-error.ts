import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * A set's plan would go over a budget of the run (`braze:maxDeletes`,
 * `braze:maxDataPoints`), so nothing of it is sent: raised by the preview's
 * diff, the up's update and the destroy's delete alike. Each detail names the
 * budget, the amount needed and the one command that allows it.
 */
export class BudgetExceededError extends BrazeProfilesError {
  override readonly name = "BudgetExceededError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly exceeded: readonly string[],
  ) {
    // Each detail says how to allow its budget once or shrink the plan.
    super({ where: resource, what: "nothing was sent: the plan goes over this run's budget", details: exceeded });
  }
}
