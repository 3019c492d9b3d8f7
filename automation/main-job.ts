// The main job (README.md, "The two commands"): start braze-local (data kept in .braze-local/), run
// `pulumi up` of the root program (stack "local", on examples/quickstart/users.yaml
// or the file given as the first argument)
// on a file backend in .pulumi-state/, and show what Braze received. Run twice,
// the second run changes nothing and sends nothing.
import * as path from "node:path";
import { CommandError } from "@pulumi/pulumi/automation";
import { startBrazeLocal } from "../server";
import { openLocalStack } from "./local-stack";
import { pulumiCliRoot } from "./pulumi-cli-root";

const repoRoot = path.resolve(__dirname, "..", "..");
/** The file the main job applies, relative to the project folder. */
const DESIRED_STATE = process.argv[2] ?? "examples/quickstart/users.yaml";

/**
 * Engine parallelism for the main job. A /users/track batch can hold only as many
 * objects as the engine runs at once, so this is above Braze's 75-object cap
 * (Pulumi's default is 4 × CPUs: 8 on a 2-core machine).
 */
export const MAIN_JOB_PARALLEL = 100;

interface LocalStats {
  requests: { total: number; by_path?: Record<string, number> };
  data_points: { total: number };
  users: number;
}

async function stats(url: string): Promise<LocalStats> {
  return (await (await fetch(`${url}/_local/stats`)).json()) as LocalStats;
}

async function main(): Promise<void> {
  const server = await startBrazeLocal({ port: 0, dataDir: path.join(repoRoot, ".braze-local") });
  try {
    const before = await stats(server.url);
    const stack = await openLocalStack({
      projectDir: repoRoot,
      stackName: "local",
      stateDir: path.join(repoRoot, ".pulumi-state"),
      cliRoot: pulumiCliRoot(),
      env: { BRAZE_REST_ENDPOINT: server.url },
      config: { "braze:desiredState": { value: DESIRED_STATE } },
    });
    const result = await stack.up({ parallel: MAIN_JOB_PARALLEL, onOutput: (text) => process.stdout.write(text) });
    const after = await stats(server.url);
    console.log(
      [
        "",
        `braze-local (${server.url}, data in .braze-local/) received ${after.requests.total - before.requests.total} request(s) ` +
          `and ${after.data_points.total - before.data_points.total} data point(s) in this run; it holds ${after.users} user(s).`,
        `Inspect them: npx braze-local --data-dir .braze-local, then GET /_local/users.`,
        `Pulumi state: .pulumi-state/ (stack "local", result: ${result.summary.result}).`,
      ].join("\n"),
    );
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  // A failed `pulumi up` has printed its own diagnostics above; its error repeats them whole.
  if (error instanceof CommandError) console.error(`\npulumi up failed: its diagnostics are above. State: .pulumi-state/ (stack "local").`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
