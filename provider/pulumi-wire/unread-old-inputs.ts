// The engine sends a resource's old inputs with every Diff and Update request
// (DiffRequest.old_inputs, UpdateRequest.old_inputs), and @pulumi/pulumi 3.248's
// dynamic provider never reads them: it hands the provider the old outputs and
// the new inputs only. Decoding them is work for nothing, and for a user set
// they are its every user's text: at 100,000 users, 56 MB turned into strings
// at each diff and each update, on top of the same again in the news.
//
// This leaves that field's bytes unread in those two requests; every other
// field, and every field of the messages nested in them, reads as shipped. The
// field's number is taken from the SDK's own generated code (a probe message is
// written and its tag read), so an SDK that renumbers the field is still read
// right, and one without it is left as shipped.
import { sdkModule } from "./sdk-module";

interface Reader {
  nextField(): boolean;
  getFieldNumber(): number;
  skipField(): void;
  readMessage(...args: unknown[]): void;
}

interface RequestClass {
  new (): { setOldInputs?(value: unknown): void; serializeBinary(): Uint8Array };
  deserializeBinaryFromReader(message: unknown, reader: Reader): unknown;
}

const PATCHED = Symbol.for("pulumi-braze-profiles.unread-old-inputs");
/** Protobuf's wire type of a length-delimited field (a nested message). */
const LENGTH_DELIMITED = 2;

/**
 * Makes Diff and Update requests skip their old inputs, in the process's copy
 * of @pulumi/pulumi's generated messages. Idempotent.
 * @returns the requests that skip them ("DiffRequest", "UpdateRequest").
 */
export function skipUnreadOldInputs(): string[] {
  const messages = sdkModule<Record<string, RequestClass> & { [PATCHED]?: string[] }>("@pulumi/pulumi/proto/provider_pb");
  if (messages[PATCHED]) return messages[PATCHED];
  const { Struct } = sdkModule<{ Struct: new () => unknown }>("google-protobuf/google/protobuf/struct_pb");
  const patched: string[] = [];
  for (const name of ["DiffRequest", "UpdateRequest"]) {
    const Request = messages[name];
    const field = oldInputsField(Request, Struct);
    if (field === undefined) continue;
    const decode = Request.deserializeBinaryFromReader;
    Request.deserializeBinaryFromReader = function (message, reader) {
      const next = reader.nextField;
      const readNested = reader.readMessage;
      const skipping = function (this: Reader): boolean {
        while (next.call(this)) {
          if (this.getFieldNumber() !== field) return true;
          this.skipField();
        }
        return false;
      };
      reader.nextField = skipping;
      // A nested message, at any depth, reads its own fields with the reader's own method.
      reader.readMessage = function (this: Reader, ...args: unknown[]) {
        const outer = this.nextField;
        this.nextField = next;
        try {
          return readNested.apply(this, args);
        } finally {
          this.nextField = outer;
        }
      };
      try {
        return decode.call(this, message, reader);
      } finally {
        delete (reader as Partial<Reader>).nextField;
        delete (reader as Partial<Reader>).readMessage;
      }
    };
    patched.push(name);
  }
  messages[PATCHED] = patched;
  return patched;
}

/** The number of a request's old_inputs field, from a probe written by the SDK's code; undefined when it has none. */
function oldInputsField(Request: RequestClass | undefined, Struct: new () => unknown): number | undefined {
  if (typeof Request?.deserializeBinaryFromReader !== "function") return undefined;
  const probe = new Request();
  if (typeof probe.setOldInputs !== "function") return undefined;
  probe.setOldInputs(new Struct());
  // An empty message as the only field: one tag byte (field < 16), then length 0.
  const bytes = probe.serializeBinary();
  if (bytes.length !== 2 || (bytes[0] & 7) !== LENGTH_DELIMITED || bytes[0] >= 0x80 || bytes[1] !== 0) return undefined;
  return bytes[0] >> 3;
}
