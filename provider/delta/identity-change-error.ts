import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * A user's external_id or an identified user's alias changed in a way this
 * version cannot carry out (see identityRefusal): the whole up is refused
 * before anything is sent. Names each user by key.
 */
export class IdentityChangeError extends BrazeProfilesError {
  override readonly name = "IdentityChangeError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly refusals: ReadonlyArray<{ key: string; reason: string }>,
  ) {
    // Each reason says what to do for its user.
    super({
      where: resource,
      what: `nothing was sent: ${refusals.length === 1 ? "1 user's identity" : `${refusals.length} users' identities`} changed in a way that cannot be applied`,
      details: refusals.map((refusal) => `users[${JSON.stringify(refusal.key)}]: ${refusal.reason}`),
    });
  }
}
