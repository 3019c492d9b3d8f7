// Pulumi's `protect` keeps its meaning for both resources: `pulumi destroy` of a
// protected BrazeUser or BrazeUserSet fails and deletes no one in Braze. Once the
// protection is lifted, the same destroy deletes the users, so it was `protect`
// that held it back.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startLocalBraze, type LocalBraze } from "../harness/local-braze";
import { recordedUsers } from "../harness/recorded-users";
import { createTestStack } from "../harness/test-stack";

const programDir = path.resolve(__dirname, "..", "fixtures", "protect-program");

const alias = (name: string) => ({ alias_name: name, alias_label: "protect" });

const CASES = [
  {
    kind: "user",
    resource: "BrazeUser",
    urnEnd: "braze:User::guarded",
    created: { attributes: [{ user_alias: alias("guarded"), _update_existing_only: false, first_name: "Guarded" }] },
    aliases: ["protect/guarded"],
  },
  {
    kind: "set",
    resource: "BrazeUserSet",
    urnEnd: "braze:UserSet::guarded-set",
    // Objects in user-key order: "protect-ben" (its key) before "protect/ann" (its alias).
    created: {
      attributes: [
        { user_alias: alias("ben"), _update_existing_only: false, first_name: "Ben" },
        { user_alias: alias("ann"), _update_existing_only: false, first_name: "Ann" },
      ],
    },
    aliases: ["protect/ann", "protect/ben"],
  },
] as const;

const Protect = suite("protect keeps a destroy from deleting users");

const aliasText = ({ alias_label, alias_name }: { alias_label: string; alias_name: string }) => `${alias_label}/${alias_name}`;

async function storedAliases(braze: LocalBraze): Promise<string[]> {
  return (await braze.users()).flatMap((user) => (user.user_aliases as Array<{ alias_name: string; alias_label: string }>).map(aliasText)).sort();
}

for (const testCase of CASES) {
  Protect(`a protected ${testCase.resource}: destroy fails naming it, and braze-local receives no /users/delete`, async () => {
    const braze = await startLocalBraze();
    const stack = await createTestStack({
      programDir,
      projectName: `protect-${testCase.kind}`,
      env: { BRAZE_REST_ENDPOINT: braze.url },
      config: { "protect:kind": { value: testCase.kind }, "protect:on": { value: "true" } },
    });
    try {
      await stack.up();
      const created = await braze.requests();
      assert.equal(
        created.map((r) => [r.path, r.body]),
        [["/users/track", testCase.created]],
      );

      const failure = await stack.destroy().then(
        () => undefined,
        (error: Error) => error,
      );
      assert.ok(failure, "destroy of a protected resource must fail");
      assert.match(failure!.message, testCase.urnEnd);
      // The engine's own refusal (its DeleteStep), not any other failure of the run.
      assert.match(failure!.message, /cannot be deleted\s+because it is protected/);
      assert.equal((await braze.requests()).slice(created.length), [], "nothing sent: no /users/delete, nor anything else");
      assert.equal(await storedAliases(braze), [...testCase.aliases], "braze-local still holds every user");
      assert.equal([...recordedUsers(await stack.exportState()).keys()].sort(), [...testCase.aliases], "state still records every user");

      // Lifting the protection is a program change recorded by up (nothing to send); then destroy deletes.
      await stack.setConfig({ "protect:on": { value: "false" } });
      await stack.up();
      assert.is((await braze.requests()).length, created.length, "unprotecting sends nothing");
      await stack.destroy();
      const deletes = (await braze.requests()).slice(created.length);
      assert.equal(
        deletes.map((r) => r.path),
        ["/users/delete"],
      );
      assert.equal((deletes[0].body as { user_aliases: Array<{ alias_name: string; alias_label: string }> }).user_aliases.map(aliasText).sort(), [
        ...testCase.aliases,
      ]);
      assert.equal(await braze.users(), []);
    } finally {
      await stack.cleanup();
      await braze.close();
    }
  });
}

Protect.run();
