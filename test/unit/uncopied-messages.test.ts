// A provider process's gRPC server reads requests and writes answers without
// copying them (provider/pulumi-wire/uncopied-messages.ts), through a real
// grpc-js server and client and the SDK's generated ResourceProvider service:
// what the handler reads and what the client gets back are unchanged, and
// google-protobuf is handed grpc-js's own received buffer instead of a copy.
// Each test file runs in its own process, so the stock code is in place when
// this file starts.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { applySdkPatch } from "../../provider/pulumi-wire/apply-sdk-patch";
import { inPlaceCodec, uncopiedMessages, type ServiceMethod } from "../../provider/pulumi-wire/uncopied-messages";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const sdkRequire = (id: string) => require(require.resolve(id, { paths: [sdkDir] }));
const grpc = sdkRequire("@grpc/grpc-js");
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb");
const messages = sdkRequire("@pulumi/pulumi/proto/provider_pb");
const services = sdkRequire("@pulumi/pulumi/proto/provider_grpc_pb");

const inputs = (tag: string) => ({ name: tag, shards: { "000": `${tag}: ${"é-".repeat(300_000)}` }, list: [1, [true, null, { deep: tag }]] });

/** What google-protobuf was handed to read each DiffRequest, in order. */
const handed: Uint8Array[] = [];
const deserializeBinary = messages.DiffRequest.deserializeBinary;
messages.DiffRequest.deserializeBinary = (bytes: Uint8Array) => {
  handed.push(bytes);
  return deserializeBinary(bytes);
};

/** A server whose Diff answers with the news' keys and whose Check gives the news back. */
async function serve(): Promise<{ client: any; seen: unknown[]; close: () => void }> {
  const seen: unknown[] = [];
  const server = new grpc.Server();
  server.addService(services.ResourceProviderService, {
    diff: (call: any, callback: any) => {
      seen.push({ olds: call.request.getOlds().toJavaScript(), news: call.request.getNews().toJavaScript(), id: call.request.getId() });
      const answer = new messages.DiffResponse();
      answer.setDiffsList(Object.keys(call.request.getNews().toJavaScript()));
      callback(null, answer);
    },
    check: (call: any, callback: any) => {
      const answer = new messages.CheckResponse();
      answer.setInputs(call.request.getNews());
      callback(null, answer);
    },
  });
  const port: number = await new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error: Error | null, bound: number) => (error ? reject(error) : resolve(bound))),
  );
  const client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "grpc.max_receive_message_length": -1 });
  return {
    client,
    seen,
    close: () => {
      client.close();
      server.forceShutdown();
    },
  };
}

const call = <T>(client: any, method: string, request: unknown): Promise<T> =>
  new Promise((resolve, reject) => client[method](request, (error: Error | null, answer: T) => (error ? reject(error) : resolve(answer))));

function diffRequest(tag: string): unknown {
  const request = new messages.DiffRequest();
  request.setId(tag);
  request.setOlds(Struct.fromJavaScript(inputs(`${tag} olds`)));
  request.setNews(Struct.fromJavaScript(inputs(`${tag} news`)));
  return request;
}

function checkRequest(tag: string): unknown {
  const request = new messages.CheckRequest();
  request.setNews(Struct.fromJavaScript(inputs(tag)));
  return request;
}

const Uncopied = suite("uncopied messages");

Uncopied("the provider service reads grpc-js's own buffer and answers unchanged, on a server started before the patch", async () => {
  const { client, seen, close } = await serve();
  try {
    const stockDiff = await call<any>(client, "diff", diffRequest("stock"));
    const stockCheck = await call<any>(client, "check", checkRequest("stock"));
    assert.ok(!Buffer.isBuffer(handed[0]), "as shipped, the request is read from a copy");
    const skips: string[] = [];
    assert.ok(applySdkPatch(uncopiedMessages, { env: {}, log: (message) => skips.push(message), said: new Set() }), skips.join());
    assert.ok(applySdkPatch(uncopiedMessages, { env: {} }), "twice is once");
    const diff = await call<any>(client, "diff", diffRequest("in place"));
    const check = await call<any>(client, "check", checkRequest("in place"));
    assert.ok(Buffer.isBuffer(handed[1]), "the request is read from the buffer grpc-js received");
    assert.equal(seen, [
      { id: "stock", olds: inputs("stock olds"), news: inputs("stock news") },
      { id: "in place", olds: inputs("in place olds"), news: inputs("in place news") },
    ]);
    assert.equal(diff.getDiffsList(), stockDiff.getDiffsList());
    assert.equal(stockCheck.getInputs().toJavaScript(), inputs("stock"));
    assert.equal(check.getInputs().toJavaScript(), inputs("in place"));
  } finally {
    close();
  }
});

Uncopied("the in-place serializer views the bytes the message wrote, and refuses another message type as the generated one does", () => {
  const method: ServiceMethod = services.ResourceProviderService.check;
  const codec = inPlaceCodec(method);
  const answer = new messages.CheckResponse();
  answer.setInputs(Struct.fromJavaScript(inputs("answer")));
  let written: Uint8Array | undefined;
  const serializeBinary = answer.serializeBinary.bind(answer);
  answer.serializeBinary = () => (written = serializeBinary());
  const bytes = codec.serialize(answer);
  assert.ok(written && bytes.buffer === written.buffer && bytes.byteOffset === written.byteOffset && bytes.byteLength === written.byteLength);
  assert.equal(messages.CheckResponse.deserializeBinary(bytes).getInputs().toJavaScript(), inputs("answer"));
  assert.throws(() => codec.serialize(new messages.DiffResponse()), /Expected argument of type/);
  assert.throws(() => method.responseSerialize(new messages.DiffResponse()), /Expected argument of type/);
});

Uncopied.run();
