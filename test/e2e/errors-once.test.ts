// Every error the product raises, through the real engine, is printed once and
// without a stack trace: a missing file, a YAML slip, an edited logged event,
// an unreachable Braze (at up, refresh and destroy). One stack, in that order.
//
// The engine's progress rows echo an error's first line as it happens; the
// report is the Diagnostics section, where each message must appear once.
import * as fs from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
import { withCliEnvironment } from "../harness/test-stack";

/** What the engine reports after the progress rows. */
function diagnostics(output: string): string {
  const start = output.indexOf("Diagnostics:");
  assert.ok(start >= 0, `the run reports diagnostics:\n${output}`);
  return output.slice(start);
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Runs a failing operation and checks its report: each line of `once` exactly once, no stack trace anywhere. */
async function failsOnce(context: YamlStack, operation: () => Promise<unknown>, once: string[]): Promise<string> {
  const failure = await operation().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failure, "the operation fails");
  const output = context.stack.lastOutput;
  const stackLines = output.split("\n").filter((line) => /^\s+at /.test(line) || /\bat .*\(.*:\d+:\d+\)/.test(line));
  assert.equal(stackLines, [], "no stack trace");
  const report = diagnostics(output);
  for (const text of once) assert.is(occurrences(report, text), 1, `once in the report: ${text}\n${report}`);
  return report;
}

const ada = (title: string) => ({
  alias: { name: "ada", label: "qa" },
  attributes: { first_name: "Ada" },
  events: [{ id: "e1", name: "rented", time: "2024-05-01T10:00:00Z", properties: { title } }],
});

interface Context extends YamlStack {
  brazeStopped?: boolean;
}

const Once = suite<Context>("every error is printed once, without a stack trace (root program)");

Once.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "errors-once" }));
});
Once.after(async (context) => {
  await context.stack?.cleanup();
  if (context.braze && !context.brazeStopped) await context.braze.close();
});

Once("a missing desired-state file is one line naming the path and braze:desiredState", async (context) => {
  const report = await failsOnce(context, () => context.stack.preview(), [
    `${context.file}: no such file; check the path (the root program reads the file named by braze:desiredState`,
  ]);
  assert.not.match(report, "ENOENT");
});

Once("an indentation slip is one issue at the line and the column expected, and the rest of the file is still checked", async (context) => {
  fs.writeFileSync(
    context.file,
    [
      "users:",
      "  - alias: {name: ada, label: qa}",
      "    attributes:",
      "      first_name: Ada",
      "     last_name: L",
      "  - alias: {name: bob, label: qa}",
      "    attributes:",
      "      dob: 1990-13-01",
      "",
    ].join("\n"),
  );
  const report = await failsOnce(context, () => context.stack.preview(), [
    `${context.file}: 2 problems in the desired state`,
    `${context.file}:5:6 (yaml)`,
    `${context.file}:8:12 users[1] (qa/bob).attributes.dob: must be a date YYYY-MM-DD`,
  ]);
  assert.match(report, "expected column 5 or 7");
});

Once("an edited, already-logged event is reported once, under its resource", async (context) => {
  context.writeUsers([ada("Dune")]);
  await context.stack.up();
  context.writeUsers([ada("Dune: Part Two")]);
  await failsOnce(context, () => context.stack.up(), [
    'BrazeUserSet "users": nothing was sent: 1 event or purchase changed after Braze logged them',
    'users["qa/ada"].events.e1: it changed (properties) after Braze logged it on an earlier up',
  ]);
  context.writeUsers([ada("Dune")]);
});

Once("an unreachable Braze is one line with the endpoint and how to check it, at up, refresh and destroy", async (context) => {
  context.writeUsers([
    ada("Dune"),
    ...Array.from({ length: 25 }, (_, index) => ({ alias: { name: `u${index}`, label: "qa" }, attributes: { first_name: "U" } })),
  ]);
  const endpoint = context.braze.url;
  await context.braze.close();
  context.brazeStopped = true;
  const unreachable = `${endpoint}: cannot reach Braze (ECONNREFUSED); check braze:restEndpoint`;
  const up = await failsOnce(context, () => context.stack.up(), [unreachable]);
  assert.match(up, '25 users (users["qa/u0"], users["qa/u1"], users["qa/u10"] and 22 more)');
  await failsOnce(context, () => context.stack.refresh(), [unreachable]);
  // Over braze:maxDeletes a destroy is refused before it reaches Braze: allow this one.
  await withCliEnvironment(context.stack, { BRAZE_PROFILES_ALLOW_DELETES: "26" }, () => failsOnce(context, () => context.stack.destroy(), [unreachable]));
});

Once.run();
