// Checks on what the Pulumi CLI printed for an invalid desired-state file: each
// problem on one line, once, and no stack frame (the package ships compiled
// JavaScript, so a trace would point at files the user did not write).
import * as assert from "uvu/assert";
import { DesiredStateError, formatIssue, loadDesiredState } from "../../provider/desired-state";

/** The `file:line:col path: message` lines of the file's problems; none for a valid file. */
export function issueLines(file: string): string[] {
  try {
    loadDesiredState(file);
  } catch (error) {
    if (error instanceof DesiredStateError) return error.issues.map(formatIssue);
    throw error;
  }
  return [];
}

/** Each of `issues` is in exactly one line of `output`, and no line of `output` is a stack frame. */
export function assertPrintedOnce(output: string, issues: readonly string[]): void {
  const lines = output.split("\n");
  for (const issue of issues) {
    assert.is(lines.filter((line) => line.includes(issue)).length, 1, `one line holding "${issue}" in:\n${output}`);
  }
  assert.equal(
    lines.filter((line) => /^\s+at /.test(line)),
    [],
    `no stack frame in:\n${output}`,
  );
}
