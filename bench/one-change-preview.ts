// Issue 30's goal for a one-user change: what a person reads in
// `pulumi preview --diff` stays a handful of lines however large the set, and
// the preview takes about what the engine alone takes. The lines are those the
// CLI prints (header, rows, the changed user, summary), as
// test/e2e/preview-diff.test.ts counts them; the time is set against the same
// preview of the no-op floor (same program and file, a provider that does nothing).
import type { Stack } from "@pulumi/pulumi/automation";
import type { ManagedUser } from "../provider/model";
import { changeOneAttribute, writeDesiredState } from "./personas";

export interface OneChangePreview {
  /** Lines `pulumi preview --diff` printed. */
  lines: number;
  seconds: number;
  /** The same preview of the no-op floor stack. */
  floorSeconds: number;
}

/**
 * Writes `users` to `file` with one user's scalar attribute changed, runs
 * `pulumi preview --diff` on `stack` and then on `floor` (nothing is sent),
 * and returns the lines the first printed and both times. The file is left
 * changed: the caller writes the next one.
 */
export async function oneChangePreview(stack: Stack, floor: Stack, file: string, users: readonly ManagedUser[]): Promise<OneChangePreview> {
  const { users: changed } = changeOneAttribute(users, 1 / users.length);
  writeDesiredState(file, changed);
  let printed = "";
  const started = process.hrtime.bigint();
  await stack.preview({ diff: true, onOutput: (text) => (printed += text) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const floorStarted = process.hrtime.bigint();
  await floor.preview({ diff: true });
  const floorSeconds = Number(process.hrtime.bigint() - floorStarted) / 1e9;
  return { lines: printed.trimEnd().split("\n").length, seconds, floorSeconds };
}
