import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze accepted an object but dropped its nested custom attribute updates,
 * because another object of the same request carried an invalid nested value:
 * Braze drops every nested update of a request when one is invalid. The
 * object's other attributes were applied.
 */
export class NestedUpdatesDroppedError extends BrazeProfilesError {
  override readonly name = "NestedUpdatesDroppedError";

  constructor(
    /** Who the object was for, e.g. `alias ada (label qa-personas)`. */
    readonly subject: string,
  ) {
    super({
      where: "POST /users/track",
      what: `${subject} was sent with another object whose nested attribute Braze rejected, and Braze then drops every nested attribute update of the request`,
      hint: `run "pulumi up" again to resend it`,
    });
  }
}
