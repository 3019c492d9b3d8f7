// BrazeUser's provider for identified users, against braze-local over real HTTP
// and without the engine: the exact requests of create, update, identification
// in place, refresh and delete, the identity changes it refuses, and
// braze:maxDeletes across the deletes of one run.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient } from "../../provider/braze/client";
import { BrazeUsersApi } from "../../provider/braze/users-api";
import { RunDeletes } from "../../provider/delta";
import type { Budgets } from "../../provider/delta/budgets";
import { resetDeclarations } from "../../provider/runtime/declared-aliases";
import { BudgetExceededError } from "../../provider/runtime/errors/budget-exceeded-error";
import { IdentityRefusedError } from "../../provider/runtime/errors/identity-refused-error";
import { PartialFailure } from "../../provider/runtime/partial-failure";
import { UserProvider } from "../../provider/runtime/user-provider";
import { SharedAddressError } from "../../provider/braze/errors/shared-address-error";
import { DEVELOPMENT_API_KEY } from "../../server";
import { startTestServer, type TestServer } from "../server/local-server";

function providerFor(endpoint: string, budgets?: Budgets, deletes = new RunDeletes()): UserProvider {
  const client = new BrazeClient({ endpoint, apiKey: DEVELOPMENT_API_KEY, sleep: async () => {}, random: () => 0 });
  return new UserProvider(new BrazeUsersApi(client, { maxObjectsPerRequest: 75, capScope: "per-array" }), { budgets, deletes, sleep: async () => {} });
}

const grace = (seats: number) => ({
  externalId: "u-grace",
  alias: { name: "grace", label: "qa" },
  attributes: { first_name: "Grace", seats },
  subscriptionGroups: {},
});
const aliasOnly = (seats: number) => ({ alias: { name: "grace", label: "qa" }, attributes: { first_name: "Grace", seats }, subscriptionGroups: {} });

async function exportExternalId(braze: TestServer, externalId: string): Promise<any> {
  const answer = await braze.post("/users/export/ids", { external_ids: [externalId] });
  return answer.body.users[0];
}

interface Context {
  braze: TestServer;
}

const Identified = suite<Context>("BrazeUser provider: identified users");

Identified.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ rateLimit: "100000/1" });
});
Identified.after.each(async (context) => context.braze.close());

Identified("create sends one object by external_id that may create the user, then attaches its alias by external_id", async (context) => {
  const { id, outs } = await providerFor(context.braze.url).create(grace(1));
  assert.is(id, "external_id u-grace");
  assert.equal(outs, grace(1));
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/track", body: { attributes: [{ external_id: "u-grace", _update_existing_only: false, first_name: "Grace", seats: 1 }] } },
    { path: "/users/alias/new", body: { user_aliases: [{ external_id: "u-grace", alias_name: "grace", alias_label: "qa" }] } },
  ]);
  const held = await exportExternalId(context.braze, "u-grace");
  assert.equal(held.user_aliases, [{ alias_name: "grace", alias_label: "qa" }]);
  assert.is(held.custom_attributes.seats, 1);
});

Identified("update sends only the changed attribute, by external_id, to existing users only", async (context) => {
  const provider = providerFor(context.braze.url);
  const { outs } = await provider.create(grace(1));
  await context.braze.newRequests();
  assert.equal(provider.diff(outs as never, grace(2)), { changes: true, replaces: [], deleteBeforeReplace: false });
  assert.equal(provider.diff(outs as never, grace(1)).changes, false, "the same state is no change");
  assert.equal((await provider.update("external_id u-grace", outs as never, grace(2))).outs, grace(2));
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/track", body: { attributes: [{ external_id: "u-grace", _update_existing_only: true, seats: 2 }] } },
  ]);
});

Identified("refresh reads an identified user's groups back by external_id; an alias-only user's are kept and said to be unread", async (context) => {
  const provider = providerFor(context.braze.url);
  const withGroups = { ...grace(1), subscriptionGroups: { news: "subscribed" as const, offers: "unsubscribed" as const } };
  const { outs } = await provider.create(withGroups);
  // Changed outside the stack.
  await context.braze.post("/users/track", {
    attributes: [{ external_id: "u-grace", subscription_groups: [{ subscription_group_id: "news", subscription_state: "unsubscribed" }] }],
  });
  await context.braze.newRequests();
  const read = await provider.read("external_id u-grace", { name: "grace", ...(outs as object) });
  assert.equal(read.props?.subscriptionGroups, { news: "unsubscribed", offers: "unsubscribed" });
  assert.is(read.groupsUnread, undefined);
  assert.equal((await context.braze.newRequests()).filter((request) => request.path === "/subscription/status/get").length, 2, "one request per group");

  const alias = { ...aliasOnly(1), alias: { name: "hopper", label: "qa" }, subscriptionGroups: { news: "subscribed" as const } };
  const created = await provider.create(alias);
  const aliasRead = await provider.read(created.id, { name: "hopper", ...(created.outs as object) });
  assert.equal(aliasRead.props?.subscriptionGroups, { news: "subscribed" }, "kept as recorded");
  assert.match(aliasRead.groupsUnread ?? "", /^subscription groups of 1 alias-only user could not be read \(BrazeUser "hopper"\)/);
});

Identified("an identified user deleted outside Pulumi is not recreated by an update, and refresh by external_id reports it gone", async (context) => {
  const provider = providerFor(context.braze.url);
  const { outs } = await provider.create(grace(1));
  assert.equal(await provider.read("external_id u-grace", outs as never), { id: "external_id u-grace", props: grace(1) });
  await context.braze.post("/users/delete", { external_ids: ["u-grace"] });
  await provider.update("external_id u-grace", outs as never, grace(2));
  assert.equal(await context.braze.users(), [], "no user holding only the delta");
  await context.braze.newRequests();
  assert.equal(await provider.read("external_id u-grace", outs as never), {});
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/export/ids", body: { external_ids: ["u-grace"], fields_to_export: ["custom_attributes", "external_id", "first_name", "user_aliases"] } },
  ]);
});

Identified("an alias-only user given an external_id is identified in place: one /users/identify, no delete, its data kept", async (context) => {
  const provider = providerFor(context.braze.url);
  const { id, outs } = await provider.create({ ...aliasOnly(1), attributes: { ...aliasOnly(1).attributes, tier: "gold" } });
  await context.braze.newRequests();
  const desired = { ...grace(2), attributes: { ...grace(2).attributes, tier: "gold" } };
  assert.is(provider.diff(outs as never, desired).replaces.length, 0, "not a replacement");
  assert.equal((await provider.update(id, outs as never, desired)).outs, desired);
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/export/ids", body: { external_ids: ["u-grace"], fields_to_export: ["external_id", "user_aliases"] } },
    { path: "/users/identify", body: { aliases_to_identify: [{ external_id: "u-grace", user_alias: { alias_name: "grace", alias_label: "qa" } }] } },
    { path: "/users/track", body: { attributes: [{ external_id: "u-grace", _update_existing_only: true, seats: 2 }] } },
  ]);
  const users = await context.braze.users();
  assert.is(users.length, 1, "one profile, identified in place");
  const held = await exportExternalId(context.braze, "u-grace");
  assert.equal(held.custom_attributes, { seats: 2, tier: "gold" }, "the alias-only user's data is kept");
});

Identified("delete removes the user by external_ids, once", async (context) => {
  const provider = providerFor(context.braze.url);
  const { outs } = await provider.create(grace(1));
  await context.braze.newRequests();
  await provider.delete(outs as never);
  assert.equal(await context.braze.newRequests(), [{ path: "/users/delete", body: { external_ids: ["u-grace"] } }]);
  assert.equal(await context.braze.users(), []);
});

Identified("identity changes the set refuses are refused at diff and update, before anything is sent", async (context) => {
  const provider = providerFor(context.braze.url);
  const { outs } = await provider.create(grace(1));
  await context.braze.newRequests();
  const removed = { name: "grace", ...aliasOnly(1) };
  const atDiff = (() => {
    try {
      provider.diff(outs as never, removed);
    } catch (error) {
      return error;
    }
  })();
  assert.instance(atDiff, IdentityRefusedError);
  assert.match((atDiff as Error).message, /^BrazeUser "grace": nothing was sent: external_id "u-grace" was removed: Braze keeps an external_id for good/);
  const renamedWithAlias = { name: "grace", ...grace(1), externalId: "u-other", alias: { name: "gracie", label: "qa" } };
  const atUpdate = await provider.update("external_id u-grace", outs as never, renamedWithAlias).catch((error) => error);
  assert.instance(atUpdate, IdentityRefusedError);
  assert.match(
    atUpdate.message,
    /external_id changed from "u-grace" to "u-other" while its alias changed from qa\/grace to qa\/gracie: Braze renames one identifier at a time/,
  );
  assert.equal(await context.braze.newRequests(), []);
});

Identified(
  "an external_id changed under the same resource is renamed in place: both ids read, one rename, the delta by the new id, one remove",
  async (context) => {
    const provider = providerFor(context.braze.url);
    const { id, outs } = await provider.create(grace(1));
    await context.braze.newRequests();
    const renamed = { ...grace(2), externalId: "u-grace-2" };
    assert.equal(provider.diff(outs as never, renamed), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.equal((await provider.update(id, outs as never, renamed)).outs, renamed);
    const requests = await context.braze.newRequests();
    assert.equal(
      requests
        .slice(0, 2)
        .map((request: any) => request.body)
        .sort((a: any, b: any) => a.external_ids[0].localeCompare(b.external_ids[0])),
      [
        { external_ids: ["u-grace"], fields_to_export: ["braze_id", "external_id", "user_aliases"] },
        { external_ids: ["u-grace-2"], fields_to_export: ["braze_id", "external_id", "user_aliases"] },
      ],
      "both ids are read first",
    );
    assert.equal(requests.slice(2), [
      { path: "/users/external_ids/rename", body: { external_id_renames: [{ current_external_id: "u-grace", new_external_id: "u-grace-2" }] } },
      { path: "/users/track", body: { attributes: [{ external_id: "u-grace-2", _update_existing_only: true, seats: 2 }] } },
      { path: "/users/external_ids/remove", body: { external_ids: ["u-grace"] } },
    ]);
    const users = await context.braze.users();
    assert.is(users.length, 1, "one profile, renamed in place");
    const held = await exportExternalId(context.braze, "u-grace-2");
    assert.equal(held.user_aliases, [{ alias_name: "grace", alias_label: "qa" }], "its alias kept");
    assert.equal(held.custom_attributes, { seats: 2 }, "its data kept and updated");
    assert.is(await exportExternalId(context.braze, "u-grace"), undefined, "the old id no longer addresses it");
  },
);

Identified("a rename onto an external_id another profile holds fails with nothing else sent, the old id kept in the outputs", async (context) => {
  const provider = providerFor(context.braze.url);
  const { id, outs } = await provider.create(grace(1));
  await context.braze.post("/users/track", { attributes: [{ external_id: "u-taken", first_name: "Other" }] });
  await context.braze.newRequests();
  const failure = await provider.update(id, outs as never, { name: "grace", ...grace(2), externalId: "u-taken" }).catch((error) => error);
  assert.instance(failure, PartialFailure);
  assert.match(
    failure.message,
    /^BrazeUser "grace": cannot rename external_id "u-grace" to "u-taken": Braze already has another user with that external_id \(braze_id [^)]+\)\. Delete that user or choose another external_id/,
  );
  assert.equal(failure.properties, grace(1), "the outputs keep the old id and what Braze holds");
  assert.equal(
    (await context.braze.newRequests()).map((request: any) => request.path),
    ["/users/export/ids", "/users/export/ids"],
    "only the two reads",
  );
  assert.is((await exportExternalId(context.braze, "u-grace")).custom_attributes.seats, 1);
});

Identified.run();

const Addressed = suite<Context>("BrazeUser provider: email-only and phone-only users");

Addressed.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ rateLimit: "100000/1" });
});
Addressed.after.each(async (context) => context.braze.close());

const ana = (seats: number) => ({ email: "ana@example.com", attributes: { first_name: "Ana", seats }, subscriptionGroups: {} });

Addressed("an email-only user is created by email, updated by email for existing users only, and deleted by email with prioritization", async (context) => {
  const provider = providerFor(context.braze.url);
  const { id, outs } = await provider.create(ana(1));
  assert.is(id, "email ana@example.com");
  assert.equal(outs, ana(1));
  assert.equal(provider.diff(outs as never, ana(2)), { changes: true, replaces: [], deleteBeforeReplace: false });
  assert.equal((await provider.update(id, outs as never, ana(2))).outs, ana(2));
  assert.equal(await provider.read(id, ana(2)), { id, props: ana(2) }, "read back by its address");
  await provider.delete(ana(2));
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/track", body: { attributes: [{ email: "ana@example.com", _update_existing_only: false, first_name: "Ana", seats: 1 }] } },
    { path: "/users/track", body: { attributes: [{ email: "ana@example.com", _update_existing_only: true, seats: 2 }] } },
    { path: "/users/export/ids", body: { email_address: "ana@example.com", fields_to_export: ["custom_attributes", "external_id", "first_name"] } },
    {
      path: "/users/delete",
      body: { email_addresses: [{ email: "ana@example.com", prioritization: ["unidentified", "most_recently_updated"] }] },
    },
  ]);
  assert.equal(await context.braze.users(), []);
});

Addressed("a phone-only user is created by phone", async (context) => {
  const provider = providerFor(context.braze.url);
  const bo = { phone: "+15555550100", attributes: { first_name: "Bo" }, subscriptionGroups: {} };
  const { id, outs } = await provider.create(bo);
  assert.is(id, "phone +15555550100");
  assert.equal(outs, bo);
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/track", body: { attributes: [{ phone: "+15555550100", _update_existing_only: false, first_name: "Bo" }] } },
  ]);
});

Addressed("refresh of an email-only user whose address two profiles hold fails naming the resource and the address", async (context) => {
  const provider = providerFor(context.braze.url);
  const { id } = await provider.create({ name: "ana", ...ana(1) });
  await context.braze.post("/users/track", { attributes: [{ external_id: "u-other", email: "ana@example.com" }] });
  const failure = await provider.read(id, { name: "ana", ...ana(1) }).catch((error) => error);
  assert.instance(failure, SharedAddressError);
  assert.match(failure.message, /^BrazeUser "ana": 2 Braze profiles hold email ana@example\.com, so which one is this user cannot be told/);
});

Addressed("an email-only user given an external_id is identified in place: one /users/identify by email, no delete, its data kept", async (context) => {
  const provider = providerFor(context.braze.url);
  const { id, outs } = await provider.create({ ...ana(1), attributes: { ...ana(1).attributes, tier: "gold" } });
  await context.braze.newRequests();
  const desired = { externalId: "u-ana", attributes: { email: "ana@example.com", first_name: "Ana", seats: 2, tier: "gold" }, subscriptionGroups: {} };
  assert.is(provider.diff(outs as never, desired).replaces.length, 0, "not a replacement");
  assert.equal((await provider.update(id, outs as never, desired)).outs, desired);
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((request: any) => request.path),
    ["/users/export/ids", "/users/identify", "/users/track"],
  );
  assert.equal(requests[1].body, {
    emails_to_identify: [{ external_id: "u-ana", email: "ana@example.com", prioritization: ["unidentified", "most_recently_updated"] }],
  });
  assert.is((await context.braze.users()).length, 1, "one profile, identified in place");
  assert.equal((await exportExternalId(context.braze, "u-ana")).custom_attributes, { seats: 2, tier: "gold" }, "its data is kept");
});

Addressed.run();

const Deletes = suite<Context>("BrazeUser provider: braze:maxDeletes spans the deletes of one run");

Deletes.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ rateLimit: "100000/1" });
});
Deletes.after.each(async (context) => context.braze.close());

const member = (n: number) => ({ name: `u-${n}`, externalId: `u-${n}`, attributes: { seats: n }, subscriptionGroups: {} });

Deletes("deletes beyond braze:maxDeletes in one run are refused, with how to allow them, and those users stay", async (context) => {
  const provider = providerFor(context.braze.url, { maxDeletes: 2 });
  for (const n of [1, 2, 3, 4]) await provider.create(member(n));
  // As the engine runs them: in parallel, each its own Delete call.
  const outcomes = await Promise.allSettled([1, 2, 3, 4].map((n) => provider.delete(member(n))));
  const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected").map((outcome) => outcome.reason);
  assert.is(refused.length, 2);
  for (const error of refused) assert.instance(error, BudgetExceededError);
  assert.match(
    refused[0].message,
    /^BrazeUser "u-\d": nothing was sent: the plan goes over this run's budget\nit would delete more than 2 users in this run \(2 BrazeUser deletes were let through already\) and braze:maxDeletes is 2; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=<how many users> pulumi destroy"/,
  );
  assert.is((await context.braze.users()).length, 2, "the users beyond the limit are still in Braze");
});

Deletes("BRAZE_PROFILES_ALLOW_DELETES lets this one run delete more", async (context) => {
  const provider = providerFor(context.braze.url, { maxDeletes: 2, allowDeletes: 4 });
  for (const n of [1, 2, 3, 4]) await provider.create(member(n));
  await Promise.all([1, 2, 3, 4].map((n) => provider.delete(member(n))));
  assert.equal(await context.braze.users(), []);
});

Deletes("a new run counts afresh, and a user declared elsewhere is not deleted, so not counted", async (context) => {
  const first = providerFor(context.braze.url, { maxDeletes: 1 });
  for (const n of [1, 2, 3]) await first.create(member(n));
  first.check({ ...member(3), name: "u-3-moved" });
  await first.delete(member(3)); // still declared by u-3-moved: kept, not counted
  await first.delete(member(1));
  assert.instance(await first.delete(member(2)).catch((error) => error), BudgetExceededError);
  await providerFor(context.braze.url, { maxDeletes: 1 }).delete(member(2));
  assert.equal(
    (await context.braze.users()).map((user: any) => user.external_id),
    ["u-3"],
  );
});

Deletes("a replacement over the limit is refused at diff, so preview fails before the up deletes anything", async (context) => {
  const provider = providerFor(context.braze.url, { maxDeletes: 0 });
  const kim = (label: string) => ({ name: "kim", alias: { name: "kim", label }, attributes: {}, subscriptionGroups: {} });
  const refused = (() => {
    try {
      provider.diff(kim("qa"), kim("vip"));
    } catch (error) {
      return error;
    }
  })();
  assert.instance(refused, BudgetExceededError);
  assert.equal(await context.braze.requests(), []);
});

Deletes.run();
