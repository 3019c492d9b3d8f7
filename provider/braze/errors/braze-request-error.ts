/**
 * Braze answered a request with an error status (after any retries), or never
 * answered within the retry budget. The message names the endpoint, the status and
 * Braze's own message; the request's API key is never part of it.
 */
export class BrazeRequestError extends Error {
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
    options?: { cause?: unknown },
  ) {
    super(`POST ${path}: ${status ?? "no answer"} ${reason}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`, options);
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
