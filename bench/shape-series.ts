// What each input shape of a user set costs the engine, measured on the no-op
// set floor (test/fixtures/noop-set-program: the root program's loading and
// texts, a provider that does nothing): one string per user (what BrazeUserSet
// sends today), users grouped by a hash of their key into a fixed number of
// strings, and the whole set as one string. Shapes run step by step in turn on
// the same file, so all see the same machine load.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { openLocalStack } from "../automation/local-stack";
import { writeDesiredState } from "./personas";
import { watchMemory, type MemoryPeaks } from "./process-memory";
import { checkpointBytes } from "./pulumi-series";
import { setScenarios } from "./set-series";

/** `undefined`: one string per user; 0: one string for the whole set; n: n strings. */
export type Shape = { label: string; groups?: number };

export const SHAPES: Shape[] = [
  { label: "one string per user" },
  { label: "256 groups by key hash", groups: 256 },
  { label: "16 groups by key hash", groups: 16 },
  { label: "one string", groups: 0 },
];

export interface ShapeStep {
  shape: string;
  users: number;
  scenario: string;
  run: number;
  seconds: number;
  stateBytes: number;
  memory: MemoryPeaks;
}

export async function runShapeSeries(options: { users: number; run: number; cliRoot: string; floorDir: string; onStep?: (step: ShapeStep) => void }): Promise<ShapeStep[]> {
  // Create, unchanged and 1% changed: removal costs the engine what a change does.
  const scenarios = setScenarios(options.users).slice(0, 3);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-shapes-"));
  try {
    const file = path.join(work, "users.yaml");
    const stacks: Array<{ shape: Shape; stack: Stack; stateDir: string }> = [];
    for (const [index, shape] of SHAPES.entries()) {
      const stateDir = path.join(work, `state-${index}`);
      fs.mkdirSync(stateDir);
      const config: Record<string, { value: string }> = { "noop:desiredState": { value: file } };
      if (shape.groups !== undefined) config["noop:groups"] = { value: String(shape.groups) };
      const stack = await openLocalStack({ programDir: options.floorDir, projectName: `bench-shape-${index}`, stateDir, cliRoot: options.cliRoot, config });
      stacks.push({ shape, stack, stateDir });
    }
    const steps: ShapeStep[] = [];
    for (const scenario of scenarios) {
      writeDesiredState(file, scenario.users);
      for (const { shape, stack, stateDir } of stacks) {
        const watch = watchMemory();
        const started = process.hrtime.bigint();
        let memory: MemoryPeaks;
        try {
          const result = await stack.up();
          if (result.summary.result !== "succeeded") throw new Error(`${shape.label} ${scenario.name}: up ${result.summary.result}`);
        } finally {
          memory = watch.stop();
        }
        const step: ShapeStep = {
          shape: shape.label,
          users: options.users,
          scenario: scenario.name,
          run: options.run,
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
          stateBytes: checkpointBytes(stateDir),
          memory,
        };
        steps.push(step);
        options.onStep?.(step);
      }
    }
    return steps;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
