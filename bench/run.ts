// The "prove it" benchmarks, against braze-local, every count read from its
// /_local/stats. The parts (`--only`), and what each measures, are in USAGE.
// Prints markdown tables and writes them as JSON to bench/results/. Not part of
// the tests: wall times vary with the machine, so no test asserts on them.
// Run: npx tsc -p tsconfig.json && node dist/bench/run.js --help
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { pulumiCliRoot } from "../automation/pulumi-cli-root";
import { loadDesiredState } from "../provider/desired-state";
import { runBaselineSeries, type Baseline, type BaselineStep } from "./baselines";
import { PERSONA_IDENTITIES, writeDesiredState, type PersonaIdentity } from "./personas";
import { runInterleavedSeries, runPulumiSeries, type SeriesStep } from "./pulumi-series";
import { eventsTable, runEventsSeries, type EventsStep } from "./events-series";
import { EXPORT_LIMIT, runImportSeries, type ImportStep } from "./import-series";
import { runSetSeries, type SetStep } from "./set-series";
import { runShapeSeries, type ShapeStep } from "./shape-series";
import { buildScenarios, CHANGED_FRACTION, type Scenario } from "./scenarios";
import { measureServerThroughput, SERVER_THROUGHPUT_REQUESTS, type ServerThroughput } from "./server-throughput";
import { agreed, formatSpread, spreadOf } from "./repeats";
import { markdownTable, ratio, seconds, type Cell } from "./table";
import { DEFAULT_USERS, PARTS, resultFileName, type Part } from "./result-file";

const distRoot = path.resolve(__dirname, "..");
const repoRoot = path.resolve(distRoot, "..");
/** The root program: one BrazeUserSet for the file (parts 5 and 7). */
const ROOT_PROGRAM_DIR = path.join(distRoot, "program");
/** One BrazeUser per user (the root program now declares a set: part 5 measures that). */
const USERS_PROGRAM = {
  programDir: path.join(distRoot, "test", "fixtures", "per-user-program"),
  projectName: "bench-users",
  desiredStateKey: "braze:desiredState",
};
const FLOOR_PROGRAM = { programDir: path.join(distRoot, "test", "fixtures", "noop-program"), projectName: "bench-floor", desiredStateKey: "noop:desiredState" };

/** The parallelism of the main job (automation/main-job.ts), used for everything but the sweep. */
const BENCH_PARALLEL = 100;
const SWEEP_PARALLEL = [8, 32, 100, 200];
const QUICK_SWEEP_PARALLEL = [8, 100];
const QUICK_USERS = 100;
const BASELINES: Baseline[] = ["naive full-state sync", "batched full-state sync"];

/** The parts of the benchmark, for `--only` (a full run of 1,000 users took 25 min on 2 cores). */
/** Users of the events series (5 events and 1 purchase each), unless --events-users says otherwise. */
const EVENTS_USERS = 10_000;
/** Users per set series, unless --set-sizes says otherwise. */
const SET_SIZES = [1000, 10_000, 100_000];
const QUICK_SET_SIZES = [1000];
/** Users per import series, unless --import-sizes says otherwise (100,000 at the export limit takes about 8 minutes). */
const IMPORT_SIZES = [10_000, 100_000];
const QUICK_IMPORT_SIZES = [200];
/** Runs of each varying figure (sets, throughput), shown as median and range, unless --repeat says otherwise. */
const REPEATS = 3;

interface Options {
  users: number;
  quick: boolean;
  parts: Set<Part>;
  setSizes: number[];
  setIdentities: PersonaIdentity[];
  repeat: number;
  eventsUsers: number;
  importSizes: number[];
}

const USAGE = `Usage: node dist/bench/run.js [options]

Runs the benchmarks against braze-local, prints their tables and writes them
as JSON to bench/results/. Close other work first: wall times are compared
with floors measured in the same run, and the machine's load is printed.

Options:
  --only <parts>        comma-separated parts to run (default: all of them):
                          requests          requests and data points of four ups, per-user resources
                          floor             pulumi up against the no-op engine floor, per-user resources
                          skip-checkpoints  the same with PULUMI_SKIP_CHECKPOINTS
                          sweep             /users/track requests per up across --parallel
                          baselines         a naive and a batched full-state sync script
                          throughput        braze-local's own ingest rate
                          sets              user sets: create, unchanged, 1% changed, 5% removed,
                                            alias-only and identified personas (--set-identity)
                          shapes            a set's input shapes on the no-op floor
                          events            users with events and purchases
                          import            braze-profiles import of identified personas, the
                                            export limit off then at 250 requests a minute
  --users <n>           users of the per-user parts (default: ${DEFAULT_USERS}; ${QUICK_USERS} with --quick)
  --set-sizes <list>    users per set series, e.g. 1000,10000 (default: ${SET_SIZES.join(",")})
  --set-identity <id>   which sets series run: alias (alias-only personas), external_id
                        (identified personas, no alias) or both (default: both)
  --events-users <n>    users of the events part (default: ${EVENTS_USERS})
  --import-sizes <list> users per import series, e.g. 10000,100000 (default: ${IMPORT_SIZES.join(",")}; one run each)
  --repeat <n>          runs of each varying figure, shown as median and range (default: ${REPEATS})
  --quick               small sizes and one run, to check that the parts work
  --help                this text
`;

/** A mistake on the command line: printed with the usage hint, without a stack. */
class UsageError extends Error {}

function options(): Options | "help" {
  // Typed by its one assignment below, from parseArgs and its options.
  // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript infers it from that assignment
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        users: { type: "string" },
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        "set-sizes": { type: "string" },
        "set-identity": { type: "string" },
        repeat: { type: "string" },
        "events-users": { type: "string" },
        "import-sizes": { type: "string" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  const quick = values.quick ?? false;
  const users = values.users === undefined ? (quick ? QUICK_USERS : DEFAULT_USERS) : Number(values.users);
  if (!Number.isInteger(users) || users < 20) throw new UsageError(`--users must be a whole number of at least 20, got ${values.users}`);
  const parts = values.only === undefined ? [...PARTS] : values.only.split(",");
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part)) throw new UsageError(`--only takes a comma-separated list of ${PARTS.join(", ")}; got "${part}"`);
  }
  const setSizes = values["set-sizes"] === undefined ? (quick ? QUICK_SET_SIZES : SET_SIZES) : values["set-sizes"].split(",").map(Number);
  for (const size of setSizes) {
    if (!Number.isInteger(size) || size < 100)
      throw new UsageError(`--set-sizes takes whole numbers of at least 100, e.g. 1000,10000; got "${values["set-sizes"]}"`);
  }
  const identity = values["set-identity"] ?? "both";
  if (identity !== "both" && !(PERSONA_IDENTITIES as readonly string[]).includes(identity))
    throw new UsageError(`--set-identity takes ${PERSONA_IDENTITIES.join(", ")} or both; got "${identity}"`);
  const setIdentities = identity === "both" ? [...PERSONA_IDENTITIES] : [identity as PersonaIdentity];
  const repeat = values.repeat === undefined ? (quick ? 1 : REPEATS) : Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new UsageError(`--repeat must be a whole number of at least 1, got "${values.repeat}"`);
  const eventsUsers = values["events-users"] === undefined ? (quick ? QUICK_USERS : EVENTS_USERS) : Number(values["events-users"]);
  if (!Number.isInteger(eventsUsers) || eventsUsers < 100)
    throw new UsageError(`--events-users must be a whole number of at least 100, got ${values["events-users"]}`);
  const importSizes = values["import-sizes"] === undefined ? (quick ? QUICK_IMPORT_SIZES : IMPORT_SIZES) : values["import-sizes"].split(",").map(Number);
  for (const size of importSizes) {
    if (!Number.isInteger(size) || size < 50)
      throw new UsageError(`--import-sizes takes whole numbers of at least 50, e.g. 10000,100000; got "${values["import-sizes"]}"`);
  }
  return { users, quick, parts: new Set(parts as Part[]), setSizes, setIdentities, repeat, eventsUsers, importSizes };
}

function progress(label: string): (step: SeriesStep) => void {
  return (step) =>
    console.error(
      `  ${label} ${step.scenario}: ${seconds(step.seconds)}, ${step.requests} request(s), ${step.dataPoints} data point(s), ${JSON.stringify(step.resourceChanges)}`,
    );
}

async function main(): Promise<void> {
  const chosen = options();
  if (chosen === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const { users, quick, parts, setSizes, setIdentities, repeat, eventsUsers, importSizes } = chosen;
  // Wall times are only comparable on an otherwise idle machine: the load is printed with them.
  const loadStart = loadAverage();
  const cliRoot = pulumiCliRoot();
  const scenarios = buildScenarios(users);
  checkValid(scenarios);
  const sweep = quick ? QUICK_SWEEP_PARALLEL : SWEEP_PARALLEL;
  const lane = (label: string, program: typeof USERS_PROGRAM, parallel: number, steps: readonly Scenario[], env?: Record<string, string>) => ({
    ...program,
    parallel,
    env,
    scenarios: steps,
    cliRoot,
    onStep: progress(label),
  });
  const createAndUpdate = scenarios.slice(0, 2);
  const skipEnv = { PULUMI_SKIP_CHECKPOINTS: "true" };

  // The users program and its no-op floor run step by step in turn (so both see
  // the same machine load at each step), `repeat` times, each run on fresh stacks.
  const provider: SeriesStep[][] = [];
  const floor: SeriesStep[][] = [];
  const providerSkip: SeriesStep[][] = [];
  const floorSkip: SeriesStep[][] = [];
  const floorSlow: SeriesStep[][] = [];
  for (let run = 1; run <= repeat; run++) {
    if (parts.has("requests") || parts.has("floor") || parts.has("sweep")) {
      console.error(`braze users${parts.has("floor") ? " and the no-op floor, step by step" : ""} (--parallel ${BENCH_PARALLEL}), run ${run} of ${repeat}`);
      const [users, noop] = await runInterleavedSeries([
        lane("braze users", USERS_PROGRAM, BENCH_PARALLEL, scenarios),
        ...(parts.has("floor") ? [lane("no-op floor", FLOOR_PROGRAM, BENCH_PARALLEL, scenarios)] : []),
      ]);
      provider.push(users);
      if (noop) floor.push(noop);
    }
    if (parts.has("skip-checkpoints")) {
      console.error(`braze users and the no-op floor, step by step (--parallel ${BENCH_PARALLEL}, PULUMI_SKIP_CHECKPOINTS=true), run ${run} of ${repeat}`);
      const [users, noop] = await runInterleavedSeries([
        lane("braze users", USERS_PROGRAM, BENCH_PARALLEL, createAndUpdate, skipEnv),
        lane("no-op floor", FLOOR_PROGRAM, BENCH_PARALLEL, createAndUpdate, skipEnv),
      ]);
      providerSkip.push(users);
      floorSkip.push(noop);
    }
    if (parts.has("floor")) {
      console.error(`no-op floor (--parallel 8), run ${run} of ${repeat}`);
      floorSlow.push(await runPulumiSeries(lane("no-op floor", FLOOR_PROGRAM, 8, createAndUpdate)));
    }
  }
  // The sweep is one run per setting (four settings of a 1,000-user create take
  // about 15 minutes): its request counts are shown as measured, not as a median.
  const swept: Record<number, SeriesStep[]> = {};
  if (parts.has("sweep")) {
    swept[BENCH_PARALLEL] = provider[0].slice(0, 2);
    for (const parallel of sweep) {
      if (parallel === BENCH_PARALLEL) continue;
      console.error(`braze users (--parallel ${parallel})`);
      swept[parallel] = await runPulumiSeries(lane("braze users", USERS_PROGRAM, parallel, createAndUpdate));
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
      for (const identity of setIdentities) {
        for (let run = 1; run <= repeat; run++) {
          console.error(`user sets: ${size} users identified by ${identity}, run ${run} of ${repeat}`);
          sets.push(
            ...(await runSetSeries({
              users: size,
              identity,
              run,
              cliRoot,
              programDir: ROOT_PROGRAM_DIR,
              floorDir: path.join(distRoot, "test", "fixtures", "noop-set-program"),
              onStep: (step) =>
                console.error(
                  `  ${step.identity} ${step.scenario}: ${seconds(step.seconds)} (floor ${seconds(step.floorSeconds)}), ${step.received.requests} request(s) (min ${step.minimum.requests}), ${step.received.dataPoints} data point(s) (min ${step.minimum.dataPoints}), peak ${step.memory.total} MiB` +
                    (step.preview === undefined
                      ? ""
                      : `; preview --diff of one user changed: ${step.preview.lines} lines, ${seconds(step.preview.seconds)} (floor ${seconds(step.preview.floorSeconds)})`),
                ),
            })),
          );
        }
      }
    }
  }
  const shapes: ShapeStep[] = [];
  for (const size of parts.has("shapes") ? setSizes : []) {
    for (let run = 1; run <= repeat; run++) {
      console.error(`set input shapes (no-op floor): ${size} users, run ${run} of ${repeat}`);
      shapes.push(
        ...(await runShapeSeries({
          users: size,
          run,
          cliRoot,
          floorDir: path.join(distRoot, "test", "fixtures", "noop-set-program"),
          onStep: (step) => console.error(`  ${step.shape}, ${step.scenario}: ${seconds(step.seconds)}, peak ${step.memory.total} MiB`),
        })),
      );
    }
  }
  const events: EventsStep[] = [];
  if (parts.has("events")) {
    console.error(`events: ${eventsUsers} users, 5 events and 1 purchase each`);
    events.push(
      ...(await runEventsSeries(eventsUsers, (step) =>
        console.error(
          `  ${step.scenario}: ${seconds(step.seconds)}, ${step.ups} up(s), ${JSON.stringify(step.received.byPath)}, ${step.received.dataPoints} data point(s)`,
        ),
      )),
    );
  }
  const imports: ImportStep[] = [];
  for (const size of parts.has("import") ? importSizes : []) {
    console.error(`import: ${size} identified users, the export limit off then at ${EXPORT_LIMIT.requests} per ${EXPORT_LIMIT.perSeconds} s`);
    imports.push(
      ...(await runImportSeries(size, (step) =>
        console.error(
          `  export limit ${step.exportLimit}: ${seconds(step.seconds)} (floor ${seconds(step.floorSeconds)}), ${step.exportRequests} export request(s) (min ${step.minimumRequests})`,
        ),
      )),
    );
  }
  if (parts.has("throughput")) console.error("braze-local throughput");
  const throughput: ServerThroughput[] = [];
  for (let run = 1; parts.has("throughput") && run <= repeat; run++) {
    throughput.push(await measureServerThroughput(quick ? SERVER_THROUGHPUT_REQUESTS / 4 : SERVER_THROUGHPUT_REQUESTS));
  }

  const report = [
    `# pulumi-braze-profiles benchmarks: ${users} users${quick ? " (--quick)" : ""}, ${os.cpus().length} CPUs, Node ${process.version}, load average ${loadStart} at the start and ${loadAverage()} at the end`,
    "",
    `## 1. Requests and data points (pulumi up --parallel ${BENCH_PARALLEL})`,
    "",
    provider.length > 0 ? requestsTable(scenarios, provider, baselines) : "(not run)",
    "",
    `## 2. Wall time against the engine floor (no-op dynamic provider, same resources and inputs, step by step in turn; the update changes one input on ${CHANGED_FRACTION * 100}% of resources in both); median (range) of ${repeat} run(s)`,
    "",
    wallTable(scenarios, [
      { label: `--parallel ${BENCH_PARALLEL}`, provider, floor },
      { label: `--parallel ${BENCH_PARALLEL}, PULUMI_SKIP_CHECKPOINTS=true`, provider: providerSkip, floor: floorSkip },
      { label: "--parallel 8 (floor only)", floor: floorSlow },
    ]) || "(not run)",
    "",
    "## 3. Parallelism sweep: /users/track requests per up (one run per setting; --parallel 100 is the first run of part 1)",
    "",
    Object.keys(swept).length > 0 ? sweepTable(scenarios, swept) : "(not run)",
    "",
    "## 4. braze-local throughput (own process, /users/track batches of 75)",
    "",
    throughput.length > 0 ? throughputTable(throughput) : "(not run)",
    "",
    `## 5. User sets: the root program's one BrazeUserSet against its no-op floor (same program and inputs, a provider that does nothing), step by step in turn; median (range) of ${repeat} run(s), each on a fresh stack`,
    "",
    sets.length > 0 ? setsTable(sets) : "(not run)",
    "",
    `## 6. Set input shapes: the no-op set floor with the users in 256 shards by a hash of their key, packed as BrazeUserSet sends them, the same sent whole, the same with JSON texts, the same with google-protobuf's stock string codec, one string per user, or one string; shapes step by step in turn; median (range) of ${repeat} run(s)`,
    "",
    shapes.length > 0 ? shapesTable(shapes) : "(not run)",
    "",
    "## 7. Events and purchases: a set whose users log 5 events and 1 purchase each, through the set provider (no engine), clean and with 5% faults",
    "",
    events.length > 0 ? eventsTable(events) : "(not run)",
    "",
    `## 8. Import: braze-profiles import --external-ids of identified personas (its own process), the export limit off then at ${EXPORT_LIMIT.requests} per ${EXPORT_LIMIT.perSeconds} s; floor: with the limit off a script sending the same requests back to back, at the limit the least any client could take: the wait for the last window it needs, then that window's requests back to back (one run)`,
    "",
    imports.length > 0 ? importTable(imports) : "(not run)",
  ].join("\n");
  console.log(report);

  const name = resultFileName({ parts, quick, users, setSizes, setIdentities, eventsUsers, importSizes });
  const out = path.join(repoRoot, "bench", "results", name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const json = {
    benchmark: "bench/run.ts",
    users,
    quick,
    repeat,
    parts: [...parts],
    parallel: BENCH_PARALLEL,
    node: process.version,
    cpus: os.cpus().length,
    date: new Date().toISOString(),
    loadAverage: { start: loadStart, end: loadAverage() },
    minimum: Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario.minimum])),
    provider,
    baselines,
    floor,
    skipCheckpoints: { provider: providerSkip, floor: floorSkip },
    floorParallel8: floorSlow,
    sweep: swept,
    serverThroughput: throughput,
    sets,
    shapes,
    events,
    imports,
    report,
  };
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(repoRoot, out)}`);
}

/** The 1, 5 and 15-minute load averages, as `uptime` prints them. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
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

function requestsTable(scenarios: readonly Scenario[], provider: readonly SeriesStep[][], baselines: Record<string, BaselineStep[]>): string {
  const rows: Cell[][] = [];
  for (const [index, scenario] of scenarios.entries()) {
    const { minimum } = scenario;
    rows.push([scenario.name, "minimum possible", minimum.requests, minimum.objects, minimum.dataPoints, "", "", ""]);
    // A batch holds what the engine hands over together, so the provider's request counts may differ between runs.
    const runs = provider.map((steps) => steps[index]);
    rows.push([
      "",
      `pulumi-braze-profiles (${runs.length} run(s))`,
      agreed(runs.map((step) => step.requests)),
      agreed(runs.map((step) => step.objects)),
      agreed(runs.map((step) => step.dataPoints)),
      [...new Set(runs.map((step) => ratio(step.requests, minimum.requests)))].join(" / "),
      ratio(runs[0].dataPoints, minimum.dataPoints),
      formatSpread(spreadOf(runs.map((step) => step.seconds)), (value) => value.toFixed(1)),
    ]);
    for (const [client, steps] of Object.entries(baselines)) {
      const step = steps[index];
      rows.push([
        "",
        client,
        step.requests,
        step.objects,
        step.dataPoints,
        ratio(step.requests, minimum.requests),
        ratio(step.dataPoints, minimum.dataPoints),
        step.seconds.toFixed(2),
      ]);
    }
  }
  return markdownTable(["scenario", "client", "requests", "objects", "data points", "requests ÷ min", "data points ÷ min", "wall s"], rows);
}

interface WallSeries {
  label: string;
  /** Runs × scenarios; each run's steps interleaved with the same run of `floor`. */
  provider?: readonly SeriesStep[][];
  floor: readonly SeriesStep[][];
}

function wallTable(scenarios: readonly Scenario[], series: readonly WallSeries[]): string {
  const rows: Cell[][] = [];
  const oneDecimal = (value: number) => value.toFixed(1);
  for (const { label, provider, floor } of series) {
    if (floor.length === 0) continue;
    for (const index of floor[0].keys()) {
      const floorRuns = floor.map((steps) => steps[index]);
      const userRuns = provider?.map((steps) => steps[index]);
      rows.push([
        label,
        scenarios[index].name,
        userRuns ? formatSpread(spreadOf(userRuns.map((step) => step.seconds)), oneDecimal) : "",
        formatSpread(spreadOf(floorRuns.map((step) => step.seconds)), oneDecimal),
        // Each run against its own floor, then the median of those ratios.
        userRuns ? formatSpread(spreadOf(userRuns.map((step, run) => step.seconds / floorRuns[run].seconds)), (value) => `${value.toFixed(2)}×`) : "",
        userRuns ? agreed(userRuns.map((step) => Math.round(step.stateBytes / 1024))) : "",
        agreed(floorRuns.map((step) => Math.round(step.stateBytes / 1024))),
      ]);
    }
  }
  if (rows.length === 0) return "";
  return markdownTable(["series", "scenario", "braze users up s", "no-op floor up s", "ratio", "users state KiB", "floor state KiB"], rows);
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
  // One row per size and scenario, in the order they ran, over every run of it.
  const groups = new Map<string, SetStep[]>();
  for (const step of steps) {
    const id = `${step.users} ${step.identity} ${step.scenario}`;
    groups.set(id, [...(groups.get(id) ?? []), step]);
  }
  const rows: Cell[][] = [...groups.values()].map((runs) => {
    const [first] = runs;
    const spread = (pick: (step: SetStep) => number, format: (value: number) => string) => formatSpread(spreadOf(runs.map(pick)), format);
    const secondsOf = (value: number) => value.toFixed(1);
    return [
      first.users,
      first.identity,
      first.scenario,
      spread((step) => step.seconds, secondsOf),
      spread((step) => step.floorSeconds, secondsOf),
      // The ratio of each run to its own interleaved floor, then the median of those.
      spread(
        (step) => step.seconds / step.floorSeconds,
        (value) => `${value.toFixed(2)}×`,
      ),
      spread((step) => step.baselineSeconds, secondsOf),
      `${agreed(runs.map((step) => step.received.requests))} (${first.minimum.requests})`,
      `${agreed(runs.map((step) => step.received.dataPoints))} (${first.minimum.dataPoints})`,
      agreed(runs.map((step) => Math.round(step.stateBytes / step.users))),
      agreed(runs.map((step) => Math.round(step.floorStateBytes / step.users))),
      spread((step) => step.memory.total, String),
      spread((step) => step.memory.pulumi, String),
      spread((step) => step.memory.provider, String),
      spread((step) => step.floorMemory.total, String),
      // Measured on the unchanged row only (set-series.ts).
      first.preview === undefined ? undefined : agreed(runs.map((step) => step.preview?.lines ?? 0)),
      first.preview === undefined ? undefined : spread((step) => step.preview?.seconds ?? 0, secondsOf),
      first.preview === undefined ? undefined : spread((step) => step.preview?.floorSeconds ?? 0, secondsOf),
    ];
  });
  return markdownTable(
    [
      "users",
      "identified by",
      "scenario",
      "up s",
      "no-op floor s",
      "ratio",
      "batched script s",
      "requests (min)",
      "data points (min)",
      "state B/user",
      "floor B/user",
      "peak MiB of the run",
      "pulumi peak MiB",
      "provider peak MiB",
      "floor peak MiB",
      "preview --diff lines (1 user changed)",
      "that preview s",
      "its floor s",
    ],
    rows,
  );
}

function shapesTable(steps: readonly ShapeStep[]): string {
  const groups = new Map<string, ShapeStep[]>();
  for (const step of steps) {
    const id = `${step.users} ${step.scenario} ${step.shape}`;
    groups.set(id, [...(groups.get(id) ?? []), step]);
  }
  const rows: Cell[][] = [...groups.values()].map((runs) => {
    const [first] = runs;
    return [
      first.users,
      first.scenario,
      first.shape,
      formatSpread(spreadOf(runs.map((step) => step.seconds)), (value) => value.toFixed(1)),
      formatSpread(spreadOf(runs.map((step) => step.memory.total)), String),
      formatSpread(spreadOf(runs.map((step) => step.memory.pulumi)), String),
      agreed(runs.map((step) => Math.round(step.stateBytes / step.users))),
    ];
  });
  return markdownTable(["users", "scenario", "shape", "up s", "peak MiB of the run", "peak MiB pulumi", "state B/user"], rows);
}

function importTable(steps: readonly ImportStep[]): string {
  const rows: Cell[][] = steps.map((step) => [
    step.users,
    step.exportLimit,
    step.seconds.toFixed(2),
    `${step.exportRequests} (${step.minimumRequests})`,
    Math.round(step.users / step.seconds),
    step.floorSeconds.toFixed(2),
    step.floor,
    ratio(step.seconds, step.floorSeconds),
  ]);
  return markdownTable(["users", "export limit", "import s", "export requests (min)", "users/s", "floor s", "floor", "ratio"], rows);
}

function throughputTable(runs: readonly ServerThroughput[]): string {
  const [first] = runs;
  return markdownTable(
    ["runs", "requests", "objects", "in flight", "seconds", "objects/s", "requests/s"],
    [
      [
        runs.length,
        first.requests,
        first.objects,
        first.in_flight,
        formatSpread(spreadOf(runs.map((run) => run.seconds)), (value) => value.toFixed(2)),
        formatSpread(spreadOf(runs.map((run) => run.objects_per_second)), (value) => String(Math.round(value))),
        formatSpread(spreadOf(runs.map((run) => run.requests_per_second)), (value) => String(Math.round(value))),
      ],
    ],
  );
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`bench: ${error.message}\nRun with --help for the options.`);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
