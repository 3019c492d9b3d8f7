// One `pulumi up` of a benchmark: its wall time as a person or a pipeline runs
// it, and the memory of its processes. Automation API's Stack.up() runs two more
// commands once the up has exited, `pulumi stack output` and `pulumi stack
// history`, to return the outputs and the summary; each reads the whole
// checkpoint again (together 5 to 6 s at 100,000 users), which `pulumi up` on
// its own never pays, so only the `pulumi up` process is timed. Tables made
// before this file timed the whole Stack.up() (docs/performance.md says which).
import type { Stack, UpOptions, UpResult } from "@pulumi/pulumi/automation";
import { watchMemory, type MemoryPeaks } from "./process-memory";

interface CommandRunner {
  run(args: string[], ...rest: unknown[]): Promise<unknown>;
}

/**
 * Runs `stack.up()`: `seconds` is the time its `pulumi up` process ran, from
 * spawn to exit; `memory` the peaks while Stack.up() ran.
 * @throws Error when the up did not succeed.
 */
export async function measuredUp(stack: Stack, label: string, options?: UpOptions): Promise<{ seconds: number; memory: MemoryPeaks; result: UpResult }> {
  // Every command of a stack goes through its PulumiCommand's run (marked
  // internal, so not in the SDK's types): wrapped for this one up, then given back.
  const command = stack.workspace.pulumiCommand as unknown as CommandRunner;
  const run = command.run;
  if (typeof run !== "function") throw new Error(`${label}: this Automation API runs commands otherwise, so the time of \`pulumi up\` cannot be read`);
  let seconds: number | undefined;
  command.run = async function (this: CommandRunner, args, ...rest) {
    const started = process.hrtime.bigint();
    try {
      return await run.call(this, args, ...rest);
    } finally {
      if (args[0] === "up") seconds = Number(process.hrtime.bigint() - started) / 1e9;
    }
  };
  const watch = watchMemory();
  let memory: MemoryPeaks;
  let result: UpResult;
  try {
    result = await stack.up(options);
    if (result.summary.result !== "succeeded") throw new Error(`${label}: up ${result.summary.result}`);
  } finally {
    memory = watch.stop();
    command.run = run;
  }
  if (seconds === undefined) throw new Error(`${label}: Stack.up() ran no \`pulumi up\` command, so its time cannot be read`);
  return { seconds, memory, result };
}
