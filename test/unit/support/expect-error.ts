// Assertion helpers that compare every field of an error and name the one that differs.
import * as assert from "uvu/assert";
import { DesiredStateError, type DesiredStateIssue } from "../../../provider/desired-state";

/** Runs `action`, expects a DesiredStateError, and returns it. */
export function catchDesiredStateError(action: () => unknown): DesiredStateError {
  try {
    action();
  } catch (error) {
    assert.instance(error, DesiredStateError, `expected a DesiredStateError, got ${String(error)}`);
    const typed = error as DesiredStateError;
    assert.is(typed.name, "DesiredStateError", "name");
    return typed;
  }
  assert.unreachable("expected a DesiredStateError, nothing was thrown");
  throw new Error("unreachable");
}

/** Expects exactly these issues, in this order, every field equal. */
export function assertIssues(actual: readonly DesiredStateIssue[], expected: readonly DesiredStateIssue[]): void {
  const list = actual.map((issue) => `  ${issue.file}:${issue.line}:${issue.column} ${issue.path}: ${issue.message}`).join("\n");
  assert.is(actual.length, expected.length, `issue count; got:\n${list}`);
  expected.forEach((want, index) => {
    const got = actual[index];
    for (const field of ["file", "line", "column", "path", "message"] as const) {
      assert.is(got[field], want[field], `issues[${index}].${field}; got:\n${list}`);
    }
  });
}
