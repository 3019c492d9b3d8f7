import { BrazeProfilesError, type ErrorParts } from "../errors/braze-profiles-error";

// The one error `braze-profiles plan` reports as itself (exit code 1), in the
// product's message shape (`<where>: <what>; <what to do>`). Anything else is a
// bug and is reported with its stack.

export class PlanError extends BrazeProfilesError {
  override readonly name = "PlanError";
  /** What the Pulumi CLI printed on stderr, when a Pulumi command failed. */
  readonly stderr?: string;

  constructor(parts: ErrorParts & { stderr?: string }) {
    super(parts);
    this.stderr = parts.stderr;
  }
}
