import { BrazeProfilesError, type ErrorParts } from "../errors/braze-profiles-error";

// The errors `braze-profiles import` reports as themselves: a usage error (exit
// code 2: the command line or an input file is wrong) or a failure to read
// Braze or the stack (exit code 1). Anything else is a bug, reported with its stack.

export class ImportError extends BrazeProfilesError {
  override readonly name = "ImportError";
  /** True when the command line or an input file is wrong (exit code 2). */
  readonly usage: boolean;

  constructor(parts: ErrorParts & { usage?: boolean }) {
    super(parts);
    this.usage = parts.usage ?? false;
  }
}
