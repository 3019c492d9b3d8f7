// A create or update that Braze did not fully apply, in the form the dynamic
// provider host turns into Pulumi's "created or updated, but failed": an error
// carrying `id`, `properties` (recorded as the resource's outputs) and `reasons`.
//
// Not a BrazeProfilesError: it is a carrier for the Pulumi SDK, which reads its
// fields, not its class (reportingPartialFailure even rebuilds it as a plain
// Error). Its message is the message of the error that stopped the send, which
// already has the product's shape; wrapping it again would say `where` twice.

export class PartialFailure<P extends object = Record<string, unknown>> extends Error {
  override readonly name: string = "PartialFailure";
  constructor(
    message: string,
    /** The resource's id, so a failed create is still recorded (and can be updated or deleted later). */
    readonly id: string,
    /** What to record as the resource's outputs: exactly what Braze is known to hold, and what is unsure. */
    readonly properties: P,
    readonly reasons: string[],
  ) {
    super(message);
  }
}

/**
 * Runs a create or update and turns a PartialFailure into the error the host
 * expects. The serialized provider text must be among the properties, or the
 * next delete and refresh could not load the provider from state.
 */
export async function reportingPartialFailure<T>(inputs: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof PartialFailure)) throw error;
    throw Object.assign(new Error(error.message), {
      id: error.id,
      properties: { ...error.properties, __provider: inputs.__provider },
      reasons: error.reasons,
    });
  }
}
