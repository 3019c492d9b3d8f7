/**
 * Nothing listens at the configured endpoint (connection refused, unknown host).
 * Not retried: waiting does not make a wrong URL right.
 */
export class BrazeUnreachableError extends Error {
  override readonly name = "BrazeUnreachableError";

  constructor(
    readonly endpoint: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot reach Braze at ${endpoint} (${code}). Check braze:restEndpoint (or BRAZE_REST_ENDPOINT); ` +
        `for the local server, start it with "npx braze-local".`,
      options,
    );
  }
}
