// Identified users as one BrazeUser per user (the per-user program), end to end
// through the real engine against braze-local: created and updated by
// external_id, an alias-only user identified in place, deleted by external_id,
// an external_id renamed in place, an email-only user's whole lifecycle; and
// `pulumi destroy` of more BrazeUsers than braze:maxDeletes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { withCliEnvironment } from "../harness/test-stack";
import { PER_USER_PROGRAM_DIR, startYamlStack, type YamlStack } from "../harness/yaml-stack";

type Context = YamlStack;

const failureOf = (operation: Promise<unknown>) =>
  operation.then(
    () => undefined,
    (error: Error) => error,
  );

const grace = (seats: number) => ({ external_id: "u-grace", alias: { name: "grace", label: "qa" }, attributes: { first_name: "Grace", seats } });
const lin = (externalId?: string) => ({
  key: "lin",
  ...(externalId ? { external_id: externalId } : {}),
  alias: { name: "lin", label: "qa" },
  attributes: { tier: "gold" },
});
/** The requests braze-local logged since the last call, as path and body. */
const sent = async (context: Context) => (await context.braze.newRequests()).map(({ path, body }) => ({ path, body }));
/** An alias-only user without a key, so its resource is named by its alias until it gains an external_id. */
const mo = (externalId?: string) => ({
  ...(externalId ? { external_id: externalId } : {}),
  alias: { name: "mo", label: "qa" },
  attributes: { tier: "silver" },
});
const byExternalId = async (context: Context, externalId: string) => (await context.braze.users()).filter((user) => user.external_id === externalId);

const Lifecycle = suite<Context>("identified users, one BrazeUser per user");
Lifecycle.before(async (context) => {
  Object.assign(context, await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "identified-per-user" }));
});
Lifecycle.after(async (context) => context.close?.());

Lifecycle("create: one object by external_id that may create the user, then its alias attached by external_id", async (context) => {
  context.writeUsers([grace(1), lin(), mo()]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { create: 4 });
  const requests = await sent(context);
  const objects = requests.filter((r) => r.path === "/users/track").flatMap((r) => (r.body as { attributes: object[] }).attributes);
  const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  assert.equal(
    objects.sort(byText),
    [
      { external_id: "u-grace", _update_existing_only: false, first_name: "Grace", seats: 1 },
      { user_alias: { alias_name: "lin", alias_label: "qa" }, _update_existing_only: false, tier: "gold" },
      { user_alias: { alias_name: "mo", alias_label: "qa" }, _update_existing_only: false, tier: "silver" },
    ].sort(byText),
  );
  assert.equal(
    requests.filter((r) => r.path !== "/users/track"),
    [{ path: "/users/alias/new", body: { user_aliases: [{ external_id: "u-grace", alias_name: "grace", alias_label: "qa" }] } }],
  );
  assert.is((await byExternalId(context, "u-grace")).length, 1);
  await context.stack.preview({ expectNoChanges: true });
  assert.equal(await context.braze.newRequests(), [], "the preview sends nothing");
});

Lifecycle("update: only the changed attribute, by external_id, to an existing user only", async (context) => {
  context.writeUsers([grace(2), lin(), mo()]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 3, update: 1 });
  assert.equal(await sent(context), [{ path: "/users/track", body: { attributes: [{ external_id: "u-grace", _update_existing_only: true, seats: 2 }] } }]);
});

Lifecycle("alias-only users given an external_id are identified in place, under a key or named by alias: /users/identify, no delete", async (context) => {
  context.writeUsers([grace(2), lin("u-lin"), mo("u-mo")]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2, update: 2 });
  const requests = await sent(context);
  const identified = requests
    .filter((r) => r.path === "/users/identify")
    .flatMap((r) => (r.body as { aliases_to_identify: Array<{ external_id: string }> }).aliases_to_identify)
    .sort((a, b) => a.external_id.localeCompare(b.external_id));
  assert.equal(identified, [
    { external_id: "u-lin", user_alias: { alias_name: "lin", alias_label: "qa" } },
    { external_id: "u-mo", user_alias: { alias_name: "mo", alias_label: "qa" } },
  ]);
  assert.equal(
    requests.filter((r) => r.path === "/users/delete" || r.path === "/users/alias/new"),
    [],
    "nothing deleted, no alias attached again",
  );
  assert.is((await context.braze.users()).length, 3, "no second profile");
  for (const [name, externalId, tier] of [
    ["lin", "u-lin", "gold"],
    ["mo", "u-mo", "silver"],
  ]) {
    const profile = await context.braze.userByAlias("qa", name);
    assert.is(profile.raw.external_id, externalId, `the alias-only profile ${name} itself was identified`);
    assert.is(profile.attributes.tier, tier, "its data is kept");
  }
  const names = (await context.stack.exportState()).resources
    .filter((resource) => resource.type.endsWith("braze:User"))
    .map((resource) => resource.urn.split("::").pop());
  assert.equal(names.sort(), ["lin", "u-grace", "u-mo"], "the user named by its alias is now named by its external_id, same resource");
  await context.stack.preview({ expectNoChanges: true });
});

Lifecycle("delete: a user removed from the file is deleted by external_ids, once", async (context) => {
  context.writeUsers([lin("u-lin"), mo("u-mo")]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { delete: 1, same: 3 });
  assert.equal(await sent(context), [{ path: "/users/delete", body: { external_ids: ["u-grace"] } }]);
  assert.equal(await byExternalId(context, "u-grace"), []);
});

Lifecycle("an external_id changed under a key is renamed in place: one rename and one remove, no delete, the data kept", async (context) => {
  context.writeUsers([lin("u-lin-2"), mo("u-mo")]);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2, update: 1 });
  const requests = await sent(context);
  assert.equal(
    requests.filter((r) => r.path !== "/users/export/ids"),
    [
      { path: "/users/external_ids/rename", body: { external_id_renames: [{ current_external_id: "u-lin", new_external_id: "u-lin-2" }] } },
      { path: "/users/external_ids/remove", body: { external_ids: ["u-lin"] } },
    ],
    "no delete, nothing created, no attribute sent (none changed)",
  );
  const profile = await context.braze.userByAlias("qa", "lin");
  assert.is(profile.raw.external_id, "u-lin-2", "the same profile holds the new id");
  assert.is(profile.attributes.tier, "gold", "its data is kept");
  assert.is((await context.braze.users()).length, 2, "no second profile");
  await context.stack.preview({ expectNoChanges: true });
});

const ana = (seats: number) => ({ email: "ana@example.com", attributes: { first_name: "Ana", seats } });

Lifecycle("an email-only user is created by email, updated by email, and deleted by email with prioritization", async (context) => {
  context.writeUsers([lin("u-lin-2"), mo("u-mo"), ana(1)]);
  assert.equal((await context.stack.up()).summary.resourceChanges, { same: 3, create: 1 });
  assert.equal(await sent(context), [
    { path: "/users/track", body: { attributes: [{ email: "ana@example.com", _update_existing_only: false, first_name: "Ana", seats: 1 }] } },
  ]);
  const names = (await context.stack.exportState()).resources
    .filter((resource) => resource.type.endsWith("braze:User"))
    .map((resource) => resource.urn.split("::").pop());
  assert.ok(names.includes("ana@example.com"), "the resource is named by its address");
  await context.stack.preview({ expectNoChanges: true });

  context.writeUsers([lin("u-lin-2"), mo("u-mo"), ana(2)]);
  assert.equal((await context.stack.up()).summary.resourceChanges, { same: 3, update: 1 });
  assert.equal(await sent(context), [{ path: "/users/track", body: { attributes: [{ email: "ana@example.com", _update_existing_only: true, seats: 2 }] } }]);

  context.writeUsers([lin("u-lin-2"), mo("u-mo")]);
  assert.equal((await context.stack.up()).summary.resourceChanges, { same: 3, delete: 1 });
  assert.equal(await sent(context), [
    { path: "/users/delete", body: { email_addresses: [{ email: "ana@example.com", prioritization: ["unidentified", "most_recently_updated"] }] } },
  ]);
  assert.is((await context.braze.users()).filter((user) => user.email === "ana@example.com").length, 0);
});

Lifecycle.run();

const USERS = 3;
const member = (n: number) => ({ external_id: `u-${n}`, attributes: { seats: n } });

const Destroy = suite<Context>(`destroy of ${USERS} BrazeUsers with braze:maxDeletes 1`);
Destroy.before(async (context) => {
  Object.assign(
    context,
    await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "per-user-destroy", config: { "braze:maxDeletes": { value: "1" } } }),
  );
  context.writeUsers([1, 2, 3].map(member));
  await context.stack.up();
  await context.braze.newRequests();
});
Destroy.after(async (context) => context.close?.());

Destroy("is refused beyond the limit: one user is deleted, the others stay in Braze and in state", async (context) => {
  const refused = await failureOf(context.stack.destroy());
  assert.ok(refused, "the destroy fails");
  assert.match(refused!.message, "nothing was sent: the plan goes over this run's budget");
  assert.match(
    refused!.message,
    'it would delete more than 1 users in this run (1 BrazeUser deletes were let through already) and braze:maxDeletes is 1; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=<how many users> pulumi destroy"',
  );
  assert.equal(
    (await context.braze.newRequests()).map((r) => r.path),
    ["/users/delete"],
  );
  assert.is((await context.braze.users()).length, USERS - 1, "the users beyond the limit are still in Braze");
  const remaining = (await context.stack.exportState()).resources.filter((resource) => resource.type.endsWith("braze:User"));
  assert.is(remaining.length, USERS - 1, "and in state");
});

Destroy("BRAZE_PROFILES_ALLOW_DELETES allows the rest for one command", async (context) => {
  await withCliEnvironment(context.stack, { BRAZE_PROFILES_ALLOW_DELETES: String(USERS - 1) }, () => context.stack.destroy());
  assert.equal(await context.braze.users(), []);
});

Destroy.run();
