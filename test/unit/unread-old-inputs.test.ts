// Diff and Update requests skip their old inputs in the provider process
// (provider/pulumi-wire/unread-old-inputs.ts): that one field goes unread, and
// every other field, at every depth of the messages nested in the request
// (lists in lists in structs, whose Value field numbers match the skipped
// field's), reads exactly as the SDK's own code reads it. Each test file runs
// in its own process, so the stock decoding is in place when this file starts.
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applySdkPatch } from "../../provider/pulumi-wire/apply-sdk-patch";
import { dynamicProviderReadsOldInputs, unreadOldInputs } from "../../provider/pulumi-wire/unread-old-inputs";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }));
const messages = require(require.resolve("@pulumi/pulumi/proto/provider_pb", { paths: [sdkDir] }));

const deep = (tag: string) => ({
  name: tag,
  shards: { "000": `---\n${tag}: {alias: {label: qa, name: ada}}` },
  list: [1, [2, [3, { inner: [tag, null, true, { deeper: [[tag]] }] }]], "x"],
  nested: { a: { b: { c: [tag, 4.5, false] } } },
  empty: {},
  none: null,
});

function request(name: "DiffRequest" | "UpdateRequest"): Uint8Array {
  const message = new messages[name]();
  message.setId("users");
  message.setUrn("urn:pulumi:dev::p::braze:UserSet::users");
  message.setOlds(Struct.fromJavaScript(deep("olds")));
  message.setNews(Struct.fromJavaScript(deep("news")));
  message.setOldInputs(Struct.fromJavaScript(deep("old inputs")));
  message.setName("users");
  message.setType("braze:UserSet");
  if (name === "UpdateRequest") message.setPreview(true);
  return message.serializeBinary();
}

const read = (name: "DiffRequest" | "UpdateRequest", bytes: Uint8Array) => {
  const message = messages[name].deserializeBinary(bytes);
  return {
    id: message.getId(),
    urn: message.getUrn(),
    olds: message.getOlds()?.toJavaScript(),
    news: message.getNews()?.toJavaScript(),
    oldInputs: message.getOldInputs()?.toJavaScript(),
    name: message.getName(),
    type: message.getType(),
    preview: name === "UpdateRequest" ? message.getPreview() : undefined,
  };
};

const Unread = suite("unread old inputs");

Unread("diff and update requests read every field but the old inputs, nested values at every depth included", () => {
  const bytes = { DiffRequest: request("DiffRequest"), UpdateRequest: request("UpdateRequest") };
  const stock = { DiffRequest: read("DiffRequest", bytes.DiffRequest), UpdateRequest: read("UpdateRequest", bytes.UpdateRequest) };
  assert.equal(stock.DiffRequest.oldInputs, deep("old inputs"), "the stock code reads them");
  const skips: string[] = [];
  assert.ok(applySdkPatch(unreadOldInputs, { env: {}, log: (message) => skips.push(message), said: new Set() }), skips.join());
  for (const name of ["DiffRequest", "UpdateRequest"] as const) {
    assert.equal(read(name, bytes[name]), { ...stock[name], oldInputs: undefined }, name);
    assert.equal(read(name, bytes[name]).olds, deep("olds"));
  }
});

Unread("other requests are read as shipped, and applying twice is harmless", () => {
  assert.ok(applySdkPatch(unreadOldInputs, { env: {} }));
  const check = new messages.CheckRequest();
  check.setOlds(Struct.fromJavaScript(deep("olds")));
  check.setNews(Struct.fromJavaScript(deep("news")));
  const back = messages.CheckRequest.deserializeBinary(check.serializeBinary());
  assert.equal([back.getOlds().toJavaScript(), back.getNews().toJavaScript()], [deep("olds"), deep("news")]);
  assert.equal(read("DiffRequest", request("DiffRequest")).news, deep("news"));
});

Unread("the patch is made only for a dynamic provider whose code reads neither old inputs nor whole requests", () => {
  const shipped = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [sdkDir] }), "utf8");
  assert.is(dynamicProviderReadsOldInputs([shipped]), undefined, "the installed SDK's does not read them");
  assert.match(
    dynamicProviderReadsOldInputs([shipped, "const previous = req.getOldInputs().toJavaScript();"]) ?? "",
    /reads requests' old inputs \(its code has OldInputs\)/,
  );
  assert.match(dynamicProviderReadsOldInputs([shipped.replace("getNews()", "getNews ()"), "const all = req.toObject();"]) ?? "", /its code has toObject\(/);
  assert.match(
    dynamicProviderReadsOldInputs(["module.exports = {};"]) ?? "",
    /does not read requests as this patch expects \(its code has no getOlds\(\), getNews\(\), \.diff\(, \.update\(\)/,
  );
});

Unread.run();
