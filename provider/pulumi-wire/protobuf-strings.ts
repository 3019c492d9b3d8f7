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
// @pulumi/pulumi itself loads, and only if the replacements write and read the
// same bytes as the shipped codec on a probe (apply-sdk-patch.ts says when
// not); BRAZE_PROFILES_PROTOBUF_STRINGS=stock leaves it as shipped (for
// comparison in bench/, or should a future SDK make it moot).
import { applySdkPatch } from "./apply-sdk-patch";
import { functionAt, skip, type PatchPlan, type SdkPatch } from "./sdk-patch";
import { sdkModule } from "./sdk-module";

interface Writer {
  writeString(field: number, value: string | null | undefined): void;
  writeBytes(field: number, value: Uint8Array): void;
  getResultBuffer(): Uint8Array;
}

interface Reader {
  readString(): string;
  readBytes(): Uint8Array;
  nextField(): boolean;
}

interface StringCodec {
  BinaryWriter: { new (): Writer; prototype: Writer };
  BinaryReader: { new (bytes: Uint8Array): Reader; prototype: Reader };
}

/** Text the probe writes and reads both ways: multi-byte characters, a surrogate pair, an empty field. */
const PROBE = ["é 日本 😀 \u2028\u0000", ""];

function writeString(this: Writer, field: number, value: string | null | undefined, stock: Writer["writeString"]): void {
  if (value === null || value === undefined) return;
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) {
    stock.call(this, field, value);
    return;
  }
  this.writeBytes(field, Buffer.from(value, "utf8"));
}

function readString(this: Reader): string {
  const bytes = this.readBytes();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

export const protobufStrings: SdkPatch = {
  name: "protobuf-strings",
  plan(env): PatchPlan {
    if (env.BRAZE_PROFILES_PROTOBUF_STRINGS === "stock") return skip("BRAZE_PROFILES_PROTOBUF_STRINGS=stock");
    const protobuf = sdkModule<StringCodec>("google-protobuf");
    const writer = protobuf.BinaryWriter?.prototype;
    const reader = protobuf.BinaryReader?.prototype;
    const notCallable =
      functionAt(writer?.writeString, "google-protobuf's BinaryWriter.prototype.writeString") ??
      functionAt(writer?.writeBytes, "google-protobuf's BinaryWriter.prototype.writeBytes") ??
      functionAt(reader?.readString, "google-protobuf's BinaryReader.prototype.readString") ??
      functionAt(reader?.readBytes, "google-protobuf's BinaryReader.prototype.readBytes");
    if (notCallable) return notCallable;
    const stockWriteString = writer.writeString;
    const nativeWriteString = function (this: Writer, field: number, value: string | null | undefined) {
      writeString.call(this, field, value, stockWriteString);
    };
    const differs = probeDiffers(protobuf, nativeWriteString);
    if (differs) return skip(differs);
    return {
      kind: "replace",
      marker: protobuf,
      replacements: [
        { target: writer, key: "writeString", value: nativeWriteString },
        { target: reader, key: "readString", value: readString },
      ],
    };
  },
};

/** Where the native codec and the shipped one part on the probe, if they do: written bytes, or text read back. */
function probeDiffers(protobuf: StringCodec, nativeWriteString: Writer["writeString"]): string | undefined {
  const written = (write: Writer["writeString"]) => {
    const writer = new protobuf.BinaryWriter();
    PROBE.forEach((text, index) => write.call(writer, index + 1, text));
    return Buffer.from(writer.getResultBuffer());
  };
  const stockBytes = written(protobuf.BinaryWriter.prototype.writeString);
  if (!stockBytes.equals(written(nativeWriteString))) return "google-protobuf's BinaryWriter writes a string field otherwise than as its UTF-8 bytes";
  const read = (readText: Reader["readString"]) => {
    const reader = new protobuf.BinaryReader(stockBytes);
    const texts: string[] = [];
    while (reader.nextField()) texts.push(readText.call(reader));
    return texts;
  };
  const stockTexts = read(protobuf.BinaryReader.prototype.readString);
  const nativeTexts = read(readString);
  if (stockTexts.join("\u0001") !== PROBE.join("\u0001") || nativeTexts.join("\u0001") !== PROBE.join("\u0001"))
    return "google-protobuf's BinaryReader reads a string field otherwise than as its UTF-8 bytes";
  return undefined;
}

/**
 * Makes string fields of Pulumi's gRPC messages use Node's UTF-8 codec, unless
 * BRAZE_PROFILES_PROTOBUF_STRINGS=stock, BRAZE_PROFILES_SDK_PATCHES=off, or
 * google-protobuf is not the codec this expects. Idempotent; never throws.
 * @returns whether the native codec is in use.
 */
export function useNativeProtobufStrings(env: NodeJS.ProcessEnv = process.env): boolean {
  return applySdkPatch(protobufStrings, { env });
}
