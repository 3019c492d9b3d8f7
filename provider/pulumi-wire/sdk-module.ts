// The modules the wire patches change are the copies @pulumi/pulumi itself
// loads (its google-protobuf, its grpc-js, its generated messages): resolved
// from the SDK's own folder, so a second copy elsewhere in node_modules is
// never the one patched while the SDK keeps using its own.
import * as fs from "node:fs";
import * as path from "node:path";

/** `id` as @pulumi/pulumi resolves it. Throws as `require` does when there is none. */
export function sdkModule<T>(id: string): T {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  return require(require.resolve(id, { paths: [sdkDir] })) as T;
}

/** The text of every file of the SDK's dynamic provider, the code that handles the provider's requests. */
export function dynamicProviderSources(): string[] {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const dir = path.dirname(require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [sdkDir] }));
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".js"))
    .map((file) => fs.readFileSync(path.join(dir, file), "utf8"));
}
