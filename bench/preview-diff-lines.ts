// Issue 30's goal for a one-user change: what a person reads in
// `pulumi preview --diff` stays a handful of lines however large the set. The
// measure is the number of lines the CLI prints (header, rows, the changed
// user, summary), as test/e2e/preview-diff.test.ts counts them.
import type { Stack } from "@pulumi/pulumi/automation";
import type { ManagedUser } from "../provider/model";
import { changeOneAttribute, writeDesiredState } from "./personas";

/**
 * Writes `users` to `file` with one user's scalar attribute changed, runs
 * `pulumi preview --diff` on `stack` (nothing is sent) and returns how many
 * lines it printed. The file is left changed: the caller writes the next one.
 */
export async function previewDiffLines(stack: Stack, file: string, users: readonly ManagedUser[]): Promise<number> {
  const { users: changed } = changeOneAttribute(users, 1 / users.length);
  writeDesiredState(file, changed);
  let printed = "";
  await stack.preview({ diff: true, onOutput: (text) => (printed += text) });
  return printed.trimEnd().split("\n").length;
}
