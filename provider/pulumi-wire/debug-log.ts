// Where a skipped SDK patch is said: at debug level, to the Pulumi engine when
// the process has one (engine-log.ts), so `pulumi up --debug` prints it and
// `pulumi up -v=N --logtostderr` logs it next to the engine's own debug lines,
// which is where someone asking why an operation was slow already looks; and
// to standard error when NODE_DEBUG names braze-profiles (Node's own switch,
// https://nodejs.org/api/util.html#utildebuglogsection), for a process with no
// engine, e.g. a test. Not standard error unconditionally: the engine shows a
// provider's standard error to every user as an error stream, and a skipped
// patch only costs speed.
import { debuglog } from "node:util";
import { engineLog } from "./engine-log";

const nodeDebug = debuglog("braze-profiles");

export function debugLog(message: string): void {
  nodeDebug("%s", message);
  engineLog("debug", message);
}
