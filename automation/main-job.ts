// The README's main job: `pulumi up` of a program on a local file backend kept in
// the project folder (.pulumi-state/), printing what changed.
import * as path from "node:path";
import { openLocalStack } from "./local-stack";
import { pulumiCliRoot } from "./pulumi-cli-root";

const repoRoot = path.resolve(__dirname, "..", "..");

async function main(): Promise<void> {
  const stateDir = path.join(repoRoot, ".pulumi-state");
  const stack = await openLocalStack({
    programDir: path.join(repoRoot, "dist", "test", "fixtures", "smoke-program"),
    projectName: "smoke",
    stateDir,
    cliRoot: pulumiCliRoot(),
    config: { "smoke:journal": { value: path.join(stateDir, "smoke-journal.ndjson") } },
  });
  const result = await stack.up({ onOutput: (text) => process.stdout.write(text) });
  console.log(`\nstate: ${path.relative(process.cwd(), stateDir)}/ (result: ${result.summary.result})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
