// What an import has read so far, kept beside --out as <out>.import-progress so
// that a rerun with --resume does not ask Braze again for users already read.
// One JSON line per finished batch, appended: cheap at any size, and a line cut
// short by a kill is simply not a finished batch.
import * as fs from "node:fs";
import type { ExportedUser, SubscriptionState } from "../provider/import-api";
import { ImportError } from "./import-error";

/** What one batch found: the users (by request key), and the requests no user or several users answered. */
export interface BatchOutcome {
  /** `groups`: the user's subscription groups, absent when they cannot be read (an alias-only user). */
  found: Array<{ request: string; user: ExportedUser; groups?: Record<string, SubscriptionState> }>;
  missing: string[];
  /** Request key -> how many profiles hold it. */
  ambiguous: Array<{ request: string; profiles: number }>;
}

export const PROGRESS_SUFFIX = ".import-progress";

export function progressFileOf(out: string): string {
  return `${out}${PROGRESS_SUFFIX}`;
}

/** The batches a progress file holds; none when there is no file. Ignores a last line cut short. */
export function readProgress(file: string): BatchOutcome[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new ImportError({
      where: file,
      what: `cannot read the progress file: ${(error as Error).message}`,
      hint: "remove it and run without --resume",
      cause: error,
    });
  }
  const lines = text.split("\n");
  const batches: BatchOutcome[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      batches.push(JSON.parse(line) as BatchOutcome);
    } catch (error) {
      // Only the last line can be cut short by a kill mid-write.
      if (index === lines.length - 1) break;
      throw new ImportError({
        where: `${file}:${index + 1}`,
        what: "is not a batch this command wrote",
        hint: "remove the file and run without --resume",
        cause: error,
      });
    }
  }
  return batches;
}

/** Records a finished batch. */
export function appendProgress(file: string, batch: BatchOutcome): void {
  fs.appendFileSync(file, `${JSON.stringify(batch)}\n`);
}
