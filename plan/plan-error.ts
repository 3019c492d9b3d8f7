// The one error `braze-profiles plan` reports as itself (exit code 1): a message
// that says what failed, where, and what to do. Anything else is a bug and is
// reported with its stack.

export class PlanError extends Error {
  override readonly name = "PlanError";
  /** What the Pulumi CLI printed on stderr, when a Pulumi command failed. */
  readonly stderr?: string;

  constructor(message: string, options: { stderr?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.stderr = options.stderr;
  }
}
