// `braze-profiles plan`: what the next `pulumi up` will send to Braze, before it
// runs. Exit codes as `terraform plan -detailed-exitcode`: 0 nothing would change,
// 2 something would (over budget included: the verdict says what up refuses),
// 1 an error. bin/braze-profiles.js only calls main(); `braze-profiles import`
// is import/cli.ts's, with exit codes of its own.
import { parseArgs } from "node:util";
import { runImport } from "../import/cli";
import { formatJson } from "./format-json";
import { formatMarkdown } from "./format-markdown";
import { formatTable } from "./format-table";
import { buildReport, type PlanReport } from "./plan-report";
import { PlanError } from "./plan-error";
import { readStack } from "./pulumi-commands";
import { planInputOf } from "./stack-reading";

export const EXIT_NO_CHANGES = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

const FORMATS: Record<string, (report: PlanReport) => string> = { table: formatTable, markdown: formatMarkdown, json: formatJson };

export const USAGE = `Usage: braze-profiles plan [--stack <name>] [--cwd <project folder>] [--format table|markdown|json] [--refresh]

Shows what the next "pulumi up" sends to Braze for every BrazeUserSet of the stack:
users to create, update, rename and delete, the attributes, groups, events and
purchases that change,
requests per endpoint, data points, and the budgets' verdict. Runs "pulumi stack export"
and "pulumi preview --json" (the "pulumi" on PATH, with your backend and passphrase
from the environment); sends nothing to Braze (--refresh reads it back first).

Exit code: 0 nothing would change, 2 something would (also when over budget), 1 error.

braze-profiles import --help: writes a desired-state file from users Braze already holds.
`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (import's progress line). @default process.stderr.isTTY for the default io, else false */
  stderrIsTTY?: boolean;
}

const PROCESS_IO: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
};

/** Runs the command; resolves to the exit code. */
export async function main(argv: string[], io: Io = PROCESS_IO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr(USAGE);
    return EXIT_ERROR;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout(USAGE);
    return EXIT_NO_CHANGES;
  }
  if (command === "import") {
    return runImport(rest, io);
  }
  if (command !== "plan") {
    io.stderr(`braze-profiles: unknown command "${command}"\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  let values: { stack?: string; cwd?: string; format?: string; refresh?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        stack: { type: "string", short: "s" },
        cwd: { type: "string", short: "C" },
        format: { type: "string", default: "table" },
        refresh: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr(`braze-profiles plan: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_ERROR;
  }
  if (values.help) {
    io.stdout(USAGE);
    return EXIT_NO_CHANGES;
  }
  const format = FORMATS[values.format ?? "table"];
  if (!format) {
    io.stderr(`braze-profiles plan: --format must be table, markdown or json, got "${values.format}"\n`);
    return EXIT_ERROR;
  }
  try {
    const { state, preview } = await readStack({ stack: values.stack, cwd: values.cwd, refresh: values.refresh, env: io.env });
    const report = buildReport(planInputOf(state, preview, { stack: values.stack, refreshed: values.refresh === true, env: io.env }));
    io.stdout(format(report));
    return report.changesAnything ? EXIT_CHANGES : EXIT_NO_CHANGES;
  } catch (error) {
    if (error instanceof PlanError) {
      io.stderr(`braze-profiles plan: ${error.message}\n`);
      return EXIT_ERROR;
    }
    throw error;
  }
}
