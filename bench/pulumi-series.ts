// Measured series: each a fresh braze-local workspace and a fresh Pulumi state
// folder (both temporary), then `pulumi up` of a compiled program for each
// scenario in order, timing each up and reading what braze-local received.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { openLocalStack } from "../automation/local-stack";
import { startBrazeLocal } from "../server";
import { measure, type Received } from "./braze-stats";
import { writeDesiredState } from "./personas";
import { LEGACY_CAPS, LEGACY_REQUEST_CAP, type Scenario } from "./scenarios";
import { measuredUp } from "./timed-up";

/** No 429s in a benchmark: the limit is not what is measured. */
export const BENCH_RATE_LIMIT = "1000000/1";

export interface SeriesOptions {
  /** Compiled program folder (its index.js). */
  programDir: string;
  projectName: string;
  /** Config key through which the program reads the desired-state file. */
  desiredStateKey: string;
  parallel: number;
  /** Extra environment for the CLI and the program (e.g. PULUMI_SKIP_CHECKPOINTS). */
  env?: Record<string, string>;
  scenarios: readonly Scenario[];
  cliRoot: string;
  /** Called after each up, for progress output. */
  onStep?: (step: SeriesStep) => void;
}

export interface SeriesStep extends Received {
  scenario: string;
  seconds: number;
  /** Operations the engine reported, e.g. `{ create: 1001 }`. */
  resourceChanges: Record<string, number>;
  /** Size of the stack's checkpoint file after the up. */
  stateBytes: number;
}

export async function runPulumiSeries(options: SeriesOptions): Promise<SeriesStep[]> {
  const [steps] = await runInterleavedSeries([options]);
  return steps;
}

/**
 * Several series run step by step in turn (lane 1 create, lane 2 create, lane
 * 1 update, ...), each with its own braze-local, state and file, so a program
 * and its no-op floor see the same machine load at each step rather than one
 * series after the other. Returns the steps per lane, in the lanes' order.
 */
export async function runInterleavedSeries(lanes: readonly SeriesOptions[]): Promise<SeriesStep[][]> {
  const opened: Array<{
    options: SeriesOptions;
    dataDir: string;
    stateDir: string;
    file: string;
    server: Awaited<ReturnType<typeof startBrazeLocal>>;
    stack?: Stack;
  }> = [];
  try {
    for (const options of lanes) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-braze-"));
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pulumi-"));
      const server = await startBrazeLocal({ port: 0, dataDir, requestCap: LEGACY_REQUEST_CAP, rateLimit: BENCH_RATE_LIMIT, log: () => {} });
      const file = path.join(stateDir, "users.yaml");
      const lane: (typeof opened)[number] = { options, dataDir, stateDir, file, server };
      opened.push(lane);
      lane.stack = await openLocalStack({
        programDir: options.programDir,
        projectName: options.projectName,
        stateDir,
        cliRoot: options.cliRoot,
        env: { BRAZE_REST_ENDPOINT: server.url, ...options.env },
        // braze-local's caps are the legacy 75 per array, which the minimum counts with (TRACK_MAX_OBJECTS).
        config: { [options.desiredStateKey]: { value: file }, ...LEGACY_CAPS },
      });
    }
    const steps: SeriesStep[][] = lanes.map(() => []);
    const scenarioCount = Math.max(...lanes.map((lane) => lane.scenarios.length));
    for (let index = 0; index < scenarioCount; index++) {
      for (const [laneIndex, { options, server, stateDir, file, stack }] of opened.entries()) {
        const scenario = options.scenarios[index];
        if (!scenario) continue;
        writeDesiredState(file, scenario.users);
        let resourceChanges: Record<string, number> = {};
        let seconds = 0;
        const got = await measure(server.url, async () => {
          const measured = await measuredUp(stack!, `${options.projectName} ${scenario.name}`, { parallel: options.parallel });
          seconds = measured.seconds;
          resourceChanges = measured.result.summary.resourceChanges ?? {};
        });
        const step = { scenario: scenario.name, ...got, seconds, resourceChanges, stateBytes: checkpointBytes(stateDir) };
        steps[laneIndex].push(step);
        options.onStep?.(step);
      }
    }
    return steps;
  } finally {
    for (const { server, dataDir, stateDir } of opened) {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  }
}

/** The largest .json under the file backend's stacks folder: the live checkpoint (backups are smaller or equal). */
export function checkpointBytes(stateDir: string): number {
  const stacks = path.join(stateDir, "backend", ".pulumi", "stacks");
  let largest = 0;
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json")) largest = Math.max(largest, fs.statSync(full).size);
    }
  };
  walk(stacks);
  return largest;
}
