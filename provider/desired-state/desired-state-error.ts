import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/** One problem found in a desired-state file, at a position a person can jump to. */
export interface DesiredStateIssue {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path in `users[3].attributes.dob` form; `(yaml)` for syntax errors, `(document)` for the whole file. */
  path: string;
  /** What was expected, in plain words, with the offending value when there is one. */
  message: string;
  /** The key or alias (`label/name`) of the user `path` is in, printed beside its index: the reader need not count users. */
  user?: string;
}

/**
 * A desired-state file that cannot be used, with every problem found in it (not
 * just the first), one per line: `users.yaml:12:7 users[3].attributes.dob: must
 * be a date YYYY-MM-DD (got "1990-13-01")`.
 */
export class DesiredStateError extends BrazeProfilesError {
  override readonly name = "DesiredStateError" as const;
  readonly file: string;
  readonly issues: readonly DesiredStateIssue[];

  constructor(file: string, issues: readonly DesiredStateIssue[]) {
    // Each issue says what to do with its value; a hint on the head line would only repeat them.
    super({ where: file, what: `${issues.length === 1 ? "1 problem" : `${issues.length} problems`} in the desired state`, details: issues.map(formatIssue) });
    this.file = file;
    this.issues = issues;
  }
}

/** `users.yaml:12:7 users[3] (qa/ada).attributes.dob: must be a date…`. */
export function formatIssue(issue: DesiredStateIssue): string {
  return `${issue.file}:${issue.line}:${issue.column} ${namedPath(issue)}: ${issue.message}`;
}

/** The issue's path with its user's key or alias after the user's index. */
function namedPath(issue: DesiredStateIssue): string {
  const index = issue.user === undefined ? null : /^users\[\d+\]/.exec(issue.path);
  return index ? `${index[0]} (${issue.user})${issue.path.slice(index[0].length)}` : issue.path;
}
