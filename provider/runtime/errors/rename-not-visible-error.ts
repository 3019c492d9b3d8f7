import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze applies an alias rename asynchronously, and did not show the renamed
 * user within the wait: its attributes were not sent, since sending them to the
 * new alias early would create a second user.
 */
export class RenameNotVisibleError extends BrazeProfilesError {
  override readonly name = "RenameNotVisibleError";

  constructor(
    /** The renamed user, e.g. `alias kimberly (label qa)`. */
    readonly subject: string,
    readonly waitedMs: number,
  ) {
    super({
      where: subject,
      what: `Braze did not show the renamed user within ${waitedMs / 1000} s, so its attributes were not sent`,
      hint: `run "pulumi up" again to send them`,
    });
  }
}
