import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startLocalBraze } from "../harness/local-braze";
import { createTestStack } from "../harness/test-stack";

const programDir = path.resolve(__dirname, "..", "fixtures", "resource-options-program");

const Options = suite("Pulumi resource options keep their meaning");

Options("retainOnDelete: destroy leaves that user in Braze and deletes only the other", async () => {
  const braze = await startLocalBraze();
  const stack = await createTestStack({ programDir, projectName: "options", env: { BRAZE_REST_ENDPOINT: braze.url } });
  try {
    await stack.up();
    assert.is((await braze.users()).length, 2);
    const before = (await braze.requests()).length;
    await stack.destroy();
    const requests = (await braze.requests()).slice(before);
    assert.equal(
      requests.map((r) => [r.path, r.body]),
      [["/users/delete", { user_aliases: [{ alias_name: "gone", alias_label: "options" }] }]],
    );
    assert.ok(await braze.findUserByAlias("options", "kept"), "the retained user is still in Braze");
    assert.is(await braze.findUserByAlias("options", "gone"), undefined);
  } finally {
    await stack.cleanup();
    await braze.close();
  }
});

Options.run();
