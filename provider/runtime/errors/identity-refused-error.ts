import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * A BrazeUser's external_id, or an identified user's alias, changed in a way
 * this version cannot carry out (see identityRefusal in ../../delta): nothing
 * is sent for it, at preview as at up. A set reports the same reasons for all
 * its users at once (IdentityChangeError).
 */
export class IdentityRefusedError extends BrazeProfilesError {
  override readonly name = "IdentityRefusedError";

  constructor(
    /** e.g. `BrazeUser "ada"`. */
    readonly resource: string,
    /** Why, and what to do (identityRefusal's sentence). */
    readonly reason: string,
  ) {
    super({ where: resource, what: `nothing was sent: ${reason}` });
  }
}
