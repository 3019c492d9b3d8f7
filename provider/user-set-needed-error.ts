import { BrazeProfilesError } from "../errors/braze-profiles-error";

/**
 * brazeUsersFromDesiredState was given users that only a BrazeUserSet manages:
 * users with events or purchases (a set logs each once, where one resource per
 * user cannot).
 */
export class UserSetNeededError extends BrazeProfilesError {
  override readonly name = "UserSetNeededError";

  constructor(
    /** The users' keys (or default keys) that need a set. */
    readonly users: readonly string[],
    /** What they declare, e.g. `events or purchases`. */
    declared: string,
    /** What BrazeUser cannot do with it, and what a set does, e.g. `which BrazeUser does not manage; …`. */
    why: string,
  ) {
    super({
      where: "brazeUsersFromDesiredState",
      what: `${users.length} user(s) declare ${declared} (${users.slice(0, 5).join(", ")}${users.length > 5 ? ", …" : ""}), ${why}`,
      hint: "declare the file as one BrazeUserSet (brazeUserSetFromFile)",
    });
  }
}
