import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { userResourceProvider } from "../../provider/user-resource";

/** What Pulumi stores as `__provider` in the inputs and outputs of every BrazeUser. */
async function serializedProvider(): Promise<string> {
  const closure = await pulumi.runtime.serializeFunction(() => userResourceProvider, { allowSecrets: true });
  return closure.text;
}

const Serialized = suite("the provider as Pulumi stores it in state");

Serialized("stays small: it loads the implementation by package name", async () => {
  const text = await serializedProvider();
  // Stored twice per resource and rewritten at every checkpoint: see user-resource.ts.
  assert.ok(text.length < 2600, `serialized provider is ${text.length} characters`);
  assert.match(text, "pulumi-braze-profiles/provider-runtime");
  assert.match(text, "createRequire");
});

Serialized("captures none of the implementation and no absolute path", async () => {
  const text = await serializedProvider();
  const repoRoot = path.resolve(__dirname, "..", "..", "..");
  assert.not.match(text, repoRoot);
  for (const implementationDetail of ["MicroBatcher", "planUpdate", "Authorization", "fetch("]) {
    assert.not.match(text, implementationDetail);
  }
});

Serialized.run();
