import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as assert from "uvu/assert";
import { pulumiCliRoot } from "../../automation/pulumi-cli-root";
import type { TestStack } from "./test-stack";

/** A `pulumi up` of the stack running in a process group of its own, to be killed mid-run. */
export interface DetachedUp {
  /**
   * SIGKILL to the CLI, its language host and the provider process at once, as
   * when a CI runner's container dies; the kills are sent before the first
   * await, so a caller may start it synchronously. Resolves once the CLI is gone.
   */
  kill(): Promise<void>;
  /** Resolves when the CLI exits, killed or not. */
  exited: Promise<void>;
}

/** Starts `pulumi up --yes --skip-preview` of the stack as a separate CLI process, as a user would. */
export function startDetachedUp(stack: TestStack): DetachedUp {
  const cliBin = path.join(pulumiCliRoot(), "bin");
  const child = spawn(path.join(cliBin, "pulumi"), ["up", "--yes", "--skip-preview", "--non-interactive", "--parallel", "100", "--stack", "dev"], {
    cwd: stack.stack.workspace.workDir,
    env: { ...process.env, ...stack.stack.workspace.envVars, PATH: `${cliBin}${path.delimiter}${process.env.PATH}` },
    detached: true, // its own process group, so the kill takes the language host with it
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    exited,
    async kill() {
      process.kill(-child.pid!, "SIGKILL");
      killPulumiPlugins(stack.stack.workspace.envVars.PULUMI_HOME);
      await exited;
    },
  };
}

/**
 * A kill can land while the file backend rewrites the checkpoint or the small
 * `.attrs` file it keeps beside it, leaving one cut off ("failed to load
 * checkpoint: EOF", seen here under load). The backend keeps the previous
 * checkpoint as `<stack>.json.bak` (with its own `.attrs`); restoring that pair
 * loses at most the record of the last steps, which the next up redoes
 * (creates are idempotent by alias).
 */
export function restoreTruncatedCheckpoint(stack: TestStack): void {
  const stacksDir = path.join(stack.stateDir, "backend", ".pulumi", "stacks");
  for (const project of fs.readdirSync(stacksDir)) {
    const checkpoint = path.join(stacksDir, project, "dev.json");
    const readable = [checkpoint, `${checkpoint}.attrs`].every((file) => !fs.existsSync(file) || isJson(fs.readFileSync(file, "utf8")));
    if (readable) continue;
    console.log(`    ${path.relative(stack.stateDir, checkpoint)} was cut off by the kill; restoring the backend's .bak`);
    fs.copyFileSync(`${checkpoint}.bak`, checkpoint);
    if (fs.existsSync(`${checkpoint}.bak.attrs`)) fs.copyFileSync(`${checkpoint}.bak.attrs`, `${checkpoint}.attrs`);
    else fs.rmSync(`${checkpoint}.attrs`, { force: true });
  }
}

/**
 * The engine starts each plugin in a process group of its own, so killing the
 * CLI's group leaves the provider process running, which a dying container would
 * not. Finds the processes of this stack by their PULUMI_HOME (Linux /proc).
 */
function killPulumiPlugins(pulumiHome: string | undefined): void {
  assert.ok(pulumiHome, "the test stack sets PULUMI_HOME");
  if (!fs.existsSync("/proc/self/environ")) return;
  for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)) {
    let environment: string;
    try {
      environment = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (!environment.split("\0").includes(`PULUMI_HOME=${pulumiHome}`)) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
