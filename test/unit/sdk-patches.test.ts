// The SDK patches fail safe (provider/pulumi-wire/apply-sdk-patches.ts): when
// the code a patch relies on is laid out otherwise, or reading it throws, the
// patch is skipped, every SDK property it would change stays the very one
// shipped, and the skip is said once, naming the patch and the reason. Each
// fallback is forced here on the real SDK modules, then undone; the last test
// shows every patch still applies to the SDK as shipped. Each test file runs in
// its own process, so nothing is patched when this file starts.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applySdkPatch, replaceAll, SDK_PATCHES_SWITCH } from "../../provider/pulumi-wire/apply-sdk-patch";
import { applySdkPatches, SDK_PATCHES } from "../../provider/pulumi-wire/apply-sdk-patches";
import { carriesDetailedDiff, detailedDiff, urnOfDiff, withDetailedDiff } from "../../provider/pulumi-wire/detailed-diff";
import { protobufStrings } from "../../provider/pulumi-wire/protobuf-strings";
import { receivedChunks } from "../../provider/pulumi-wire/received-chunks";
import type { SdkPatch } from "../../provider/pulumi-wire/sdk-patch";
import { uncopiedMessages } from "../../provider/pulumi-wire/uncopied-messages";
import { unreadOldInputs } from "../../provider/pulumi-wire/unread-old-inputs";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const sdkRequire = (id: string) => require(require.resolve(id, { paths: [sdkDir] }));
const protobuf = sdkRequire("google-protobuf");
const decoderModule = sdkRequire("@grpc/grpc-js/build/src/stream-decoder.js");
const callPrototype = sdkRequire("@grpc/grpc-js/build/src/server-interceptors.js").BaseServerInterceptingCall.prototype;
const messages = sdkRequire("@pulumi/pulumi/proto/provider_pb");

type Place = [target: object, key: PropertyKey];

/** Every property each patch replaces, and the module it marks. */
const CHANGED: Record<string, Place[]> = {
  [protobufStrings.name]: [
    [protobuf.BinaryWriter.prototype, "writeString"],
    [protobuf.BinaryReader.prototype, "readString"],
    [protobuf, Symbol.for("pulumi-braze-profiles.protobuf-strings")],
  ],
  [receivedChunks.name]: [
    [decoderModule.StreamDecoder.prototype, "write"],
    [decoderModule, Symbol.for("pulumi-braze-profiles.received-chunks")],
  ],
  [uncopiedMessages.name]: [
    [callPrototype, "decompressAndMaybePush"],
    [callPrototype, "serializeMessage"],
    [sdkRequire("@grpc/grpc-js/build/src/server-interceptors.js"), Symbol.for("pulumi-braze-profiles.uncopied-messages")],
  ],
  [unreadOldInputs.name]: [
    [messages.DiffRequest, "deserializeBinaryFromReader"],
    [messages.UpdateRequest, "deserializeBinaryFromReader"],
    [messages, Symbol.for("pulumi-braze-profiles.unread-old-inputs")],
  ],
  [detailedDiff.name]: [
    [messages.DiffRequest.prototype, "getOlds"],
    [messages.DiffResponse.prototype, "setChanges"],
    [messages, Symbol.for("pulumi-braze-profiles.detailed-diff")],
  ],
};

const descriptors = (places: Place[]) => places.map(([target, key]) => Object.getOwnPropertyDescriptor(target, key));

/** Runs `work` with `target[key]` defined as `descriptor`, then puts the property back as it was. */
function forcing<T>(target: object, key: PropertyKey, descriptor: PropertyDescriptor, work: () => T): T {
  const before = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { configurable: true, ...descriptor });
  try {
    return work();
  } finally {
    if (before) Object.defineProperty(target, key, before);
    else delete (target as Record<PropertyKey, unknown>)[key];
  }
}

const throwing: PropertyDescriptor = {
  get() {
    throw new Error("forced by the test");
  },
};

/** Applies the patch while its SDK code is forced out of shape; what the patch said, after checking it left the SDK as shipped. */
function appliedUnderForce(patch: SdkPatch, force: (apply: () => boolean) => boolean): string[] {
  const said: string[] = [];
  const shipped = descriptors(CHANGED[patch.name]);
  const applied = force(() => applySdkPatch(patch, { env: {}, log: (message) => said.push(message), said: new Set() }));
  assert.is(applied, false, `${patch.name} says it applied`);
  assert.equal(descriptors(CHANGED[patch.name]), shipped, `${patch.name} changed the SDK`);
  assert.is(said.length, 1, `${patch.name} said ${said.length} things`);
  assert.ok(said[0].startsWith(`pulumi-braze-profiles: SDK patch ${patch.name} skipped, so the SDK runs as shipped`), said[0]);
  return said;
}

const Fallbacks = suite("SDK patches fall back to the SDK as shipped");

Fallbacks("protobuf-strings: a writer that does not write a string as its UTF-8 bytes, or reading it throwing", () => {
  const { writeBytes } = protobuf.BinaryWriter.prototype;
  const [otherBytes] = appliedUnderForce(protobufStrings, (apply) =>
    forcing(
      protobuf.BinaryWriter.prototype,
      "writeBytes",
      {
        value: function (this: unknown, field: number, bytes: Uint8Array) {
          writeBytes.call(this, field, Uint8Array.from(bytes).reverse());
        },
        writable: true,
      },
      apply,
    ),
  );
  assert.match(otherBytes, /: google-protobuf's BinaryWriter writes a string field otherwise than as its UTF-8 bytes$/);
  const [missing] = appliedUnderForce(protobufStrings, (apply) => forcing(protobuf.BinaryReader.prototype, "readBytes", { value: 42, writable: true }, apply));
  assert.match(missing, /: google-protobuf's BinaryReader\.prototype\.readBytes is a number, not a function$/);
  const [threw] = appliedUnderForce(protobufStrings, (apply) => forcing(protobuf.BinaryWriter.prototype, "writeBytes", throwing, apply));
  assert.match(threw, /: the SDK's code threw while it was read: forced by the test$/);
});

Fallbacks("received-chunks: a decoder without write, or reading the decoder module throwing", () => {
  const [missing] = appliedUnderForce(receivedChunks, (apply) =>
    forcing(decoderModule.StreamDecoder.prototype, "write", { value: undefined, writable: true }, apply),
  );
  assert.match(missing, /StreamDecoder\.prototype\.write is not a function$/);
  const [threw] = appliedUnderForce(receivedChunks, (apply) => forcing(decoderModule, "StreamDecoder", throwing, apply));
  assert.match(threw, /threw while it was read: forced by the test$/);
});

Fallbacks("uncopied-messages: a server call without serializeMessage, or reading it throwing", () => {
  const [missing] = appliedUnderForce(uncopiedMessages, (apply) => forcing(callPrototype, "serializeMessage", { value: undefined, writable: true }, apply));
  assert.match(missing, /BaseServerInterceptingCall\.prototype\.serializeMessage is missing$/);
  const [threw] = appliedUnderForce(uncopiedMessages, (apply) => forcing(callPrototype, "decompressAndMaybePush", throwing, apply));
  assert.match(threw, /threw while it was read: forced by the test$/);
});

Fallbacks("unread-old-inputs: an update request without old inputs leaves the diff request as shipped too; reading the messages throwing", () => {
  const [missing] = appliedUnderForce(unreadOldInputs, (apply) =>
    forcing(messages.UpdateRequest.prototype, "setOldInputs", { value: undefined, writable: true }, apply),
  );
  assert.match(missing, /provider_pb's UpdateRequest has no old_inputs field written as a nested message$/);
  const [threw] = appliedUnderForce(unreadOldInputs, (apply) => forcing(messages, "DiffRequest", throwing, apply));
  assert.match(threw, /threw while it was read: forced by the test$/);
});

Fallbacks("detailed-diff: a response without a detailed diff, or reading the messages throwing; the provider's answer then stays as it is", () => {
  const [missing] = appliedUnderForce(detailedDiff, (apply) =>
    forcing(messages.DiffResponse.prototype, "setHasdetaileddiff", { value: undefined, writable: true }, apply),
  );
  assert.match(missing, /DiffResponse\.prototype\.setHasdetaileddiff is missing$/);
  const [threw] = appliedUnderForce(detailedDiff, (apply) => forcing(messages, "DiffRequest", throwing, apply));
  assert.match(threw, /threw while it was read: forced by the test$/);
  const answer = { changes: true, replaces: [], deleteBeforeReplace: false };
  assert.is(carriesDetailedDiff(), false);
  assert.is(
    withDetailedDiff(answer, [{ path: 'changes["1 qa/a"]', kind: "add", inputDiff: false }]),
    answer,
    "without the patch the answer is the provider's own",
  );
});

Fallbacks(`${SDK_PATCHES_SWITCH}=off skips every patch, each said once however often applied`, () => {
  const shipped = SDK_PATCHES.map((patch) => descriptors(CHANGED[patch.name]));
  const said: string[] = [];
  const options = { env: { [SDK_PATCHES_SWITCH]: "off" }, log: (message: string) => said.push(message), said: new Set<string>() };
  const expected = Object.fromEntries(SDK_PATCHES.map((patch) => [patch.name, false]));
  assert.equal(applySdkPatches(options), expected);
  assert.equal(applySdkPatches(options), expected);
  assert.equal(
    SDK_PATCHES.map((patch) => descriptors(CHANGED[patch.name])),
    shipped,
  );
  assert.equal(
    said,
    SDK_PATCHES.map(
      (patch) =>
        `pulumi-braze-profiles: SDK patch ${patch.name} skipped, so the SDK runs as shipped (slower on large sets, same results): ${SDK_PATCHES_SWITCH}=off`,
    ),
  );
});

Fallbacks("a replacement that does not take undoes the ones made before it, and the patch is skipped", () => {
  const first = { method: "shipped" };
  const frozen = Object.freeze({ method: "shipped" });
  const said: string[] = [];
  const patch: SdkPatch = {
    name: "two-objects",
    plan: () => ({
      kind: "replace",
      marker: first,
      replacements: [
        { target: first, key: "method", value: "patched" },
        { target: frozen, key: "method", value: "patched" },
      ],
    }),
  };
  assert.is(applySdkPatch(patch, { env: {}, log: (message) => said.push(message), said: new Set() }), false);
  assert.equal([first, frozen], [{ method: "shipped" }, { method: "shipped" }]);
  assert.is(Object.getOwnPropertySymbols(first).length, 0, "not marked as patched");
  assert.match(
    said[0],
    /^pulumi-braze-profiles: SDK patch two-objects skipped, .*: the SDK's code threw while it was patched \(every change undone\): Cannot assign to read only property 'method'/,
  );
  // An own property the patch added is removed again, so the inherited one shows through.
  const inherited = Object.create({ method: "inherited" });
  assert.throws(() =>
    replaceAll([
      { target: inherited, key: "method", value: "patched" },
      { target: frozen, key: "method", value: "patched" },
    ]),
  );
  assert.equal([inherited.method, Object.keys(inherited)], ["inherited", []]);
});

Fallbacks("on the SDK as shipped, after every forced fallback, every patch applies, once", () => {
  const said: string[] = [];
  const all = Object.fromEntries(SDK_PATCHES.map((patch) => [patch.name, true]));
  assert.equal(applySdkPatches({ env: {}, log: (message) => said.push(message), said: new Set() }), all);
  const patched = SDK_PATCHES.map((patch) => descriptors(CHANGED[patch.name]));
  assert.equal(applySdkPatches({ env: {}, log: (message) => said.push(message), said: new Set() }), all);
  assert.equal(
    SDK_PATCHES.map((patch) => descriptors(CHANGED[patch.name])),
    patched,
    "applying twice changes nothing more",
  );
  assert.equal(said, []);
});

Fallbacks("detailed-diff, applied: the response carries the provider's paths and its own changes, and the olds the URN", () => {
  const response = new messages.DiffResponse();
  const answer = withDetailedDiff({ changes: true, replaces: [], deleteBeforeReplace: false }, [{ path: 'changes["1 qa/a"]', kind: "add", inputDiff: false }]);
  // What the SDK's handler does: read changes, then set them at once.
  if (answer.changes === true) response.setChanges(messages.DiffResponse.DiffChanges.DIFF_SOME);
  assert.is(response.getHasdetaileddiff(), true);
  const shown = response.getDetaileddiffMap();
  assert.is(shown.getLength(), 1);
  const diff = shown.get('changes["1 qa/a"]');
  assert.equal([diff.getKind(), diff.getInputdiff()], [messages.PropertyDiff.Kind.ADD, false]);
  assert.is(response.getChanges(), messages.DiffResponse.DiffChanges.DIFF_SOME);
  // A later response whose provider named nothing carries no detailed diff.
  const plain = new messages.DiffResponse();
  plain.setChanges(messages.DiffResponse.DiffChanges.DIFF_NONE);
  assert.is(plain.getHasdetaileddiff(), false);
  const request = new messages.DiffRequest();
  request.setUrn("urn:pulumi:dev::p::t::users");
  request.setOlds(sdkRequire("google-protobuf/google/protobuf/struct_pb").Struct.fromJavaScript({ name: "users" }));
  const olds = request.getOlds().toJavaScript();
  assert.equal(olds, { name: "users" });
  assert.is(urnOfDiff(olds), "urn:pulumi:dev::p::t::users");
});

Fallbacks.run();
