import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * A BrazeUserSet's record in Pulumi state (its `record` output) cannot be read:
 * missing, damaged, or written by a version of the provider this one does not
 * read. Refused rather than guessed, since the record is what the next up
 * diffs against. `cause` holds the decoder's own error, when there is one.
 */
export class RecordUnreadableError extends BrazeProfilesError {
  override readonly name = "RecordUnreadableError";

  constructor(what: string, hint: string, cause?: unknown) {
    super({ where: "the user set's record in Pulumi state", what, hint, cause });
  }
}
