// The provider end to end: the real engine runs the root program on a YAML file
// against braze-local, and every assertion is on what braze-local received and
// stored, or on what Pulumi recorded.
import * as fs from "node:fs";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LoggedRequest } from "../harness/local-braze";
import { assertPrintedOnce, issueLines } from "../harness/printed-issues";
import { PER_USER_PROGRAM_DIR, ROOT_PROGRAM_DIR, startYamlStack, type YamlStack } from "../harness/yaml-stack";

type Context = YamlStack;

const ada = {
  alias: { name: "ada", label: "qa" },
  attributes: { first_name: "Ada", email: "ada@example.com", favorite_genres: ["sci-fi", "drama"], loyalty: { tier: "gold", points: 1200 } },
  subscription_groups: { "group-newsletter": "subscribed" },
};
const bob = { key: "qa-bob", alias: { name: "bob", label: "qa" }, attributes: { first_name: "Bob", plan: "trial", seats: 3 } };
const chen = {
  alias: { name: "chen", label: "qa" },
  attributes: { first_name: "Chen", home_city: "Toronto" },
  subscription_groups: { "group-newsletter": "subscribed", "group-offers": "unsubscribed" },
};

const alias = (name: string) => ({ alias_name: name, alias_label: "qa" });

const Lifecycle = suite<Context>("provider lifecycle against braze-local");

Lifecycle.before(async (context) => {
  Object.assign(context, await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "braze-e2e" }));
});

Lifecycle.after(async (context) => context.close?.());

Lifecycle("create: three users coalesced into /users/track, alias-only users created explicitly", async (context) => {
  context.writeUsers([ada, bob, chen]);
  const result = await context.stack.up({ parallel: 16 });
  assert.equal(result.summary.resourceChanges, { create: 4 });
  const requests = await context.braze.newRequests();
  assertCoalesced(requests, "/users/track", 3);
  assert.equal(trackedObjects(requests), {
    attributes: [
      {
        user_alias: alias("ada"),
        _update_existing_only: false,
        first_name: "Ada",
        email: "ada@example.com",
        favorite_genres: ["sci-fi", "drama"],
        loyalty: { tier: "gold", points: 1200 },
        subscription_groups: [{ subscription_group_id: "group-newsletter", subscription_state: "subscribed" }],
      },
      { user_alias: alias("bob"), _update_existing_only: false, first_name: "Bob", plan: "trial", seats: 3 },
      {
        user_alias: alias("chen"),
        _update_existing_only: false,
        first_name: "Chen",
        home_city: "Toronto",
        subscription_groups: [
          { subscription_group_id: "group-newsletter", subscription_state: "subscribed" },
          { subscription_group_id: "group-offers", subscription_state: "unsubscribed" },
        ],
      },
    ].sort(byAlias),
  });
  const stored = await context.braze.userByAlias("qa", "ada");
  assert.equal(stored.attributes, {
    first_name: "Ada",
    email: "ada@example.com",
    favorite_genres: ["sci-fi", "drama"],
    loyalty: { tier: "gold", points: 1200 },
  });
  assert.equal(stored.subscriptionGroups, { "group-newsletter": "subscribed" });
});

Lifecycle("the same YAML again: preview expects no change and up sends nothing", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 4 });
  assert.equal(await context.braze.newRequests(), []);
});

Lifecycle("one changed, one removed attribute and one flipped group: exactly those three changes", async (context) => {
  context.writeUsers([
    { ...ada, attributes: { ...ada.attributes, first_name: "Ada L." } },
    { ...bob, attributes: { first_name: "Bob", plan: "trial" } },
    { ...chen, subscription_groups: { ...chen.subscription_groups, "group-offers": "subscribed" } },
  ]);
  const preview = await context.stack.preview();
  assert.equal(preview.changeSummary, { same: 1, update: 3 });
  assert.equal(await context.braze.newRequests(), [], "preview sends nothing");
  await context.stack.up({ parallel: 16 });
  const requests = await context.braze.newRequests();
  assertCoalesced(requests, "/users/track", 3);
  assert.equal(trackedObjects(requests), {
    attributes: [
      { user_alias: alias("ada"), _update_existing_only: true, first_name: "Ada L." },
      { user_alias: alias("bob"), _update_existing_only: true, seats: null },
      {
        user_alias: alias("chen"),
        _update_existing_only: true,
        subscription_groups: [{ subscription_group_id: "group-offers", subscription_state: "subscribed" }],
      },
    ],
  });
});

Lifecycle("a user removed from the YAML is deleted by alias; the others are untouched", async (context) => {
  context.writeUsers([
    { ...ada, attributes: { ...ada.attributes, first_name: "Ada L." } },
    { ...bob, attributes: { first_name: "Bob", plan: "trial" } },
  ]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { delete: 1, same: 3 });
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((r) => [r.path, r.body]),
    [["/users/delete", { user_aliases: [alias("chen")] }]],
  );
  assert.is(await context.braze.findUserByAlias("qa", "chen"), undefined);
  assert.ok(await context.braze.findUserByAlias("qa", "ada"));
});

Lifecycle("an alias renamed under a stable key is renamed in Braze, not deleted and recreated", async (context) => {
  context.writeUsers([
    { ...ada, attributes: { ...ada.attributes, first_name: "Ada L." } },
    { ...bob, alias: { name: "robert", label: "qa" }, attributes: { first_name: "Bob", plan: "trial" } },
  ]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2, update: 1 });
  const requests = await context.braze.newRequests();
  // Check that the old alias exists and the new one is free, rename, then wait until Braze shows it.
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", "/users/alias/update", "/users/export/ids"],
  );
  assert.equal(requests[1].body, { alias_updates: [{ alias_label: "qa", old_alias_name: "bob", new_alias_name: "robert" }] });
  assert.is(await context.braze.findUserByAlias("qa", "bob"), undefined);
  const robert = await context.braze.userByAlias("qa", "robert");
  assert.equal(robert.attributes, { first_name: "Bob", plan: "trial" });
});

Lifecycle("dropping the key moves the user to an alias-named resource without deleting it from Braze", async (context) => {
  context.writeUsers([
    { ...ada, attributes: { ...ada.attributes, first_name: "Ada L." } },
    { alias: { name: "robert", label: "qa" }, attributes: { first_name: "Bob", plan: "trial" } },
  ]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { create: 1, delete: 1, same: 2 });
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((r) => r.path),
    ["/users/track"],
    "the old resource's delete sends nothing: the alias now belongs to the new one",
  );
  const robert = await context.braze.userByAlias("qa", "robert");
  assert.equal(robert.attributes, { first_name: "Bob", plan: "trial" });
});

Lifecycle("refresh reports an out-of-band change of a managed attribute; up restores it and ignores unmanaged ones", async (context) => {
  await context.braze.track({ attributes: [{ user_alias: alias("ada"), first_name: "Eve", shoe_size: 39 }] });
  await context.braze.newRequests();
  const refresh = await context.stack.refresh();
  assert.equal(refresh.summary.resourceChanges, { same: 2, update: 1 });
  const exports = await context.braze.newRequests();
  assert.ok(exports.length >= 1 && exports.every((r) => r.path === "/users/export/ids"), "refresh only reads");
  const state = await context.stack.exportState();
  const recorded = state.resources.find((r) => r.id === "qa/ada")?.outputs as { attributes: Record<string, unknown> };
  assert.is(recorded.attributes.first_name, "Eve");
  assert.not.ok("shoe_size" in recorded.attributes, "unmanaged attributes are never recorded");

  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((r) => [r.path, r.body]),
    [["/users/track", { attributes: [{ user_alias: alias("ada"), _update_existing_only: true, first_name: "Ada L." }] }]],
  );
  const stored = await context.braze.userByAlias("qa", "ada");
  assert.is(stored.attributes.first_name, "Ada L.");
  assert.is(stored.attributes.shoe_size, 39, "an attribute the stack does not manage is left alone");
});

Lifecycle("an invalid file stops the run with file, line and field, and nothing is sent", async (context) => {
  fs.writeFileSync(context.file, ["users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      dob: 1990-13-01", ""].join("\n"));
  const failure = await context.stack.up().then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  assert.ok(failure, "up must fail");
  assert.match(failure!.message, `${context.file}:4:12 users[0] (qa/ada).attributes.dob: must be a date YYYY-MM-DD (got "1990-13-01")`);
  assertPrintedOnce(context.stack.lastOutput, issueLines(context.file));
  assert.equal(await context.braze.newRequests(), []);
});

Lifecycle("destroy deletes every remaining user", async (context) => {
  context.writeUsers([
    { ...ada, attributes: { ...ada.attributes, first_name: "Ada L." } },
    { ...bob, alias: { name: "robert", label: "qa" }, attributes: { first_name: "Bob", plan: "trial" } },
  ]);
  await context.stack.destroy();
  const requests = await context.braze.newRequests();
  assert.ok(
    requests.every((r) => r.path === "/users/delete"),
    JSON.stringify(requests.map((r) => r.path)),
  );
  assert.equal(
    requests.flatMap((r) => (r.body as { user_aliases: Array<{ alias_name: string }> }).user_aliases).sort((a, b) => a.alias_name.localeCompare(b.alias_name)),
    [alias("ada"), alias("robert")],
  );
  assert.equal(await context.braze.users(), []);
});

Lifecycle.run();

const RootProgram = suite<YamlStack>("the root program on an invalid file");

RootProgram.before(async (context) => {
  Object.assign(context, await startYamlStack({ programDir: ROOT_PROGRAM_DIR, projectName: "braze-invalid" }));
});

RootProgram.after(async (context) => context.close?.());

RootProgram("up prints each problem once, as file:line:col path: message, with no stack trace, and sends nothing", async (context) => {
  fs.writeFileSync(
    context.file,
    [
      "users:",
      "  - alias: { name: ada, label: qa }",
      "    attributes:",
      "      dob: 1990-13-01",
      "      firstname: Ada",
      "      email_subscribe: true",
      "",
    ].join("\n"),
  );
  const failure = await context.stack.up().then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  assert.ok(failure, "up must fail");
  const issues = issueLines(context.file);
  assert.is(issues.length, 3, issues.join("\n"));
  assertPrintedOnce(context.stack.lastOutput, issues);
  assert.not.match(context.stack.lastOutput, "issues:", "no dump of the error's fields");
  assert.equal(await context.braze.requests(), []);
});

RootProgram.run();

/**
 * Only requests to `path`, all accepted, and fewer than one per user. How many
 * depends on the pace the engine hands steps over at, so it is not pinned here
 * (test/provider/micro-batcher.test.ts covers the batching decisions).
 */
function assertCoalesced(requests: LoggedRequest[], path: string, users: number): void {
  const accepted = requests.every((r) => r.path === path && r.status !== null && r.status < 300);
  assert.ok(accepted, JSON.stringify(requests.map((r) => [r.path, r.status])));
  assert.ok(requests.length < users, `${requests.length} requests for ${users} users`);
}

/** Every object sent, across the requests; the engine runs steps in no set order, so sorted by alias. */
function trackedObjects(requests: LoggedRequest[]): { attributes: Array<{ user_alias: { alias_name: string } }> } {
  const objects = requests.flatMap((request) => (request.body as { attributes: Array<{ user_alias: { alias_name: string } }> }).attributes);
  return { attributes: objects.sort(byAlias) };
}

function byAlias(a: { user_alias: { alias_name: string } }, b: { user_alias: { alias_name: string } }): number {
  return a.user_alias.alias_name.localeCompare(b.user_alias.alias_name);
}
