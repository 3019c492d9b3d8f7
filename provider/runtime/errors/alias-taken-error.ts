import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * A rename would move a user onto an alias another Braze user already holds:
 * that would leave two users under one alias, and the attributes would land on
 * whichever Braze picks, so nothing is renamed.
 */
export class AliasTakenError extends BrazeProfilesError {
  override readonly name = "AliasTakenError";

  constructor(
    /** The user being renamed, e.g. `alias kim (label qa)`. */
    readonly subject: string,
    /** The alias name it was to get. */
    readonly newName: string,
    /** The braze_id of the user that holds that alias already, when Braze named it. */
    readonly holderBrazeId: string | undefined,
  ) {
    super({
      where: subject,
      what: `cannot be renamed to "${newName}": Braze already has a user with that alias (braze_id ${holderBrazeId ?? "unknown"})`,
      hint: `remove or rename that user first, then run "pulumi up" again`,
    });
  }
}
