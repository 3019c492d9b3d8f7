import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze answered with a success status but a body the provider cannot read as
 * that endpoint's answer. Refused rather than guessed: nothing of the request is
 * recorded as applied, so the next run sends it again. `body` is the answer.
 */
export class UnexpectedAnswerError extends BrazeProfilesError {
  override readonly name = "UnexpectedAnswerError";

  constructor(
    /** Endpoint path, such as `/users/track`. */
    readonly path: string,
    readonly body: unknown,
    /** What is wrong with it; by default, that it is not the endpoint's answer. */
    problem = `unexpected answer ${JSON.stringify(body)}`,
    /** The request's method: POST but for GET /subscription/status/get. */
    method = "POST",
  ) {
    super({
      where: `${method} ${path}`,
      what: problem,
      hint: "nothing of it is recorded; run the Pulumi command again, and if the answer repeats, report it with this message",
    });
  }
}
