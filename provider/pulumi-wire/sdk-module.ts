// The modules the wire patches change are the copies @pulumi/pulumi itself
// loads (its google-protobuf, its grpc-js, its generated messages): resolved
// from the SDK's own folder, so a second copy elsewhere in node_modules is
// never the one patched while the SDK keeps using its own.
import * as path from "node:path";

/** `id` as @pulumi/pulumi resolves it. Throws as `require` does when there is none. */
export function sdkModule<T>(id: string): T {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return require(require.resolve(id, { paths: [sdkDir] })) as T;
}
