// Renames under a stable key when Braze does not look the way state says:
// the new alias already taken, or an earlier run renamed but never sent the attributes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PER_USER_PROGRAM_DIR, startYamlStack, type YamlStack } from "../harness/yaml-stack";

const Renames = suite<YamlStack>("alias renames against an unexpected Braze");

Renames.before(async (context) => {
  Object.assign(context, await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "renames" }));
});

Renames.after(async (context) => context.close?.());

const user = (name: string, tier: string) => ({ key: "qa-kim", alias: { name, label: "qa" }, attributes: { first_name: "Kim", tier } });
const alias = (name: string) => ({ alias_name: name, alias_label: "qa" });

Renames("renaming onto an alias another user holds fails with what to do, and renames nothing", async (context) => {
  context.writeUsers([user("kim", "gold")]);
  await context.stack.up();
  await context.braze.track({ attributes: [{ user_alias: alias("kimberly"), _update_existing_only: false, first_name: "Other" }] });
  context.writeUsers([user("kimberly", "gold")]);
  const failure = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failure, "up must fail");
  assert.match(failure!.message, 'alias kim (label qa): cannot be renamed to "kimberly": Braze already has a user with that alias');
  assert.match(failure!.message, '; remove or rename that user first, then run "pulumi up" again');
  assert.not.ok((await context.braze.requests()).some((r) => r.path === "/users/alias/update"));
  assert.is((await context.braze.userByAlias("qa", "kimberly")).attributes.first_name, "Other");
  assert.is((await context.braze.userByAlias("qa", "kim")).attributes.tier, "gold");
});

Renames("after an earlier run renamed the alias but sent no attributes, the next up sends them to the new alias", async (context) => {
  // As if a run had renamed kim to kimmy in Braze and died before its attributes and state were written.
  await context.braze.post("/users/alias/update", { alias_updates: [{ alias_label: "qa", old_alias_name: "kim", new_alias_name: "kimmy" }] });
  const before = (await context.braze.requests()).length;
  context.writeUsers([user("kimmy", "platinum")]);
  await context.stack.up();
  const requests = (await context.braze.requests()).slice(before);
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", "/users/track"],
  );
  assert.equal(requests[1].body, {
    attributes: [{ user_alias: alias("kimmy"), _update_existing_only: false, first_name: "Kim", tier: "platinum" }],
  });
  assert.equal((await context.braze.userByAlias("qa", "kimmy")).attributes, { first_name: "Kim", tier: "platinum" });
  await context.stack.preview({ expectNoChanges: true });
});

Renames.run();
