// A stack of BrazeUser resources (one per user) switched to the root program's
// BrazeUserSet: no user is deleted or duplicated, each is sent once, whole.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { personas } from "../harness/personas";
import { recordedUsers, USER_SET_TYPE, USER_TYPE } from "../harness/recorded-users";
import { PER_USER_PROGRAM_DIR, ROOT_PROGRAM_DIR, startYamlStack } from "../harness/yaml-stack";

const Migration = suite("migrating BrazeUser resources to a BrazeUserSet");

Migration("switching the program to a set sends each user once, whole, deletes nobody, and leaves only the set in state", async () => {
  const context = await startYamlStack({ projectName: "migration", programDir: PER_USER_PROGRAM_DIR });
  try {
    const users = personas(30, "migration");
    context.writeUsers(users);
    await context.stack.up({ parallel: 32 });
    const before = (await context.braze.requests()).length;
    const workspace = context.stack.stack.workspace;
    const settings = await workspace.projectSettings();
    const workDir = workspace.workDir;
    await workspace.saveProjectSettings({ ...settings, main: path.relative(workDir, path.join(ROOT_PROGRAM_DIR, "index.js")) });
    const result = await context.stack.up();
    assert.equal(result.summary.resourceChanges, { create: 1, delete: 30, same: 1 });
    const requests = (await context.braze.requests()).slice(before);
    assert.equal(
      requests.map((r) => r.path),
      ["/users/track"],
      "one /users/track request, no /users/delete",
    );
    const sent = (requests[0].body as { attributes: Array<{ user_alias: { alias_name: string }; _update_existing_only: boolean }> }).attributes;
    assert.equal(
      sent.map((o) => o.user_alias.alias_name),
      users.map((u) => u.alias.name),
    );
    assert.ok(
      sent.every((o) => o._update_existing_only === false),
      "each user is set whole, which is right whatever Braze holds",
    );
    assert.is((await context.braze.users()).length, 30, "nobody deleted or duplicated");
    const state = await context.stack.exportState();
    assert.equal(
      state.resources.filter((r) => r.type === USER_TYPE),
      [],
    );
    assert.is(state.resources.filter((r) => r.type === USER_SET_TYPE).length, 1);
    assert.is(recordedUsers(state).size, 30);
    await context.stack.preview({ expectNoChanges: true });
  } finally {
    await context.close();
  }
});

Migration.run();
