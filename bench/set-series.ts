// The user-set series, for alias-only or identified personas: the root program (one BrazeUserSet) and its no-op floor
// (the same program work and inputs, a provider that does nothing), run step by
// step in turn on the same files, so both see the same machine load; then the
// batched full-state script on the same scenarios. Every count comes from
// braze-local's /_local/stats; memory from /proc.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openLocalStack } from "../automation/local-stack";
import { startBrazeLocal } from "../server";
import { runBaselineSeries, type BaselineStep } from "./baselines";
import { measure, type Received } from "./braze-stats";
import { writeDesiredState, type PersonaIdentity } from "./personas";
import type { MemoryPeaks } from "./process-memory";
import { BENCH_RATE_LIMIT, checkpointBytes } from "./pulumi-series";
import { buildScenarios, LEGACY_CAPS, LEGACY_REQUEST_CAP, type Scenario } from "./scenarios";
import { oneChangePreview, type OneChangePreview } from "./one-change-preview";
import { measuredUp } from "./timed-up";

/** A 1% change, as the goals state them for sets. */
export const SET_CHANGED_FRACTION = 0.01;

export interface SetStep {
  scenario: string;
  /** How the series' personas are identified. */
  identity: PersonaIdentity;
  /** Which run of the series this step belongs to (1-based): varying figures are repeated. */
  run: number;
  users: number;
  seconds: number;
  floorSeconds: number;
  received: Received;
  minimum: Scenario["minimum"];
  stateBytes: number;
  floorStateBytes: number;
  memory: MemoryPeaks;
  floorMemory: MemoryPeaks;
  baselineSeconds: number;
  /**
   * Lines `pulumi preview --diff` prints when one user's attribute changes, on
   * the stack this step left: measured after the `unchanged` step only (all
   * users applied, nothing pending), undefined on the others.
   */
  /** Measured after the unchanged up: a one-user change previewed with --diff, against the floor's preview. */
  preview?: OneChangePreview;
}

export interface SetSeriesOptions {
  users: number;
  /** How the personas are identified: by alias, or by external_id (and no alias). @default "alias" */
  identity?: PersonaIdentity;
  /** 1-based; recorded on each step. */
  run: number;
  cliRoot: string;
  /** Compiled root program and no-op floor program folders. */
  programDir: string;
  floorDir: string;
  onStep?: (step: SetStep) => void;
}

/** Create, unchanged, 1% changed, 5% removed, in that order. */
export function setScenarios(users: number, identity: PersonaIdentity = "alias"): Scenario[] {
  const [create, update, , remove] = buildScenarios(users, SET_CHANGED_FRACTION, identity);
  return [create, { name: "unchanged", users: create.users, removed: [], minimum: { requests: 0, objects: 0, dataPoints: 0 } }, update, remove];
}

export async function runSetSeries(options: SetSeriesOptions): Promise<SetStep[]> {
  const identity = options.identity ?? "alias";
  const scenarios = setScenarios(options.users, identity);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sets-braze-"));
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sets-pulumi-"));
  const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-sets-floor-"));
  const server = await startBrazeLocal({ port: 0, dataDir, requestCap: LEGACY_REQUEST_CAP, rateLimit: BENCH_RATE_LIMIT, log: () => {} });
  try {
    const file = path.join(stateDir, "users.yaml");
    const stack = await openLocalStack({
      programDir: options.programDir,
      projectName: "bench-sets",
      stateDir,
      cliRoot: options.cliRoot,
      env: { BRAZE_REST_ENDPOINT: server.url },
      // The 5% removal is meant: the delete guard (10 by default) would refuse it.
      // braze-local's caps are the legacy 75 per array, which the minimum counts with (TRACK_MAX_OBJECTS).
      config: { "braze:desiredState": { value: file }, "braze:maxDeletes": { value: String(options.users) }, ...LEGACY_CAPS },
    });
    const floor = await openLocalStack({
      programDir: options.floorDir,
      projectName: "bench-sets-floor",
      stateDir: floorDir,
      cliRoot: options.cliRoot,
      config: { "noop:desiredState": { value: file } },
    });
    const baseline = await runBaselineSeries("batched full-state sync", scenarios);
    const steps: SetStep[] = [];
    for (const [index, scenario] of scenarios.entries()) {
      writeDesiredState(file, scenario.users);
      let measured: { seconds: number; memory: MemoryPeaks } | undefined;
      const got = await measure(server.url, async () => {
        measured = await measuredUp(stack, `sets ${scenario.name}`);
      });
      const { seconds: floorSeconds, memory: floorMemory } = await measuredUp(floor, `floor ${scenario.name}`);
      const step: SetStep = {
        scenario: scenario.name,
        identity,
        run: options.run,
        users: options.users,
        seconds: measured!.seconds,
        floorSeconds,
        received: { requests: got.requests, byPath: got.byPath, objects: got.objects, dataPoints: got.dataPoints },
        minimum: scenario.minimum,
        stateBytes: checkpointBytes(stateDir),
        floorStateBytes: checkpointBytes(floorDir),
        memory: measured!.memory,
        floorMemory,
        baselineSeconds: (baseline[index] as BaselineStep).seconds,
      };
      // The next scenario writes its own file, so the changed one is not restored.
      if (scenario.name === "unchanged") step.preview = await oneChangePreview(stack, floor, file, scenario.users);
      steps.push(step);
      options.onStep?.(step);
    }
    return steps;
  } finally {
    await server.close();
    for (const dir of [dataDir, stateDir, floorDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}
