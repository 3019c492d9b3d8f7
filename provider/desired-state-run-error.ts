import * as pulumi from "@pulumi/pulumi";
import { DesiredStateError, type DesiredStateIssue, type DesiredStateUnreadableError } from "./desired-state";

/**
 * An unreadable or invalid desired-state file met by a Pulumi program. A pulumi.RunError
 * because that is the error Pulumi's language host prints as its bare message:
 * one `file:line:col path: message` line per problem, no stack trace (which would
 * point into the package's compiled files) and no dump of the error's fields
 * (which would print every problem a second time). The DesiredStateError (or,
 * for a file that cannot be read, the DesiredStateUnreadableError, with no
 * issues) is its `cause`; `file` and `issues` are copied for a program that catches it.
 */
export class DesiredStateRunError extends pulumi.RunError {
  override readonly name = "DesiredStateRunError" as const;
  readonly file: string;
  readonly issues: readonly DesiredStateIssue[];

  constructor(error: DesiredStateError | DesiredStateUnreadableError) {
    super(error.message, { cause: error });
    this.file = error.file;
    this.issues = error instanceof DesiredStateError ? error.issues : [];
  }
}
