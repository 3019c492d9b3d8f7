import { BrazeProfilesError } from "../errors/braze-profiles-error";

/**
 * scripts/pulumi-cli.js, which finds or builds the Pulumi CLI the tests and
 * benchmarks run, printed no CLI root: there is no CLI to run the engine with.
 */
export class CliRootMissingError extends BrazeProfilesError {
  override readonly name = "CliRootMissingError";

  constructor() {
    super({
      where: "scripts/pulumi-cli.js",
      what: "printed no Pulumi CLI root",
      hint: "run `node scripts/pulumi-cli.js` to see why, or set PULUMI_BRAZE_CLI_ROOT to a directory holding bin/pulumi",
    });
  }
}
