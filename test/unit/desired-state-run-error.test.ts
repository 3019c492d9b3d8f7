// A program that reads an invalid desired-state file must end with an error
// Pulumi prints as its bare message (a pulumi.RunError): every problem on its own
// `file:line:col path: message` line, once, with the DesiredStateError kept as
// the cause. test/e2e/provider-lifecycle.test.ts checks what the CLI prints.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DesiredStateError, DesiredStateUnreadableError } from "../../provider/desired-state";
import { brazeUserSetFromFile, brazeUsersFromFile } from "../../provider/desired-state-resources";
import { DesiredStateRunError } from "../../provider/desired-state-run-error";

/** Two problems: a month 13 and a standard field name misspelt. */
const INVALID = ["users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      dob: 1990-13-01", "      firstname: Ada", ""].join("\n");

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  assert.unreachable("expected an error, nothing was thrown");
}

const RunErrors = suite<{ dir: string; file: string }>("desired-state errors in a Pulumi program");

RunErrors.before((context) => {
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-run-error-"));
  context.file = path.join(context.dir, "users.yaml");
  fs.writeFileSync(context.file, INVALID);
});

RunErrors.after((context) => fs.rmSync(context.dir, { recursive: true, force: true }));

for (const [title, declare] of [
  ["brazeUserSetFromFile", (file: string) => brazeUserSetFromFile("users", file)],
  ["brazeUsersFromFile", (file: string) => brazeUsersFromFile(file)],
] as const) {
  RunErrors(`${title} throws a pulumi.RunError whose message lists each problem once`, ({ file }) => {
    const error = thrownBy(() => declare(file));
    assert.instance(error, DesiredStateRunError);
    assert.ok(pulumi.RunError.isInstance(error), "Pulumi recognises it as a RunError, so it prints no stack");
    const typed = error as DesiredStateRunError;
    assert.instance(typed.cause, DesiredStateError, "cause");
    const cause = typed.cause as DesiredStateError;
    assert.is(typed.message, cause.message, "message");
    assert.is(typed.file, file, "file");
    assert.equal(typed.issues, cause.issues, "issues");
    assert.equal(typed.message.split("\n"), [
      `${file}: 2 problems in the desired state`,
      `${file}:4:12 users[0] (qa/ada).attributes.dob: must be a date YYYY-MM-DD (got "1990-13-01")`,
      ...cause.issues.slice(1).map((issue) => `${file}:${issue.line}:${issue.column} ${issue.path.replace("users[0]", "users[0] (qa/ada)")}: ${issue.message}`),
    ]);
  });
}

RunErrors("a missing file is a RunError of one line naming the file and braze:desiredState", ({ dir }) => {
  const file = path.join(dir, "missing.yaml");
  const error = thrownBy(() => brazeUsersFromFile(file));
  assert.ok(pulumi.RunError.isInstance(error));
  assert.instance((error as Error).cause, DesiredStateUnreadableError);
  assert.is(
    (error as Error).message,
    `${file}: no such file; check the path (the root program reads the file named by braze:desiredState, relative to the project folder)`,
  );
  assert.is(((error as Error).cause as DesiredStateUnreadableError).code, "ENOENT");
});

RunErrors.run();
