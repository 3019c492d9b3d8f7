import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/**
 * A braze-local start option (a command-line flag or its programmatic
 * counterpart) whose value cannot be used. braze-local refuses to start rather
 * than run with a workspace unlike the one asked for.
 */
export class OptionError extends BrazeProfilesError {
  override readonly name = "OptionError";

  constructor(
    /** The option as the user wrote it: `--port`, or `port` when passed programmatically. */
    readonly option: string,
    what: string,
    hint = `see "braze-local --help" for its form`,
  ) {
    super({ where: option, what, hint });
  }
}
