// The plan's only I/O: the Pulumi CLI, run as the user would run it (the
// `pulumi` on PATH, the project in --cwd, the stack in --stack, the backend and
// passphrase from the environment). Two read-only commands: `pulumi stack export`
// for the recorded state and `pulumi preview --json` for the desired one. Neither
// contacts Braze unless --refresh asks the preview to read it back first.
import { spawn } from "node:child_process";
import { PLAN_PREVIEW_VARIABLE } from "../provider/plan-api";
import { PlanError } from "./plan-error";
import type { PreviewDocument, StateDocument } from "./stack-reading";

export interface StackLocation {
  /** The stack to plan. @default the project's selected stack */
  stack?: string;
  /** The Pulumi project's folder. @default the current folder */
  cwd?: string;
  /** Read Braze back first (`pulumi preview --refresh`): exports, no writes. */
  refresh?: boolean;
  /** The CLI to run. @default "pulumi" (from PATH) */
  pulumi?: string;
  env?: NodeJS.ProcessEnv;
}

/** Lines of Pulumi's stderr kept in an error message; the rest is in PlanError.stderr. */
const STDERR_LINES_SHOWN = 20;

export async function readStack(location: StackLocation): Promise<{ state: StateDocument; preview: PreviewDocument }> {
  const common = [...(location.stack ? ["--stack", location.stack] : []), ...(location.cwd ? ["--cwd", location.cwd] : []), "--non-interactive"];
  const previewArgs = ["preview", "--json", ...(location.refresh ? ["--refresh"] : []), ...common];
  // Both only read; side by side, the plan takes as long as the preview. Both are
  // awaited, and the export's error wins, so a failure is reported the same way every time.
  const [state, preview] = await Promise.allSettled([run(location, ["stack", "export", ...common]), run(location, previewArgs, { jsonOnFailure: true })]);
  if (state.status === "rejected") throw state.reason;
  if (preview.status === "rejected") throw preview.reason;
  return { state: JSON.parse(state.value) as StateDocument, preview: JSON.parse(preview.value) as PreviewDocument };
}

/** Runs the CLI; its stdout, or a PlanError saying what failed and what to do. */
function run(location: StackLocation, args: string[], options: { jsonOnFailure?: boolean } = {}): Promise<string> {
  const command = location.pulumi ?? "pulumi";
  const shown = `pulumi ${args.filter((arg) => arg !== "--non-interactive").join(" ")}`;
  return new Promise((resolve, reject) => {
    // The preview reports the guards' verdict rather than failing on it: the plan says what up would refuse.
    const child = spawn(command, args, {
      env: { PULUMI_SKIP_UPDATE_CHECK: "true", ...(location.env ?? process.env), [PLAN_PREVIEW_VARIABLE]: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        new PlanError(
          error.code === "ENOENT"
            ? {
                where: command,
                what: "the Pulumi CLI is not on PATH",
                hint: "install it (https://www.pulumi.com/docs/install/) or put it on PATH",
                cause: error,
              }
            : { where: shown, what: `could not start: ${error.message}`, cause: error },
        ),
      );
    });
    child.on("close", (code) => {
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      if (code === 0) return resolve(out);
      reject(
        new PlanError({
          where: shown,
          what: `failed (exit ${code}): ${whatFailed(out, err, options.jsonOnFailure)}`,
          hint: "fix that, then run the plan again",
          stderr: err,
        }),
      );
    });
  });
}

/** Pulumi's own words: the preview's error diagnostics (its --json output), else the end of stderr. */
function whatFailed(stdout: string, stderr: string, json?: boolean): string {
  if (json) {
    try {
      const diagnostics = ((JSON.parse(stdout) as { diagnostics?: Array<{ message?: string; severity?: string }> }).diagnostics ?? [])
        .filter((diagnostic) => diagnostic.severity === "error" && diagnostic.message)
        .map((diagnostic) => diagnostic.message!.trim());
      if (diagnostics.length > 0) return diagnostics.join("\n");
    } catch {
      // not JSON: fall back to stderr
    }
  }
  const lines = stderr.trim().split("\n").filter(Boolean);
  return lines.slice(-STDERR_LINES_SHOWN).join("\n") || "it printed nothing on stderr";
}
