// braze-profiles's arguments and exit codes where no Pulumi is involved: every
// mistake exits 1 with a message on stderr and nothing on stdout.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXIT_ERROR, EXIT_NO_CHANGES, main, USAGE } from "../../plan/cli";

async function run(argv: string[], env: NodeJS.ProcessEnv = { PATH: "/nonexistent" }) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
  return { code, stdout, stderr };
}

const Cli = suite("braze-profiles arguments");

Cli("no command: the usage on stderr, exit 1", async () => {
  assert.equal(await run([]), { code: EXIT_ERROR, stdout: "", stderr: USAGE });
});

Cli("--help: the usage on stdout, exit 0", async () => {
  assert.equal(await run(["plan", "--help"]), { code: EXIT_NO_CHANGES, stdout: USAGE, stderr: "" });
});

Cli("an unknown command, option or format exits 1 naming it", async () => {
  assert.equal((await run(["apply"])).stderr.split("\n")[0], 'braze-profiles: unknown command "apply"');
  assert.match((await run(["plan", "--stak", "dev"])).stderr, /^braze-profiles plan: Unknown option '--stak'/);
  assert.equal(await run(["plan", "--format", "yaml"]), {
    code: EXIT_ERROR,
    stdout: "",
    stderr: 'braze-profiles plan: --format must be table, markdown or json, got "yaml"\n',
  });
});

Cli("no Pulumi CLI on PATH: exit 1 saying how to get one", async () => {
  assert.equal(await run(["plan", "--stack", "dev"]), {
    code: EXIT_ERROR,
    stdout: "",
    stderr: "braze-profiles plan: pulumi: the Pulumi CLI is not on PATH; install it (https://www.pulumi.com/docs/install/) or put it on PATH\n",
  });
});

Cli.run();
