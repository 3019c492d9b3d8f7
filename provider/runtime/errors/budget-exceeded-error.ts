import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * A set's plan would go over a budget of the run (`braze:maxDeletes`,
 * `braze:maxDataPoints`), so nothing of it is sent. Each detail names the
 * budget, the amount needed and how to raise it.
 */
export class BudgetExceededError extends BrazeProfilesError {
  override readonly name = "BudgetExceededError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly exceeded: readonly string[],
  ) {
    // Each detail says how to raise its budget or shrink the plan.
    super({ where: resource, what: "nothing was sent: the plan goes over this run's budget", details: exceeded });
  }
}
