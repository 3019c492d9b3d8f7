import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Refresh could not read a recorded user back from Braze. Nothing of the set's
 * state changes: recording a guess would be worse than recording nothing.
 */
export class RefreshUnreadError extends BrazeProfilesError {
  override readonly name = "RefreshUnreadError";

  constructor(
    /** e.g. `alias ada (label qa)`. */
    readonly subject: string,
    cause: Error,
  ) {
    super({ where: subject, what: `refresh could not read it (${cause.message})`, hint: `run "pulumi refresh" again once Braze answers`, cause });
  }
}
