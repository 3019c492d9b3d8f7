// The native string codec (provider/pulumi-wire/protobuf-strings.ts) must put
// the very bytes google-protobuf itself writes on the wire, read them back
// unchanged, and leave a string that is not well-formed UTF-16 to
// google-protobuf's own path. Each test file runs in its own process, so the
// stock codec is still in place when this file starts.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { useNativeProtobufStrings } from "../../provider/pulumi-wire/protobuf-strings";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));

const SAMPLES = ["", "plain ascii", "é ü ß", "日本語", "😀 emoji pair", "mixed 😀é\u2028\u0000 end", "x".repeat(100_000), "{\"json\":[1,2,\"\\\"\"]}"];
const LONE_SURROGATE = "before \ud800 after";

const encode = (value: unknown): Uint8Array => Struct.fromJavaScript({ value, list: [value, { nested: value }] }).serializeBinary();
const decode = (bytes: Uint8Array): unknown => Struct.deserializeBinary(bytes).toJavaScript();

const Strings = suite("protobuf strings");

Strings("the native codec writes the bytes google-protobuf writes, and reads them back", () => {
  const stock = SAMPLES.map(encode);
  const stockLone = encode(LONE_SURROGATE);
  assert.ok(useNativeProtobufStrings({}));
  SAMPLES.forEach((sample, index) => {
    const native = encode(sample);
    assert.equal(Buffer.from(native), Buffer.from(stock[index]), `bytes of sample ${index}`);
    assert.equal(decode(native), { value: sample, list: [sample, { nested: sample }] });
  });
  assert.equal(Buffer.from(encode(LONE_SURROGATE)), Buffer.from(stockLone), "a lone surrogate takes google-protobuf's own path");
});

Strings("BRAZE_PROFILES_PROTOBUF_STRINGS=stock asks for the stock codec, and applying twice is harmless", () => {
  assert.is(useNativeProtobufStrings({ BRAZE_PROFILES_PROTOBUF_STRINGS: "stock" }), false);
  assert.ok(useNativeProtobufStrings({}));
  assert.equal(decode(encode("é")), { value: "é", list: ["é", { nested: "é" }] });
});

Strings.run();
