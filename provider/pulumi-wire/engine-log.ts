// A message to the Pulumi engine's Log RPC from the process it runs in. The
// program reaches its engine through the SDK (pulumi.log). A dynamic provider
// process has no engine in the SDK's settings, but the engine's address is
// its last argument, so the message is sent there with the SDK's own
// generated Engine client. With a resource's URN the engine shows the message
// under that resource, as `pulumi preview` and `pulumi refresh` print a
// resource's diagnostics. Saying something must never fail what it reports
// on: any error here is dropped.
import { sdkModule } from "./sdk-module";

/** The SDK's dynamic provider entry point, which the engine runs with its own address as the last argument. */
const DYNAMIC_PROVIDER_MAIN = /[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/;

export type EngineSeverity = "debug" | "info" | "warning";

/** Sends the message to the engine, if this process has one; returns whether it was sent. Never throws. */
export function engineLog(severity: EngineSeverity, message: string, urn?: string): boolean {
  try {
    return toEngine(severity, message, urn);
  } catch {
    return false;
  }
}

function toEngine(severity: EngineSeverity, message: string, urn: string | undefined): boolean {
  const pulumi = sdkModule<typeof import("@pulumi/pulumi")>("@pulumi/pulumi");
  if (pulumi.runtime.hasEngine()) {
    const say = severity === "debug" ? pulumi.log.debug : severity === "info" ? pulumi.log.info : pulumi.log.warn;
    say(message).catch(() => undefined);
    return true;
  }
  const engineAddress = process.argv.at(-1);
  if (!engineAddress || !DYNAMIC_PROVIDER_MAIN.test(require.main?.filename ?? "")) return false;
  const grpc = sdkModule<{ credentials: { createInsecure(): unknown } }>("@grpc/grpc-js");
  const { EngineClient } = sdkModule<{ EngineClient: new (address: string, credentials: unknown) => EngineClient }>("@pulumi/pulumi/proto/engine_grpc_pb");
  const engine = sdkModule<EngineMessages>("@pulumi/pulumi/proto/engine_pb");
  const request = new engine.LogRequest();
  request.setSeverity(severity === "debug" ? engine.LogSeverity.DEBUG : severity === "info" ? engine.LogSeverity.INFO : engine.LogSeverity.WARNING);
  request.setMessage(message);
  if (urn) request.setUrn(urn);
  const client = new EngineClient(engineAddress, grpc.credentials.createInsecure());
  client.log(request, () => client.close());
  return true;
}

interface EngineClient {
  log(request: unknown, done: () => void): void;
  close(): void;
}

interface EngineMessages {
  LogRequest: new () => { setSeverity(severity: number): void; setMessage(message: string): void; setUrn(urn: string): void };
  LogSeverity: { DEBUG: number; INFO: number; WARNING: number };
}
