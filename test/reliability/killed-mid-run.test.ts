// `pulumi up` killed with SIGKILL (the CLI, its language host and the provider
// process at once, as when a CI runner's container dies) while batches are in flight. After
// the recovery Pulumi documents for a file backend (`pulumi cancel` to drop the
// lock, `pulumi refresh --clear-pending-creates`), the next up converges.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { pulumiCliRoot } from "../../automation/pulumi-cli-root";
import { assertConverged } from "../harness/convergence";
import { personas, type PersonaDeclaration } from "../harness/personas";
import type { TestStack } from "../harness/test-stack";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
const USERS = 120;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
}

const Killed = suite<Context>(`pulumi up killed mid-run (${USERS} users, 300-600 ms per Braze answer)`);

Killed.before(async (context) => {
  // Slow answers keep batches in flight long enough to be cut off.
  Object.assign(context, await startYamlStack({ projectName: "killed", braze: { latency: "300-600" }, config: { "braze:maxObjectsPerRequest": { value: "10" } } }));
  context.desired = personas(USERS, "killed");
  context.writeUsers(context.desired);
});

Killed.after(async (context) => context.close?.());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Killed("SIGKILL while /users/track requests are in flight, then recover and converge with nothing lost", async (context) => {
  const cliBin = path.join(pulumiCliRoot(), "bin");
  const child = spawn(path.join(cliBin, "pulumi"), ["up", "--yes", "--skip-preview", "--non-interactive", "--parallel", "100", "--stack", "dev"], {
    cwd: context.stack.stack.workspace.workDir,
    env: { ...process.env, ...context.stack.stack.workspace.envVars, PATH: `${cliBin}${path.delimiter}${process.env.PATH}` },
    detached: true, // its own process group, so the kill takes the language host with it
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));

  // Wait until some batches were answered, then kill the whole group mid-run.
  const deadline = Date.now() + 120_000;
  while ((await context.braze.requests()).filter((r) => r.path === "/users/track").length < 2) {
    assert.ok(Date.now() < deadline, "no /users/track request within two minutes");
    await sleep(50);
  }
  process.kill(-child.pid!, "SIGKILL");
  killPulumiPlugins(context.stack.stack.workspace.envVars.PULUMI_HOME);
  await exited;
  const usersAtKill = (await context.braze.users()).length;
  assert.ok(usersAtKill > 0 && usersAtKill < USERS, `killed mid-run: braze-local held ${usersAtKill} of ${USERS} users`);

  restoreTruncatedCheckpoint(context.stack);
  const interrupted = await context.stack.stack.exportStack();
  assert.ok((interrupted.deployment.pending_operations ?? []).length > 0, "the kill left pending creates in state");

  await context.stack.stack.cancel(); // drops the file backend's lock of the dead update
  await context.stack.stack.refresh({ clearPendingCreates: true });
  await context.stack.up({ parallel: 100 });
  await assertConverged(context.stack, context.braze, context.desired);

  const before = (await context.braze.requests()).length;
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.is((await context.braze.requests()).length, before, "a converged stack sends nothing");
});

/**
 * A kill can land while the file backend rewrites the checkpoint or the small
 * `.attrs` file it keeps beside it, leaving one cut off ("failed to load
 * checkpoint: EOF", seen here under load). The backend keeps the previous
 * checkpoint as `<stack>.json.bak` (with its own `.attrs`); restoring that pair
 * loses at most the record of the last steps, which the next up redoes
 * (creates are idempotent by alias).
 */
function restoreTruncatedCheckpoint(stack: TestStack): void {
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

Killed.run();
