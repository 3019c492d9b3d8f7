// `braze-profiles plan` against a test stack: the environment a user's shell
// would have (the CLI on PATH, the stack's file backend and passphrase), in
// process (the report) or as the packaged command (exit code and output).
import { spawn } from "node:child_process";
import * as path from "node:path";
import { offlinePulumiEnv } from "../../automation/local-stack";
import { pulumiCliRoot } from "../../automation/pulumi-cli-root";
import { buildReport, type PlanReport } from "../../plan/plan-report";
import { readStack } from "../../plan/pulumi-commands";
import { planInputOf } from "../../plan/stack-reading";
import type { TestStack } from "./test-stack";

/** The packaged command, as `npx braze-profiles` runs it. */
export const PLAN_BIN = path.resolve(__dirname, "..", "..", "..", "bin", "braze-profiles.js");

/** Where the stack's project is and the environment its CLI needs (the stack is "dev", as createTestStack makes it). */
export function planShell(stack: TestStack, extraEnv: Record<string, string> = {}): { cwd: string; env: NodeJS.ProcessEnv } {
  return {
    cwd: path.join(stack.stateDir, "workspace"),
    env: {
      ...process.env,
      ...offlinePulumiEnv(stack.stateDir),
      TMPDIR: path.join(stack.stateDir, "tmp"),
      PATH: `${path.join(pulumiCliRoot(), "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      ...extraEnv,
    },
  };
}

/** The plan's report, in process. */
export async function planReport(stack: TestStack, extraEnv: Record<string, string> = {}): Promise<PlanReport> {
  const { cwd, env } = planShell(stack, extraEnv);
  const { state, preview } = await readStack({ stack: "dev", cwd, env });
  return buildReport(planInputOf(state, preview, { stack: "dev", refreshed: false, env }));
}

/** Runs bin/braze-profiles.js with `args` in the stack's shell. */
export function runPlanBin(
  stack: TestStack,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { cwd, env } = planShell(stack, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PLAN_BIN, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
