// The native string codec (provider/pulumi-wire/protobuf-strings.ts) must put
// the very bytes google-protobuf itself writes on the wire, read them back
// unchanged, and leave a string that is not well-formed UTF-16 to
// google-protobuf's own path. Each test file runs in its own process, so the
// stock codec is still in place when this file starts. Since the native codec
// writes and reads the same bytes, what shows it is in use is how: each string
// field goes through writeBytes and readBytes, one native UTF-8 conversion.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { useNativeProtobufStrings } from "../../provider/pulumi-wire/protobuf-strings";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));

const SAMPLES = ["", "plain ascii", "é ü ß", "日本語", "😀 emoji pair", "mixed 😀é\u2028\u0000 end", "x".repeat(100_000), '{"json":[1,2,"\\""]}'];
const LONE_SURROGATE = "before \ud800 after";

const { BinaryWriter, BinaryReader } = require(require.resolve("google-protobuf", { paths: [sdkDir] }));

/** How many times `work` called the writer's writeBytes and the reader's readBytes. */
function bytesCalls(work: () => void): { written: number; read: number } {
  const { writeBytes } = BinaryWriter.prototype;
  const { readBytes } = BinaryReader.prototype;
  const calls = { written: 0, read: 0 };
  BinaryWriter.prototype.writeBytes = function (...args: unknown[]) {
    calls.written += 1;
    return writeBytes.apply(this, args);
  };
  BinaryReader.prototype.readBytes = function (...args: unknown[]) {
    calls.read += 1;
    return readBytes.apply(this, args);
  };
  try {
    work();
  } finally {
    Object.assign(BinaryWriter.prototype, { writeBytes });
    Object.assign(BinaryReader.prototype, { readBytes });
  }
  return calls;
}

const encode = (value: unknown): Uint8Array => Struct.fromJavaScript({ value, list: [value, { nested: value }] }).serializeBinary();
const decode = (bytes: Uint8Array): unknown => Struct.deserializeBinary(bytes).toJavaScript();

const Strings = suite("protobuf strings");

Strings("the native codec writes the bytes google-protobuf writes, and reads them back", () => {
  const stock = SAMPLES.map(encode);
  const stockLone = encode(LONE_SURROGATE);
  assert.equal(
    bytesCalls(() => decode(encode("é"))),
    { written: 0, read: 0 },
    "as shipped, strings are coded one UTF-16 unit at a time",
  );
  assert.ok(useNativeProtobufStrings({}));
  // A Struct of { value, list: [value, { nested: value }] } has three string values and three keys (value, list, nested).
  assert.equal(
    bytesCalls(() => decode(encode("é"))),
    { written: 6, read: 6 },
    "every string field is written and read as its UTF-8 bytes",
  );
  SAMPLES.forEach((sample, index) => {
    const native = encode(sample);
    assert.equal(Buffer.from(native), Buffer.from(stock[index]), `bytes of sample ${index}`);
    assert.equal(decode(native), { value: sample, list: [sample, { nested: sample }] });
  });
  assert.equal(Buffer.from(encode(LONE_SURROGATE)), Buffer.from(stockLone), "a lone surrogate takes google-protobuf's own path");
  assert.equal(bytesCalls(() => encode(LONE_SURROGATE)).written, 3, "only the keys of a value with a lone surrogate are written as bytes");
});

Strings("BRAZE_PROFILES_PROTOBUF_STRINGS=stock asks for the stock codec, and applying twice is harmless", () => {
  assert.is(useNativeProtobufStrings({ BRAZE_PROFILES_PROTOBUF_STRINGS: "stock" }), false);
  assert.ok(useNativeProtobufStrings({}));
  assert.equal(decode(encode("é")), { value: "é", list: ["é", { nested: "é" }] });
});

Strings.run();
