import { BrazeProfilesError } from "../errors/braze-profiles-error";

/**
 * A desired state whose users log events or purchases, declared as BrazeUser
 * resources: BrazeUser manages attributes and subscription groups only, and
 * dropping the entries silently would lose them, so it refuses.
 */
export class EntriesNeedUserSetError extends BrazeProfilesError {
  override readonly name = "EntriesNeedUserSetError";

  constructor(
    /** The users' keys (or alias keys) that declare events or purchases. */
    readonly users: readonly string[],
  ) {
    super({
      where: "brazeUsersFromDesiredState",
      what: `${users.length} user(s) declare events or purchases (${users.slice(0, 5).join(", ")}${users.length > 5 ? ", …" : ""}), which BrazeUser does not manage`,
      hint: "declare the file as one BrazeUserSet (brazeUserSetFromFile), which logs each event and purchase once",
    });
  }
}
