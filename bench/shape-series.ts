// What each input shape of a user set costs the engine, measured on the no-op
// set floor (test/fixtures/noop-set-program: the root program's loading and
// texts, a provider that does nothing): 256 shards by a hash of the key as
// BrazeUserSet sends them (packed, and given back whole by check), the same sent
// whole, their users as JSON texts, one string per user (what it sent before),
// and the whole set as one string; each with the native protobuf string codec
// (provider/pulumi-wire/protobuf-strings.ts), and packed shards without it too. Shapes
// run step by step in turn on the same file, so all see the same machine load.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { openLocalStack } from "../automation/local-stack";
import { writeDesiredState } from "./personas";
import type { MemoryPeaks } from "./process-memory";
import { checkpointBytes } from "./pulumi-series";
import { setScenarios } from "./set-series";
import { measuredUp } from "./timed-up";

/** `shape`: the floor program's noop:shape; `stockStrings`: google-protobuf's own string codec. */
export type Shape = { label: string; shape: "shards" | "whole-shards" | "json-shards" | "per-user" | "one-string"; stockStrings?: boolean };

export const SHAPES: Shape[] = [
  { label: "256 shards (BrazeUserSet)", shape: "shards" },
  { label: "256 shards sent whole", shape: "whole-shards" },
  { label: "256 shards of JSON texts", shape: "json-shards" },
  { label: "256 shards, stock protobuf strings", shape: "shards", stockStrings: true },
  { label: "one string per user", shape: "per-user" },
  { label: "one string", shape: "one-string" },
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

export async function runShapeSeries(options: {
  users: number;
  run: number;
  cliRoot: string;
  floorDir: string;
  onStep?: (step: ShapeStep) => void;
}): Promise<ShapeStep[]> {
  // Create, unchanged and 1% changed: removal costs the engine what a change does.
  const scenarios = setScenarios(options.users).slice(0, 3);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-shapes-"));
  try {
    const file = path.join(work, "users.yaml");
    const stacks: Array<{ shape: Shape; stack: Stack; stateDir: string }> = [];
    for (const [index, shape] of SHAPES.entries()) {
      const stateDir = path.join(work, `state-${index}`);
      fs.mkdirSync(stateDir);
      const config = { "noop:desiredState": { value: file }, "noop:shape": { value: shape.shape } };
      const env: Record<string, string> = shape.stockStrings ? { BRAZE_PROFILES_PROTOBUF_STRINGS: "stock" } : {};
      const stack = await openLocalStack({
        programDir: options.floorDir,
        projectName: `bench-shape-${index}`,
        stateDir,
        cliRoot: options.cliRoot,
        config,
        env,
      });
      stacks.push({ shape, stack, stateDir });
    }
    const steps: ShapeStep[] = [];
    for (const scenario of scenarios) {
      writeDesiredState(file, scenario.users);
      for (const { shape, stack, stateDir } of stacks) {
        const { seconds, memory } = await measuredUp(stack, `${shape.label} ${scenario.name}`);
        const step: ShapeStep = {
          shape: shape.label,
          users: options.users,
          scenario: scenario.name,
          run: options.run,
          seconds,
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
