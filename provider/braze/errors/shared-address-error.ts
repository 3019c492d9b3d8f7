import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze holds several profiles with the email or phone an email-only or
 * phone-only user is addressed by. Which of them an update reaches is Braze's
 * choice (the most recently updated one with an external_id), so the provider
 * records neither profile's values rather than guess which one is the user's.
 */
export class SharedAddressError extends BrazeProfilesError {
  override readonly name = "SharedAddressError";

  constructor(
    /** `email a@b.c` or `phone +1555…`. */
    readonly address: string,
    /** How many profiles Braze returned for it. */
    readonly profiles: number,
    /** The user's key in its set, once known. */
    readonly user?: string,
    /** The resource the user is, once known (a BrazeUser). */
    resource?: string,
    /**
     * The external_id of the one profile holding the address, when it is an
     * identified profile: Braze sends updates by email or phone to the most
     * recently updated profile that has an external_id, so that profile, not an
     * email-only one, is what the user's requests reach.
     */
    readonly heldBy?: string,
  ) {
    super({
      where: resource ?? (user === undefined ? "POST /users/export/ids" : `user ${user}`),
      what:
        heldBy === undefined
          ? `${profiles} Braze profiles hold ${address}, so which one is this user cannot be told and neither profile's values are recorded`
          : `${address} belongs to the identified profile external_id ${heldBy}, where Braze sends every update by that address (to the most recently updated profile with an external_id), so this is not an ${address.split(" ")[0]}-only profile and its values are not recorded`,
      hint:
        heldBy === undefined
          ? `delete or merge the extra profiles in Braze (POST /users/merge), or give the user an external_id, then run again`
          : `declare the user by external_id ${JSON.stringify(heldBy)} (the address then goes under attributes), or remove the address from that profile in Braze, then run again`,
    });
  }

  /** The same error naming the user's key. */
  forUser(user: string): SharedAddressError {
    return new SharedAddressError(this.address, this.profiles, user, undefined, this.heldBy);
  }

  /** The same error naming the resource (`BrazeUser "ana"`). */
  forResource(resource: string): SharedAddressError {
    return new SharedAddressError(this.address, this.profiles, undefined, resource, this.heldBy);
  }
}
