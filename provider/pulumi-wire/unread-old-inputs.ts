// The engine sends a resource's old inputs with every Diff and Update request
// (DiffRequest.old_inputs, UpdateRequest.old_inputs), and @pulumi/pulumi's
// dynamic provider (3.216 to 3.276 at least) never reads them: it hands the
// provider the old outputs and the new inputs only. Decoding them is work for nothing, and for a user set
// they are its every user's text: at 100,000 users, 56 MB turned into strings
// at each diff and each update, on top of the same again in the news.
//
// This leaves that field's bytes unread in those two requests; every other
// field, and every field of the messages nested in them, reads as shipped. The
// field's number is taken from the SDK's own generated code (a probe message is
// written and its tag read), so an SDK that renumbers the field is still read
// right, and one without it is left as shipped. That the SDK's dynamic provider
// still reads neither field (nor whole requests, with toObject) is checked on
// its code each time, so a release that starts to is left as shipped too.
import { skip, type PatchPlan, type Replacement, type SdkPatch } from "./sdk-patch";
import { dynamicProviderSources, sdkModule } from "./sdk-module";

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

/** Protobuf's wire type of a length-delimited field (a nested message). */
const LENGTH_DELIMITED = 2;
/** What the dynamic provider's code would call to read the old inputs, or a whole request. */
const READS_OLD_INPUTS = /OldInputs|old_inputs|oldInputs|toObject\s*\(/;
/** What it calls to read the inputs it does read: without these, it is not the code this patch was checked against. */
const HANDLES_REQUESTS = ["getOlds()", "getNews()", ".diff(", ".update("];

/** Makes Diff and Update requests skip their old inputs, in the process's copy of @pulumi/pulumi's generated messages. */
export const unreadOldInputs: SdkPatch = {
  name: "unread-old-inputs",
  plan(): PatchPlan {
    const reads = dynamicProviderReadsOldInputs(dynamicProviderSources());
    if (reads) return skip(reads);
    const messages = sdkModule<Record<string, RequestClass>>("@pulumi/pulumi/proto/provider_pb");
    const { Struct } = sdkModule<{ Struct: new () => unknown }>("google-protobuf/google/protobuf/struct_pb");
    const replacements: Replacement[] = [];
    for (const name of ["DiffRequest", "UpdateRequest"]) {
      const Request = messages[name];
      const field = oldInputsField(Request, Struct);
      if (field === undefined) return skip(`@pulumi/pulumi/proto/provider_pb's ${name} has no old_inputs field written as a nested message`);
      replacements.push({ target: Request, key: "deserializeBinaryFromReader", value: skippingField(Request.deserializeBinaryFromReader, field) });
    }
    return { kind: "replace", marker: messages, replacements };
  },
};

/**
 * Why skipping the old inputs is not safe for a dynamic provider of this code,
 * or undefined when it is: it reads them (or whole requests), or it is not
 * the code that handles the requests.
 */
export function dynamicProviderReadsOldInputs(sources: readonly string[]): string | undefined {
  const text = sources.join("\n");
  if (READS_OLD_INPUTS.test(text)) return `the SDK's dynamic provider reads requests' old inputs (its code has ${READS_OLD_INPUTS.exec(text)![0]})`;
  const missing = HANDLES_REQUESTS.filter((call) => !text.includes(call));
  if (missing.length > 0) return `the SDK's dynamic provider does not read requests as this patch expects (its code has no ${missing.join(", ")})`;
  return undefined;
}

/** The request's own decoder, with the field's bytes skipped at the top level. */
function skippingField(decode: RequestClass["deserializeBinaryFromReader"], field: number): RequestClass["deserializeBinaryFromReader"] {
  return function (this: unknown, message, reader) {
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
