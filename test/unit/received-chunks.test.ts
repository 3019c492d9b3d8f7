// A provider process's gRPC server lets a request's raw chunks go once the
// request is read (provider/pulumi-wire/received-chunks.ts): messages still
// come out of the stream decoder byte for byte, however the bytes arrive.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applySdkPatch } from "../../provider/pulumi-wire/apply-sdk-patch";
import { receivedChunks } from "../../provider/pulumi-wire/received-chunks";

interface StreamDecoder {
  write(data: Buffer): Buffer[];
  readPartialMessage: Buffer[];
}

const grpcDir = path.dirname(require.resolve("@grpc/grpc-js/package.json", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));
const { StreamDecoder } = require(path.join(grpcDir, "build/src/stream-decoder.js")) as { StreamDecoder: new (max: number) => StreamDecoder };

/** A gRPC frame: the compression flag, the length, the message. */
const framed = (message: Buffer) =>
  Buffer.concat([Buffer.from([0]), Buffer.from([0, 0, 0, 0].map((_, index) => (message.length >>> (24 - 8 * index)) & 0xff)), message]);

/** Feeds `bytes` to a new decoder in pieces of `size`; what it gave out, and what it still holds. */
function decode(bytes: Buffer, size: number): { messages: Buffer[]; held: number } {
  const decoder = new StreamDecoder(-1);
  const messages: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) messages.push(...decoder.write(bytes.subarray(at, at + size)));
  return { messages, held: decoder.readPartialMessage.length };
}

const Chunks = suite("received chunks");

Chunks("once a message is complete the decoder holds none of its chunks, and messages come out byte for byte however the bytes are cut", () => {
  const first = Buffer.from("a".repeat(100_000));
  const second = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index % 251));
  const stream = Buffer.concat([framed(first), framed(second), framed(Buffer.alloc(0))]);
  assert.ok(decode(framed(first), 16_384).held > 0, "as shipped, the chunks of the last message stay");
  const skips: string[] = [];
  assert.ok(applySdkPatch(receivedChunks, { env: {}, log: (message) => skips.push(message), said: new Set() }), skips.join());
  assert.ok(applySdkPatch(receivedChunks, { env: {} }), "twice is once");
  for (const size of [1, 3, 5, 16_384, 65_536, stream.length]) {
    const { messages, held } = decode(stream, size);
    assert.equal(
      messages.map((message) => message.subarray(5)),
      [first, second, Buffer.alloc(0)],
      `pieces of ${size}`,
    );
    assert.is(held, 0, `pieces of ${size}`);
  }
  const half = new StreamDecoder(-1);
  assert.equal(half.write(framed(first).subarray(0, 50_000)), []);
  assert.ok(half.readPartialMessage.length > 0, "a message not yet complete keeps its chunks");
});

Chunks.run();
