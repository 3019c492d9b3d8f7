// The dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider) answers a
// failed check, diff, read or delete twice: it prints `${error}: ${error.stack}`
// to the provider's stderr, which the engine shows under the stack, and it sends
// the error to the engine, which shows its message under the resource. For an
// error the product raises to its user (a BrazeProfilesError) the message is the
// whole report, and printed again with its class name, itself and a stack trace
// pointing into the package's compiled files it only hides the fix. So for those
// errors alone the host's line is dropped: the engine still shows the message,
// once, under the resource it belongs to. Any other error is a bug, and keeps its
// stack trace. create and update need no wrapping: the host answers their errors
// through grpcResponseFromError, which prints nothing.
import { BrazeProfilesError } from "../../errors/braze-profiles-error";

/** The exact lines the host is about to print for errors already on their way to the engine. */
const expectedLines = new Set<string>();
let installed = false;

/** Drops the host's `${error}: ${error.stack}` line for the errors handed to reportedOnce, and nothing else. */
function installFilter(): void {
  if (installed) return;
  installed = true;
  const print = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && expectedLines.delete(args[0])) return;
    print(...args);
  };
}

/**
 * Wraps check, diff, read or delete of a pulumi.dynamic.ResourceProvider so that a BrazeProfilesError
 * it throws reaches the engine once, as its message, without the host's copy
 * and stack trace.
 */
export function reportedOnce<A extends unknown[], R>(method: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  installFilter();
  return async (...args) => {
    try {
      return await method(...args);
    } catch (error) {
      if (error instanceof BrazeProfilesError) expectedLines.add(`${error}: ${error.stack}`);
      throw error;
    }
  };
}
