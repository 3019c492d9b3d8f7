// Faster string fields for the protobuf messages Pulumi's Node.js SDK exchanges
// with the engine. @pulumi/pulumi 3.248 encodes its gRPC messages with
// google-protobuf 3.21.4, whose writer turns a string into UTF-8 one UTF-16 unit
// at a time, pushing each byte onto a plain JS array (8 bytes of heap per byte
// sent), and whose reader decodes a string the same way. A user set's inputs are
// tens of megabytes of text at 100,000 users, sent by the program to the engine
// and by the provider back to it at every check, and read by the provider at
// check, diff and update: that per-unit work was seconds per trip and most of the
// program's and provider's peak memory (bench/results, "protobuf strings").
//
// The replacements write and read the very same bytes through Node's native
// UTF-8 codec: a string field and a bytes field share one wire format
// (length-delimited), so a string is written as its UTF-8 bytes. A string that is
// not well-formed UTF-16 (a lone surrogate) keeps google-protobuf's own path and
// fares exactly as before (google-protobuf drops some lone surrogates and writes
// others as bytes the engine refuses), rather than arriving as U+FFFD. (A user's
// text never has one: JSON.stringify escapes them.) Reading needs no such care:
// the engine (Go) only sends valid UTF-8.
//
// The patch is applied once per process, to the google-protobuf instance that
// @pulumi/pulumi itself loads; BRAZE_PROFILES_PROTOBUF_STRINGS=stock leaves it as
// shipped (for comparison in bench/, or should a future SDK make it moot).
import { sdkModule } from "./sdk-module";

interface StringCodecPrototypes {
  BinaryWriter: { prototype: { writeString(field: number, value: string | null | undefined): void; writeBytes(field: number, value: Uint8Array): void } };
  BinaryReader: { prototype: { readString(): string; readBytes(): Uint8Array } };
}

const PATCHED = Symbol.for("pulumi-braze-profiles.protobuf-strings");

/** The google-protobuf module @pulumi/pulumi resolves, whichever copy that is. */
function pulumiProtobuf(): StringCodecPrototypes & { [PATCHED]?: boolean } {
  return sdkModule("google-protobuf");
}

/**
 * Makes string fields of Pulumi's gRPC messages use Node's UTF-8 codec, unless
 * BRAZE_PROFILES_PROTOBUF_STRINGS=stock. Idempotent.
 * @returns whether the native codec is in use.
 */
export function useNativeProtobufStrings(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.BRAZE_PROFILES_PROTOBUF_STRINGS === "stock") return false;
  const protobuf = pulumiProtobuf();
  if (protobuf[PATCHED]) return true;
  const writer = protobuf.BinaryWriter.prototype;
  const reader = protobuf.BinaryReader.prototype;
  const stockWriteString = writer.writeString;
  writer.writeString = function (field, value) {
    if (value === null || value === undefined) return;
    if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return stockWriteString.call(this, field, value);
    this.writeBytes(field, Buffer.from(value, "utf8"));
  };
  reader.readString = function () {
    const bytes = this.readBytes();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  };
  protobuf[PATCHED] = true;
  return true;
}
