// Where a skipped SDK patch is said: at debug level, to the Pulumi engine when
// the process has one, so `pulumi up --debug` prints it and `pulumi up -v=N
// --logtostderr` logs it next to the engine's own debug lines, which is where
// someone asking why an operation was slow already looks; and to standard
// error when NODE_DEBUG names braze-profiles (Node's own switch,
// https://nodejs.org/api/util.html#utildebuglogsection), for a process with no
// engine, e.g. a test. Not standard error unconditionally: the engine shows a
// provider's standard error to every user as an error stream, and a skipped
// patch only costs speed.
//
// The program reaches its engine through the SDK (pulumi.log.debug). A dynamic
// provider process has no engine in the SDK's settings, but the engine's
// address is its last argument, so the message is sent there with the SDK's own
// generated Engine client. Saying it must never fail what it reports on: any
// error here is dropped.
import { debuglog } from "node:util";
import { sdkModule } from "./sdk-module";

const nodeDebug = debuglog("braze-profiles");

/** The SDK's dynamic provider entry point, which the engine runs with its own address as the last argument. */
const DYNAMIC_PROVIDER_MAIN = /[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/;

export function debugLog(message: string): void {
  nodeDebug("%s", message);
  try {
    toEngine(message);
  } catch {
    // Only a message was lost.
  }
}

function toEngine(message: string): void {
  const pulumi = sdkModule<typeof import("@pulumi/pulumi")>("@pulumi/pulumi");
  if (pulumi.runtime.hasEngine()) {
    pulumi.log.debug(message).catch(() => undefined);
    return;
  }
  const engineAddress = process.argv.at(-1);
  if (!engineAddress || !DYNAMIC_PROVIDER_MAIN.test(require.main?.filename ?? "")) return;
  const grpc = sdkModule<{ credentials: { createInsecure(): unknown } }>("@grpc/grpc-js");
  const { EngineClient } = sdkModule<{ EngineClient: new (address: string, credentials: unknown) => EngineClient }>("@pulumi/pulumi/proto/engine_grpc_pb");
  const engine = sdkModule<EngineMessages>("@pulumi/pulumi/proto/engine_pb");
  const request = new engine.LogRequest();
  request.setSeverity(engine.LogSeverity.DEBUG);
  request.setMessage(message);
  const client = new EngineClient(engineAddress, grpc.credentials.createInsecure());
  client.log(request, () => client.close());
}

interface EngineClient {
  log(request: unknown, done: () => void): void;
  close(): void;
}

interface EngineMessages {
  LogRequest: new () => { setSeverity(severity: number): void; setMessage(message: string): void };
  LogSeverity: { DEBUG: number };
}
