// Every example in examples/ runs for real against braze-local.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadDesiredState } from "../../provider/desired-state";
import { createTestStack } from "../harness/test-stack";
import { startLocalBraze } from "../harness/local-braze";

const distRoot = path.resolve(__dirname, "..", "..");
const repoRoot = path.resolve(distRoot, "..");

const Examples = suite("examples");

for (const example of ["quickstart", "seed-test-workspace"]) {
  Examples(`${example}: up creates every user of the file, a second up sends nothing, destroy removes them`, async () => {
    const braze = await startLocalBraze();
    const file = path.join(repoRoot, "examples", example, "users.yaml");
    const stack = await createTestStack({
      programDir: path.join(distRoot, "program"),
      projectName: example,
      env: { BRAZE_REST_ENDPOINT: braze.url },
      config: { "braze:desiredState": { value: file } },
    });
    try {
      const declared = loadDesiredState(file).users;
      await stack.up({ parallel: 100 });
      for (const { user } of declared) {
        const stored = await braze.userByAlias(user.alias.label, user.alias.name);
        assert.equal(Object.keys(stored.subscriptionGroups).sort(), Object.keys(user.subscriptionGroups).sort());
      }
      assert.is((await braze.users()).length, declared.length);
      const requests = await braze.requests();
      const sent = requests.length;
      const trackedAliases = requests.flatMap((request) =>
        ((request.body as { attributes?: Array<{ user_alias: { alias_label: string; alias_name: string } }> }).attributes ?? []).map(
          ({ user_alias }) => `${user_alias.alias_label}/${user_alias.alias_name}`,
        ),
      );
      assert.equal(trackedAliases.sort(), declared.map(({ user }) => `${user.alias.label}/${user.alias.name}`).sort(), "each user sent once");
      // How many requests depends on the pace the engine hands users over at; they are coalesced.
      assert.ok(sent < declared.length, `${sent} requests for ${declared.length} users`);
      await stack.up();
      assert.is((await braze.requests()).length, sent);
      await stack.destroy();
      assert.equal(await braze.users(), []);
    } finally {
      await stack.cleanup();
      await braze.close();
    }
  });
}

Examples("personas-in-code: a TypeScript program importing the package by name", async () => {
  const braze = await startLocalBraze();
  const stack = await createTestStack({
    programDir: path.join(distRoot, "examples", "personas-in-code"),
    projectName: "personas",
    env: { BRAZE_REST_ENDPOINT: braze.url },
  });
  try {
    const result = await stack.up({ parallel: 100 });
    assert.equal(result.outputs.personas.value, ["free-en", "free-de", "trial-en", "trial-de", "pro-en", "pro-de"]);
    const pro = await braze.userByAlias("generated-personas", "pro-de");
    assert.equal(pro.attributes, {
      first_name: "Pro DE",
      email: "qa+pro-de@example.com",
      email_subscribe: "opted_in",
      language: "de",
      country: "DE",
      time_zone: "Europe/Berlin",
      plan: "pro",
      seats: 25,
      feature_flags: ["sso", "audit-log"],
    });
    assert.equal(pro.subscriptionGroups, { "5e1f0a2c-newsletter": "subscribed", "7b2d9e41-product-updates": "subscribed" });
    await stack.preview({ expectNoChanges: true });
    await stack.destroy();
    assert.equal(await braze.users(), []);
  } finally {
    await stack.cleanup();
    await braze.close();
  }
});

Examples.run();
