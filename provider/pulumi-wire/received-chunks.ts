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
import { skip, type PatchPlan, type SdkPatch } from "./sdk-patch";
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

/** The decoder's state between two messages (ReadState.NO_DATA). */
const NO_DATA = 0;

/** Empties the stream decoder's chunk list at the end of each message, in the @grpc/grpc-js that @pulumi/pulumi loads. */
export const receivedChunks: SdkPatch = {
  name: "received-chunks",
  plan(): PatchPlan {
    const decoder = sdkModule<{ StreamDecoder?: StreamDecoderClass }>("@grpc/grpc-js/build/src/stream-decoder.js");
    const StreamDecoder = decoder.StreamDecoder;
    const write = StreamDecoder?.prototype?.write;
    if (typeof StreamDecoder !== "function" || typeof write !== "function") return skip("@grpc/grpc-js's StreamDecoder.prototype.write is not a function");
    const probe = new StreamDecoder(-1);
    if (probe.readState !== NO_DATA || !Array.isArray(probe.readPartialMessage))
      return skip("a new @grpc/grpc-js StreamDecoder has no readState 0 (NO_DATA) and readPartialMessage list");
    return {
      kind: "replace",
      marker: decoder,
      replacements: [
        {
          target: StreamDecoder.prototype,
          key: "write",
          value: function (this: StreamDecoder, data: Buffer) {
            const messages = write.call(this, data);
            if (this.readState === NO_DATA) this.readPartialMessage = [];
            return messages;
          },
        },
      ],
    };
  },
};
