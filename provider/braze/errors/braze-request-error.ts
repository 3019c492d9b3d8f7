import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Braze answered a request with an error status (after any retries), or never
 * answered within the retry budget. The message names the endpoint, the status and
 * Braze's own message; the request's API key is never part of it.
 */
export class BrazeRequestError extends BrazeProfilesError {
  override readonly name = "BrazeRequestError";

  constructor(
    /** Endpoint path, such as `/users/track`. */
    readonly path: string,
    /** HTTP status of the last answer; undefined when the last attempt got no answer. */
    readonly status: number | undefined,
    /** Parsed JSON body of the last answer, or its text. */
    readonly body: unknown,
    /** Attempts made, including the first. */
    readonly attempts: number,
    reason: string,
    /** `method` is the request's, POST unless said: every endpoint but GET /subscription/status/get is a POST. */
    options?: { cause?: unknown; method?: string },
  ) {
    super({
      where: `${options?.method ?? "POST"} ${path}`,
      what: `${status ?? "no answer"} ${reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
      hint: hintFor(status),
      cause: options?.cause,
    });
  }

  /**
   * Whether Braze may have applied the request anyway: no answer arrived (a
   * timeout, a dropped connection) or the last answer was a server fault. A 4xx
   * answer means nothing was applied.
   */
  get outcomeUnknown(): boolean {
    return this.status === undefined || this.status >= 500;
  }
}

/** What to do after an answer with this status; Braze's own text (in the message) says what was wrong. */
function hintFor(status: number | undefined): string {
  if (status === 401) return "check braze:apiKey (or BRAZE_API_KEY): Braze does not know this key";
  if (status === 403) return "give the API key the permission this endpoint needs, or check its allowed IP addresses";
  if (status === 429) return "wait for Braze's rate limit to reset, then run the Pulumi command again";
  if (status === undefined || status >= 500) return "Braze may have applied it: run the Pulumi command again once Braze answers";
  return "correct what Braze names, then run the Pulumi command again";
}
