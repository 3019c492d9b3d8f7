// Lets the gRPC server in a provider process drop a request's raw chunks once
// the request is read. @grpc/grpc-js (1.14.7, the latest release) receives a
// message as the HTTP/2 chunks it arrives in, keeps them in its stream
// decoder's `readPartialMessage` until the next message on the same stream
// begins, and joins them into one buffer. A unary call (every provider method)
// has no next message, so the chunks live as long as the call: a user set's
// update at 100,000 users holds its 118 MB request twice, as chunks and joined,
// for the whole update, next to the record it writes and the engine's
// checkpoint writes.
//
// This empties that list once a message is complete, which is what the decoder
// does itself when the next message begins: nothing reads the list between
// the two.
import { sdkModule } from "./sdk-module";

interface StreamDecoder {
  write(data: Buffer): Buffer[];
  readState: number;
  readPartialMessage: Buffer[];
}

interface StreamDecoderClass {
  new (maxReadMessageLength: number): StreamDecoder;
  prototype: StreamDecoder;
}

const PATCHED = Symbol.for("pulumi-braze-profiles.received-chunks");
/** The decoder's state between two messages (ReadState.NO_DATA). */
const NO_DATA = 0;

/**
 * Patches the stream decoder of the @grpc/grpc-js that @pulumi/pulumi loads.
 * Idempotent; leaves a grpc-js without that decoder as it is.
 * @returns whether the decoder drops its chunks.
 */
export function releaseReceivedChunks(): boolean {
  let decoder: { StreamDecoder?: StreamDecoderClass } & { [PATCHED]?: boolean };
  try {
    decoder = sdkModule("@grpc/grpc-js/build/src/stream-decoder.js");
  } catch {
    return false;
  }
  if (decoder[PATCHED]) return true;
  const StreamDecoder = decoder.StreamDecoder;
  if (typeof StreamDecoder?.prototype.write !== "function") return false;
  // A decoder laid out otherwise is left as it is.
  const probe = new StreamDecoder(-1);
  if (probe.readState !== NO_DATA || !Array.isArray(probe.readPartialMessage)) return false;
  const prototype = StreamDecoder.prototype;
  const write = prototype.write;
  prototype.write = function (data) {
    const messages = write.call(this, data);
    if (this.readState === NO_DATA) this.readPartialMessage = [];
    return messages;
  };
  decoder[PATCHED] = true;
  return true;
}
