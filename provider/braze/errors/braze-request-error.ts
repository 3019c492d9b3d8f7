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
}
