import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * A BrazeUserSet declared in a program (not from a file, whose problems carry
 * file positions: DesiredStateError) whose members cannot be used. Every
 * problem is listed, one per line, as `users[key].property: what to fix`.
 */
export class UserSetMembersError extends BrazeProfilesError {
  override readonly name = "UserSetMembersError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly problems: readonly string[],
  ) {
    // Each problem line says what its value should be.
    super({ where: resource, what: problems.length === 1 ? "1 problem" : `${problems.length} problems`, details: problems });
  }
}
