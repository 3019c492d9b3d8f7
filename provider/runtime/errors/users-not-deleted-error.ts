import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Some users of a deleted set could not be deleted in Braze. The set stays in
 * state, so running the operation again deletes the rest. `cause` is the
 * first failure.
 */
export class UsersNotDeletedError extends BrazeProfilesError {
  override readonly name = "UsersNotDeletedError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly failed: number,
    readonly total: number,
    cause: Error,
  ) {
    super({
      where: resource,
      what: `${failed} of ${total} users were not deleted (the first failed with: ${cause.message})`,
      hint: "run the operation again to delete the rest",
      cause,
    });
  }
}
