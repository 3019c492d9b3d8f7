// The "prove it" benchmarks, against braze-local, every count read from its
// /_local/stats:
//   1. requests, objects and data points of four ups of N personas, against a
//      naive and a batched full-state sync and against the least possible;
//   2. wall time of `pulumi up` against the engine floor (the same resources with
//      a provider that does nothing), with and without PULUMI_SKIP_CHECKPOINTS;
//   3. /users/track requests per up across --parallel;
//   4. braze-local's own ingest throughput.
// Prints markdown tables and writes them as JSON. Not part of the tests.
// Run: npx tsc -p tsconfig.json && node dist/bench/run.js [--users N] [--quick]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { pulumiCliRoot } from "../automation/pulumi-cli-root";
import { loadDesiredState } from "../provider/desired-state";
import { runBaselineSeries, type Baseline, type BaselineStep } from "./baselines";
import { writeDesiredState } from "./personas";
import { runPulumiSeries, type SeriesStep } from "./pulumi-series";
import { eventsTable, runEventsSeries, type EventsStep } from "./events-series";
import { runSetSeries, type SetStep } from "./set-series";
import { buildScenarios, CHANGED_FRACTION, type Scenario } from "./scenarios";
import { measureServerThroughput, SERVER_THROUGHPUT_REQUESTS, type ServerThroughput } from "./server-throughput";
import { markdownTable, ratio, seconds, type Cell } from "./table";

const distRoot = path.resolve(__dirname, "..");
const repoRoot = path.resolve(distRoot, "..");
const USERS_PROGRAM = { programDir: path.join(distRoot, "program"), projectName: "bench-users", desiredStateKey: "braze:desiredState" };
const FLOOR_PROGRAM = { programDir: path.join(distRoot, "test", "fixtures", "noop-program"), projectName: "bench-floor", desiredStateKey: "noop:desiredState" };

/** The parallelism of the main job (automation/main-job.ts), used for everything but the sweep. */
const BENCH_PARALLEL = 100;
const SWEEP_PARALLEL = [8, 32, 100, 200];
const QUICK_SWEEP_PARALLEL = [8, 100];
const QUICK_USERS = 100;
const BASELINES: Baseline[] = ["naive full-state sync", "batched full-state sync"];

/** The parts of the benchmark, for `--only` (a full run of 1,000 users took 25 min on 2 cores). */
const PARTS = ["requests", "floor", "skip-checkpoints", "sweep", "baselines", "throughput", "sets", "events"] as const;
/** Users of the events series (5 events and 1 purchase each), unless --events-users says otherwise. */
const EVENTS_USERS = 10_000;
/** Users per set series, unless --set-sizes says otherwise. */
const SET_SIZES = [1000, 10_000, 100_000];
const QUICK_SET_SIZES = [1000];
type Part = (typeof PARTS)[number];

interface Options {
  users: number;
  quick: boolean;
  parts: Set<Part>;
  setSizes: number[];
  eventsUsers: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: { users: { type: "string" }, quick: { type: "boolean", default: false }, only: { type: "string" }, "set-sizes": { type: "string" }, "events-users": { type: "string" } },
  });
  const quick = values.quick ?? false;
  const users = values.users === undefined ? (quick ? QUICK_USERS : 1000) : Number(values.users);
  if (!Number.isInteger(users) || users < 20) throw new Error(`--users must be a whole number of at least 20, got ${values.users}`);
  const parts = values.only === undefined ? [...PARTS] : values.only.split(",");
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only takes a comma-separated list of ${PARTS.join(", ")}; got "${part}"`);
  }
  const setSizes = values["set-sizes"] === undefined ? (quick ? QUICK_SET_SIZES : SET_SIZES) : values["set-sizes"].split(",").map(Number);
  for (const size of setSizes) {
    if (!Number.isInteger(size) || size < 100) throw new Error(`--set-sizes takes whole numbers of at least 100, e.g. 1000,10000; got "${values["set-sizes"]}"`);
  }
  const eventsUsers = values["events-users"] === undefined ? (quick ? QUICK_USERS : EVENTS_USERS) : Number(values["events-users"]);
  if (!Number.isInteger(eventsUsers) || eventsUsers < 100) throw new Error(`--events-users must be a whole number of at least 100, got ${values["events-users"]}`);
  return { users, quick, parts: new Set(parts as Part[]), setSizes, eventsUsers };
}

function progress(label: string): (step: SeriesStep) => void {
  return (step) =>
    console.error(`  ${label} ${step.scenario}: ${seconds(step.seconds)}, ${step.requests} request(s), ${step.dataPoints} data point(s), ${JSON.stringify(step.resourceChanges)}`);
}

async function main(): Promise<void> {
  const { users, quick, parts, setSizes, eventsUsers } = options();
  const cliRoot = pulumiCliRoot();
  const scenarios = buildScenarios(users);
  checkValid(scenarios);
  const sweep = quick ? QUICK_SWEEP_PARALLEL : SWEEP_PARALLEL;
  const series = (label: string, program: typeof USERS_PROGRAM, parallel: number, steps: readonly Scenario[], env?: Record<string, string>) => {
    console.error(`${label} (--parallel ${parallel}${env ? `, ${JSON.stringify(env)}` : ""})`);
    return runPulumiSeries({ ...program, parallel, env, scenarios: steps, cliRoot, onStep: progress(label) });
  };
  const createAndUpdate = scenarios.slice(0, 2);

  // Each users series is followed at once by its floor, so both see the same machine load.
  const none: SeriesStep[] = [];
  const provider = parts.has("requests") || parts.has("floor") || parts.has("sweep") ? await series("braze users", USERS_PROGRAM, BENCH_PARALLEL, scenarios) : none;
  const floor = parts.has("floor") ? await series("no-op floor", FLOOR_PROGRAM, BENCH_PARALLEL, scenarios) : none;
  const skipEnv = { PULUMI_SKIP_CHECKPOINTS: "true" };
  const providerSkip = parts.has("skip-checkpoints") ? await series("braze users", USERS_PROGRAM, BENCH_PARALLEL, createAndUpdate, skipEnv) : none;
  const floorSkip = parts.has("skip-checkpoints") ? await series("no-op floor", FLOOR_PROGRAM, BENCH_PARALLEL, createAndUpdate, skipEnv) : none;
  const floorSlow = parts.has("floor") ? await series("no-op floor", FLOOR_PROGRAM, 8, createAndUpdate) : none;
  const swept: Record<number, SeriesStep[]> = {};
  if (parts.has("sweep")) {
    swept[BENCH_PARALLEL] = provider.slice(0, 2);
    for (const parallel of sweep) {
      if (parallel !== BENCH_PARALLEL) swept[parallel] = await series("braze users", USERS_PROGRAM, parallel, createAndUpdate);
    }
  }
  const baselines: Record<string, BaselineStep[]> = {};
  if (parts.has("baselines")) {
    for (const baseline of BASELINES) {
      console.error(baseline);
      baselines[baseline] = await runBaselineSeries(baseline, scenarios);
    }
  }
  const sets: SetStep[] = [];
  if (parts.has("sets")) {
    for (const size of setSizes) {
      console.error(`user sets: ${size} users`);
      sets.push(
        ...(await runSetSeries({
          users: size,
          cliRoot,
          programDir: USERS_PROGRAM.programDir,
          floorDir: path.join(distRoot, "test", "fixtures", "noop-set-program"),
          onStep: (step) =>
            console.error(`  ${step.scenario}: ${seconds(step.seconds)} (floor ${seconds(step.floorSeconds)}), ${step.received.requests} request(s), ${step.received.dataPoints} data point(s), peak ${step.memory.total} MiB`),
        })),
      );
    }
  }
  const events: EventsStep[] = [];
  if (parts.has("events")) {
    console.error(`events: ${eventsUsers} users, 5 events and 1 purchase each`);
    events.push(
      ...(await runEventsSeries(eventsUsers, (step) =>
        console.error(`  ${step.scenario}: ${seconds(step.seconds)}, ${step.ups} up(s), ${JSON.stringify(step.received.byPath)}, ${step.received.dataPoints} data point(s)`),
      )),
    );
  }
  if (parts.has("throughput")) console.error("braze-local throughput");
  const throughput = parts.has("throughput") ? await measureServerThroughput(quick ? SERVER_THROUGHPUT_REQUESTS / 4 : SERVER_THROUGHPUT_REQUESTS) : undefined;

  const report = [
    `# pulumi-braze-profiles benchmarks: ${users} users${quick ? " (--quick)" : ""}, ${os.cpus().length} CPUs, Node ${process.version}`,
    "",
    `## 1. Requests and data points (pulumi up --parallel ${BENCH_PARALLEL})`,
    "",
    provider.length > 0 ? requestsTable(scenarios, provider, baselines) : "(not run)",
    "",
    `## 2. Wall time against the engine floor (no-op dynamic provider, same resources and inputs; the update changes one input on ${CHANGED_FRACTION * 100}% of resources in both)`,
    "",
    wallTable(scenarios, [
      { label: `--parallel ${BENCH_PARALLEL}`, provider, floor },
      { label: `--parallel ${BENCH_PARALLEL}, PULUMI_SKIP_CHECKPOINTS=true`, provider: providerSkip, floor: floorSkip },
      { label: "--parallel 8 (floor only)", floor: floorSlow },
    ]) || "(not run)",
    "",
    "## 3. Parallelism sweep: /users/track requests per up",
    "",
    Object.keys(swept).length > 0 ? sweepTable(scenarios, swept) : "(not run)",
    "",
    "## 4. braze-local throughput (own process, /users/track batches of 75)",
    "",
    throughput ? throughputTable(throughput) : "(not run)",
    "",
    "## 5. User sets: the root program's one BrazeUserSet against its no-op floor (same program and inputs, a provider that does nothing), step by step in turn",
    "",
    sets.length > 0 ? setsTable(sets) : "(not run)",
    "",
    "## 6. Events and purchases: a set whose users log 5 events and 1 purchase each, through the set provider (no engine), clean and with 5% faults",
    "",
    events.length > 0 ? eventsTable(events) : "(not run)",
  ].join("\n");
  console.log(report);

  const partial = parts.size < PARTS.length || users !== 1000;
  const onlySets = parts.size === 1 && parts.has("sets");
  const onlyEvents = parts.size === 1 && parts.has("events");
  const name = quick ? "bench-quick.json" : onlySets ? `sets-${setSizes.join("-")}.json` : onlyEvents ? `events-${eventsUsers}.json` : partial ? `bench-${users}-partial.json` : "bench.json";
  const out = path.join(repoRoot, "bench", "results", name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const json = {
    benchmark: "bench/run.ts",
    users,
    quick,
    parts: [...parts],
    parallel: BENCH_PARALLEL,
    node: process.version,
    cpus: os.cpus().length,
    date: new Date().toISOString(),
    minimum: Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.minimum])),
    provider,
    baselines,
    floor,
    skipCheckpoints: { provider: providerSkip, floor: floorSkip },
    floorParallel8: floorSlow,
    sweep: swept,
    serverThroughput: throughput,
    sets,
    events,
    report,
  };
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(repoRoot, out)}`);
}

/** Fails before anything runs when a generated file would not pass the program's validation. */
function checkValid(scenarios: readonly Scenario[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-check-"));
  try {
    for (const scenario of scenarios) {
      const file = path.join(dir, "users.yaml");
      writeDesiredState(file, scenario.users);
      loadDesiredState(file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function requestsTable(scenarios: readonly Scenario[], provider: readonly SeriesStep[], baselines: Record<string, BaselineStep[]>): string {
  const rows: Cell[][] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const { minimum } = scenario;
    rows.push([scenario.name, "minimum possible", minimum.requests, minimum.objects, minimum.dataPoints, "", "", ""]);
    const clients: Array<[string, SeriesStep | BaselineStep]> = [
      ["pulumi-braze-profiles", provider[index]],
      ...Object.entries(baselines).map(([name, steps]) => [name, steps[index]] as [string, BaselineStep]),
    ];
    for (const [client, step] of clients) {
      rows.push(["", client, step.requests, step.objects, step.dataPoints, ratio(step.requests, minimum.requests), ratio(step.dataPoints, minimum.dataPoints), seconds(step.seconds)]);
    }
  }
  return markdownTable(["scenario", "client", "requests", "objects", "data points", "requests ÷ min", "data points ÷ min", "wall"], rows);
}

interface WallSeries {
  label: string;
  provider?: readonly SeriesStep[];
  floor: readonly SeriesStep[];
}

function wallTable(scenarios: readonly Scenario[], series: readonly WallSeries[]): string {
  const rows: Cell[][] = [];
  for (const { label, provider, floor } of series) {
    for (const [index, step] of floor.entries()) {
      const users = provider?.[index];
      rows.push([
        label,
        scenarios[index].name,
        users ? seconds(users.seconds) : "",
        seconds(step.seconds),
        users ? ratio(users.seconds, step.seconds) : "",
        users ? Math.round(users.stateBytes / 1024) : "",
        Math.round(step.stateBytes / 1024),
      ]);
    }
  }
  if (rows.length === 0) return "";
  return markdownTable(["series", "scenario", "braze users up", "no-op floor up", "ratio", "users state KiB", "floor state KiB"], rows);
}

function sweepTable(scenarios: readonly Scenario[], swept: Record<number, SeriesStep[]>): string {
  const rows: Cell[][] = Object.keys(swept)
    .map(Number)
    .sort((a, b) => a - b)
    .map((parallel) => {
      const [create, update] = swept[parallel];
      const track = (step: SeriesStep) => step.byPath["/users/track"] ?? 0;
      return [
        parallel,
        track(create),
        scenarios[0].minimum.requests,
        (create.objects / Math.max(1, track(create))).toFixed(1),
        seconds(create.seconds),
        track(update),
        scenarios[1].minimum.requests,
        (update.objects / Math.max(1, track(update))).toFixed(1),
        seconds(update.seconds),
      ];
    });
  return markdownTable(
    ["--parallel", "create requests", "min", "objects/request", "create wall", "update 10% requests", "min", "objects/request", "update wall"],
    rows,
  );
}

function setsTable(steps: readonly SetStep[]): string {
  const rows: Cell[][] = steps.map((step) => [
    step.users,
    step.scenario,
    seconds(step.seconds),
    seconds(step.floorSeconds),
    ratio(step.seconds, step.floorSeconds),
    seconds(step.baselineSeconds),
    `${step.received.requests} (${step.minimum.requests})`,
    `${step.received.dataPoints} (${step.minimum.dataPoints})`,
    Math.round(step.stateBytes / step.users),
    Math.round(step.floorStateBytes / step.users),
    `${step.memory.pulumi} / ${step.memory.provider} / ${step.memory.total}`,
    step.floorMemory.total,
  ]);
  return markdownTable(
    ["users", "scenario", "up", "no-op floor", "ratio", "batched script", "requests (min)", "data points (min)", "state B/user", "floor B/user", "peak MiB pulumi / provider / run", "floor peak MiB"],
    rows,
  );
}

function throughputTable(result: ServerThroughput): string {
  return markdownTable(
    ["requests", "objects", "in flight", "seconds", "objects/s", "requests/s"],
    [[result.requests, result.objects, result.in_flight, result.seconds, result.objects_per_second, result.requests_per_second]],
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
