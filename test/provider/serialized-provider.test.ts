import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { userResourceProvider } from "../../provider/user-resource";
import { userSetResourceProvider } from "../../provider/user-set-resource";

/** What Pulumi stores as `__provider` in the inputs and outputs of every resource of that kind. */
async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const closure = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return closure.text;
}

const kinds = [
  { kind: "BrazeUser", provider: userResourceProvider, runtime: "pulumi-braze-profiles/provider-runtime" },
  { kind: "BrazeUserSet", provider: userSetResourceProvider, runtime: "pulumi-braze-profiles/provider-runtime/user-set" },
];

const Serialized = suite("the providers as Pulumi stores them in state");

for (const { kind, provider, runtime } of kinds) {
  Serialized(`${kind}: stays small, since it loads the implementation by package name`, async () => {
    const text = await serialized(provider);
    // Stored twice per resource and rewritten at every checkpoint: see user-resource.ts.
    assert.ok(text.length < 2600, `serialized provider is ${text.length} characters`);
    assert.match(text, `"${runtime}"`);
    assert.match(text, "createRequire");
  });

  Serialized(`${kind}: captures none of the implementation and no absolute path`, async () => {
    const text = await serialized(provider);
    const repoRoot = path.resolve(__dirname, "..", "..", "..");
    assert.not.match(text, repoRoot);
    for (const implementationDetail of ["MicroBatcher", "planUpdate", "planSet", "Authorization", "fetch(", "gzip"]) {
      assert.not.match(text, implementationDetail);
    }
  });
}

Serialized.run();
