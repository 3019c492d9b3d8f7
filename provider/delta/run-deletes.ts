// braze:maxDeletes for users deleted one resource at a time (BrazeUser). A set
// judges its whole plan at once (see budgets.ts); the engine instead deletes
// each BrazeUser by its own Delete call and never tells the provider how many
// will follow, so the total of a run is not known until it is over. What can be
// kept exactly is a count: one provider process serves every resource of one
// engine operation, so a count kept in it spans the run's deletes, and once it
// reaches the limit every further delete is refused. At most the limit is
// deleted; the rest stay in Braze and in state, and the run fails naming them.
import { ALLOW_DELETES_VARIABLE, type Budgets } from "./budgets";

export class RunDeletes {
  /** The users (identityKey) admitted for deletion in this run: a user admitted twice (diff, then delete) counts once. */
  readonly #admitted = new Set<string>();

  /**
   * Admits the deletion of `identity`, or says why not (one sentence, as
   * judgeBudgets writes it). Synchronous, so deletes the engine runs in
   * parallel each see the ones admitted before them.
   */
  admit(identity: string, budgets: Budgets): string | undefined {
    if (this.#admitted.has(identity)) return undefined;
    const limit = Math.max(budgets.maxDeletes, budgets.allowDeletes ?? 0);
    if (this.#admitted.size < limit) {
      this.#admitted.add(identity);
      return undefined;
    }
    const allowed = budgets.allowDeletes === undefined ? "" : ` (${ALLOW_DELETES_VARIABLE} allows ${budgets.allowDeletes})`;
    return (
      `it would delete more than ${limit} users in this run (${this.#admitted.size} BrazeUser deletes were let through already) and braze:maxDeletes is ${budgets.maxDeletes}${allowed}; ` +
      `if that is meant, allow it for this one command with "${ALLOW_DELETES_VARIABLE}=<how many users> pulumi destroy" (or "pulumi up") ` +
      `(nothing stays set: the next run is guarded again), else restore the users in the program`
    );
  }

  /** How many deletions this run admitted. */
  get admitted(): number {
    return this.#admitted.size;
  }
}
