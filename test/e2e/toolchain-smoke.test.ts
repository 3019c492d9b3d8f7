import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createTestStack, type TestStack } from "../harness/test-stack";

const programDir = path.join(__dirname, "..", "fixtures", "smoke-program");
const sdkVersion: string = require("@pulumi/pulumi/package.json").version;

interface JournalEntry {
  op: string;
  name?: string;
  id?: string;
  pid: number;
}

const Smoke = suite<{ stack: TestStack; journal: string }>("toolchain smoke: real engine, real dynamic provider");

Smoke.before(async (context) => {
  const stack = await createTestStack({ programDir, projectName: "smoke", config: {} });
  context.journal = path.join(stack.stateDir, "journal.ndjson");
  await stack.setConfig({ "smoke:journal": { value: context.journal } });
  context.stack = stack;
});

Smoke.after(async ({ stack }) => stack?.cleanup());

function journal(file: string): JournalEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
}

Smoke("the CLI reports the version of the installed @pulumi/pulumi", async ({ stack }) => {
  assert.is(stack.stack.workspace.pulumiVersion, sdkVersion);
});

Smoke("up runs the provider's create once and records the resource", async ({ stack, journal: file }) => {
  const result = await stack.up();
  assert.is(result.summary.result, "succeeded");
  assert.equal(result.summary.resourceChanges, { create: 2 }); // the stack and the resource
  assert.equal(
    journal(file).map(({ op, name }) => ({ op, name })),
    [{ op: "create", name: "one" }],
  );
  assert.is(result.outputs.thingId.value, "smoke-one");
  assert.ok(journal(file)[0].pid !== process.pid, "create ran in the provider process, not in the test");
  const state = await stack.exportState();
  const resource = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource");
  assert.is(resource?.id, "smoke-one");
});

Smoke("a second preview plans no change (the engine fails it otherwise)", async ({ stack }) => {
  const result = await stack.preview({ expectNoChanges: true });
  assert.equal(result.changeSummary, { same: 2 });
});

Smoke("destroy runs the provider's delete and empties the stack", async ({ stack, journal: file }) => {
  const result = await stack.destroy();
  assert.is(result.summary.result, "succeeded");
  assert.equal(
    journal(file).map(({ op, id }) => ({ op, id })),
    [
      { op: "create", id: undefined },
      { op: "delete", id: "smoke-one" },
    ],
  );
  const state = await stack.exportState();
  assert.equal(state.resources, []);
});

Smoke.run();
