import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * A request was not sent because Braze's rate limit would have held it longer
 * than `braze:maxRateLimitWaitSeconds`: the window is spent
 * (`X-RateLimit-Remaining: 0`) until it resets, or a 429 asks for a longer wait.
 * Nothing of the request was applied, so what it carried stays to be sent by
 * the next `pulumi up`.
 */
export class RateLimitWaitError extends BrazeProfilesError {
  override readonly name = "RateLimitWaitError";
  /** Not applied: Braze holds nothing of it. */
  readonly outcomeUnknown = false;

  constructor(
    /** Endpoint path, such as `/users/track`. */
    readonly path: string,
    /** When Braze allows the next request (epoch ms). */
    readonly until: number,
    /** How long that is from the moment the request was held (ms). */
    readonly waitMs: number,
    /** `braze:maxRateLimitWaitSeconds`, in ms. */
    readonly maxWaitMs: number,
    /** What the wait is for, e.g. `the rate-limit window of POST /users/track is spent (X-RateLimit-Remaining: 0)`. */
    readonly reason: string,
  ) {
    super({
      where: `POST ${path}`,
      what:
        `not sent: ${reason} until ${new Date(until).toISOString()} (${Math.ceil(waitMs / 1000)} s), ` +
        `longer than braze:maxRateLimitWaitSeconds (${Math.round(maxWaitMs / 1000)} s) allows`,
      hint: `what was sent is recorded; run "pulumi up" again after that time to send the rest, or raise braze:maxRateLimitWaitSeconds to wait in the run`,
    });
  }
}
