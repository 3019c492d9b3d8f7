import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { CliRootMissingError } from "./cli-root-missing-error";

/** The repository root, from dist/automation/ or automation/. */
const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");

/**
 * Root of a Pulumi CLI matching the installed @pulumi/pulumi (`<root>/bin/pulumi`).
 * Asks scripts/pulumi-cli.js once per process (it may build the CLI on first use)
 * and remembers the answer in the environment, so child processes ask no more.
 */
export function pulumiCliRoot(): string {
  const known = process.env.PULUMI_BRAZE_CLI_ROOT;
  if (known) return known;
  const stdout = execFileSync(process.execPath, [path.join(repoRoot, "scripts", "pulumi-cli.js")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const root = stdout.trim().split("\n").pop();
  if (!root) throw new CliRootMissingError();
  process.env.PULUMI_BRAZE_CLI_ROOT = root;
  return root;
}
