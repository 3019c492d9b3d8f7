// Lets a provider process's gRPC server read and write the provider's messages
// without copying them. @pulumi/pulumi 3.248's generated code
// (proto/provider_grpc_pb.js) copies every message it reads,
// `deserializeBinary(new Uint8Array(buffer))`, and every message it writes,
// `Buffer.from(message.serializeBinary())`. google-protobuf reads a Buffer in
// place (it is a Uint8Array), and a Buffer can view the bytes it wrote, so both
// copies are work for nothing: at 100,000 users a set's Diff and Update requests
// are 120 MB each, and check answers with 56 MB. A copy is also fresh memory,
// the dearest part of it: on the 2-core benchmark machine, touching 120 MB of
// new pages takes about 450 ms (README, "Performance").
//
// grpc-js keeps each method's (de)serializer in the handler it registered when
// the provider process started, before any provider code loads; so the
// handlers of the ResourceProvider service are given in-place ones the first
// time a call of theirs reads or writes a message. A handler whose functions
// are not the generated ones (another SDK, another service) is left as it is,
// and a grpc-js laid out otherwise is not patched at all.
import { functionAt, skip, type PatchPlan, type SdkPatch } from "./sdk-patch";
import { sdkModule } from "./sdk-module";

interface Message {
  serializeBinary(): Uint8Array;
}

interface MessageClass {
  new (): Message;
  deserializeBinary(bytes: Uint8Array): Message;
}

/** A method of the generated service definition. */
export interface ServiceMethod {
  path: string;
  requestType: MessageClass;
  responseType: MessageClass;
  requestDeserialize: (buffer: Buffer) => Message;
  responseSerialize: (message: Message) => Buffer;
}

/** What grpc-js's server keeps per method (Server#register). */
interface Handler {
  path?: string;
  serialize: (message: Message) => Buffer;
  deserialize: (buffer: Buffer) => Message;
}

interface ServerCall {
  handler: Handler;
}

/** The method's (de)serializers, reading and writing in place. */
export function inPlaceCodec(method: ServiceMethod): Pick<Handler, "serialize" | "deserialize"> {
  return {
    deserialize: (buffer) => method.requestType.deserializeBinary(buffer),
    serialize: (message) => {
      // The generated serializer's own check, kept: a wrong message type is a bug to report, not bytes to send.
      if (!(message instanceof method.responseType)) throw new Error(`Expected argument of type ${method.path}'s response`);
      const bytes = message.serializeBinary();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

/**
 * Gives the ResourceProvider service's handlers in-place (de)serializers, in
 * the @grpc/grpc-js and generated code @pulumi/pulumi loads.
 */
export const uncopiedMessages: SdkPatch = {
  name: "uncopied-messages",
  plan(): PatchPlan {
    const calls = sdkModule<{ BaseServerInterceptingCall?: { prototype: Record<string, unknown> } }>("@grpc/grpc-js/build/src/server-interceptors.js");
    const service = sdkModule<{ ResourceProviderService?: Record<string, Partial<ServiceMethod>> }>(
      "@pulumi/pulumi/proto/provider_grpc_pb",
    ).ResourceProviderService;
    const prototype = calls.BaseServerInterceptingCall?.prototype;
    const read = prototype?.decompressAndMaybePush;
    const write = prototype?.serializeMessage;
    const notCallable =
      functionAt(read, "@grpc/grpc-js's BaseServerInterceptingCall.prototype.decompressAndMaybePush") ??
      functionAt(write, "@grpc/grpc-js's BaseServerInterceptingCall.prototype.serializeMessage");
    if (!prototype || notCallable) return notCallable ?? skip("@grpc/grpc-js has no BaseServerInterceptingCall");
    if (!service) return skip("@pulumi/pulumi/proto/provider_grpc_pb has no ResourceProviderService");
    const methods = new Map<string, ServiceMethod>();
    for (const method of Object.values(service)) {
      if (typeof method.path !== "string" || typeof method.requestType?.deserializeBinary !== "function" || typeof method.responseType !== "function") {
        return skip(`ResourceProviderService's method ${method.path ?? "(without a path)"} has no path, request type or response type`);
      }
      methods.set(method.path, method as ServiceMethod);
    }
    const adopted = new WeakSet<Handler>();
    const adopt = (handler: Handler | undefined) => {
      if (!handler || adopted.has(handler)) return;
      adopted.add(handler);
      const method = handler.path === undefined ? undefined : methods.get(handler.path);
      if (!method) return;
      const codec = inPlaceCodec(method);
      if (handler.deserialize === method.requestDeserialize) handler.deserialize = codec.deserialize;
      if (handler.serialize === method.responseSerialize) handler.serialize = codec.serialize;
    };
    return {
      kind: "replace",
      marker: calls,
      replacements: [
        {
          target: prototype,
          key: "decompressAndMaybePush",
          value: function (this: ServerCall, ...args: unknown[]) {
            adopt(this.handler);
            return (read as (...args: unknown[]) => unknown).apply(this, args);
          },
        },
        {
          target: prototype,
          key: "serializeMessage",
          value: function (this: ServerCall, ...args: unknown[]) {
            adopt(this.handler);
            return (write as (...args: unknown[]) => unknown).apply(this, args);
          },
        },
      ],
    };
  },
};
