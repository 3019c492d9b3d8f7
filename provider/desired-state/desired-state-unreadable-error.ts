import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/** What each Node file-system code means to the person who named the file. */
const MEANINGS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "a folder, not a file",
  EACCES: "not readable (permission denied)",
  EPERM: "not readable (permission denied)",
};

/**
 * A desired-state file that cannot be read at all (missing, a folder, not
 * readable), in one line: `users.yaml: no such file; check the path …`.
 * A file that reads but cannot be used is a DesiredStateError.
 */
export class DesiredStateUnreadableError extends BrazeProfilesError {
  override readonly name = "DesiredStateUnreadableError" as const;

  constructor(
    readonly file: string,
    /** Node's error code (`ENOENT`…). */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super({
      where: file,
      what: MEANINGS[code] ?? `cannot be read (${code})`,
      hint: "check the path (the root program reads the file named by braze:desiredState, relative to the project folder)",
      cause: options?.cause,
    });
  }
}
