import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze answered a /users/external_ids/remove request but listed one id in
 * `removal_errors` (it is not a deprecated id: a primary one, or unknown):
 * only that id was not removed.
 */
export class ExternalIdRemoveError extends BrazeProfilesError {
  override readonly name = "ExternalIdRemoveError";

  constructor(
    readonly externalId: string,
    /** Braze's error text. */
    readonly type: string,
  ) {
    super({
      where: "POST /users/external_ids/remove",
      what: `Braze did not remove the deprecated external_id ${JSON.stringify(externalId)}: ${type}`,
      hint: `check in Braze which user holds ${JSON.stringify(externalId)}; never remove it with /users/delete, which deletes the whole profile`,
    });
  }
}
