import { BrazeProfilesError } from "../../../errors/braze-profiles-error";

/**
 * Nothing listens at the configured endpoint (connection refused, unknown host).
 * Not retried: waiting does not make a wrong URL right.
 */
export class BrazeUnreachableError extends BrazeProfilesError {
  override readonly name = "BrazeUnreachableError";

  constructor(
    readonly endpoint: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super({
      where: endpoint,
      what: `cannot reach Braze (${code})`,
      hint: `check braze:restEndpoint (or BRAZE_REST_ENDPOINT); for the local server, start it with "npx braze-local"`,
      cause: options?.cause,
    });
  }
}
