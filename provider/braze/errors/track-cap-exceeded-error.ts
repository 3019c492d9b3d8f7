import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze refused a /users/track request as holding more objects than the
 * workspace allows (`400 Max Input Length Exceeded`, which processes nothing),
 * and the caps were lowered: the request's objects are to be sent again, cut
 * to the new caps. Not a failure of the objects; the track pass resends them.
 */
export class TrackCapExceededError extends BrazeProfilesError {
  override readonly name = "TrackCapExceededError";
  /** Refused whole: Braze holds nothing of it. */
  readonly outcomeUnknown = false;

  constructor(
    /** Objects the refused request held. */
    readonly objects: number,
    options?: { cause?: unknown },
  ) {
    super({
      where: "POST /users/track",
      what: `400 Max Input Length Exceeded for a request of ${objects} objects`,
      hint: "its objects are sent again in smaller requests, within the lowered cap",
      cause: options?.cause,
    });
  }
}
