// Identified users (external_id) in the root program's set, end to end: the
// real engine, braze-local, and the exact requests of each run.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LoggedRequest } from "../harness/local-braze";
import { planReport } from "../harness/plan-command";
import { recordedUsers, userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const rental = { id: "ada-rental", name: "rented_movie", time: "2024-05-01T10:00:00Z" };
const gold = { id: "ada-gold", product_id: "gold-plan", currency: "USD", price: 9.99, quantity: 1, time: "2024-05-02T10:00:00Z" };
const ada = { external_id: "u-ada", alias: { label: "qa", name: "ada" }, attributes: { first_name: "Ada", plan: "free" }, events: [rental], purchases: [gold] };
const bob = { external_id: "u-bob", attributes: { first_name: "Bob" } };

const Identified = suite<YamlStack>("identified users in a set");
const paths = (requests: LoggedRequest[]) => requests.map((request) => request.path);
const byPath = (requests: LoggedRequest[], path: string) => requests.filter((request) => request.path === path).map((request) => request.body);
const profile = async (stack: YamlStack, externalId: string) => (await stack.braze.users()).find((user) => user.external_id === externalId);

Identified.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "identified" }));
});
Identified.after(async (context) => context.close?.());

Identified("the plan shows identified users, their costs and the alias to attach", async (context) => {
  context.writeUsers([ada, bob]);
  const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.equal(
    report.changes.map((change) => [change.action, change.key, change.externalId, change.alias ?? null, change.dataPoints, change.sends]),
    [
      ["create", "u-ada", "u-ada", { label: "qa", name: "ada" }, 4, ["/users/track", "/users/alias/new", "/users/export/ids"]],
      ["create", "u-bob", "u-bob", null, 1, ["/users/track"]],
    ],
  );
  // ada's entries wait until Braze shows it: one more read, and a request of their own.
  assert.equal(report.requests, {
    "/users/track": 2,
    "/users/delete": 0,
    "/users/alias/update": 0,
    "/users/alias/new": 1,
    "/users/identify": 0,
    "/users/external_ids/rename": 0,
    "/users/external_ids/remove": 0,
    "/users/export/ids": 2,
    "/subscription/status/get": 0,
  });
});

Identified(
  "create: by external_id with _update_existing_only false, entries once Braze shows the user, then the alias attached to the profile",
  async (context) => {
    await context.braze.newRequests();
    await context.stack.up();
    const requests = await context.braze.newRequests();
    assert.equal(paths(requests), ["/users/export/ids", "/users/track", "/users/export/ids", "/users/track", "/users/alias/new"]);
    const [attributes, track] = byPath(requests, "/users/track") as Array<Record<string, unknown>>;
    assert.equal(attributes, {
      attributes: [
        { external_id: "u-ada", _update_existing_only: false, first_name: "Ada", plan: "free" },
        { external_id: "u-bob", _update_existing_only: false, first_name: "Bob" },
      ],
    });
    assert.equal(track, {
      events: [{ external_id: "u-ada", _update_existing_only: true, name: "rented_movie", time: "2024-05-01T10:00:00Z" }],
      purchases: [
        { external_id: "u-ada", _update_existing_only: true, product_id: "gold-plan", currency: "USD", price: 9.99, quantity: 1, time: "2024-05-02T10:00:00Z" },
      ],
    });
    assert.equal(byPath(requests, "/users/alias/new"), [{ user_aliases: [{ external_id: "u-ada", alias_name: "ada", alias_label: "qa" }] }]);
    const held = await profile(context, "u-ada");
    assert.equal(held?.user_aliases, [{ alias_name: "ada", alias_label: "qa" }], "the alias is on the identified profile, not a second one");
    assert.is((await context.braze.users()).length, 2);
    assert.equal([...recordedUsers(await context.stack.exportState()).keys()].sort(), ["u-ada", "u-bob"]);
  },
);

Identified("the same file again: no change previewed, no request", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.equal(await context.braze.newRequests(), []);
});

Identified("one attribute changed: exactly that object, by external_id, _update_existing_only true; events not sent again", async (context) => {
  context.writeUsers([{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }, bob]);
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(paths(requests), ["/users/track"]);
  assert.equal(requests[0].body, { attributes: [{ external_id: "u-ada", _update_existing_only: true, plan: "pro" }] });
});

Identified("a profile deleted outside the stack: the update skips it, refresh reports it missing, nothing recreates it partially", async (context) => {
  await context.braze.post("/users/delete", { external_ids: ["u-bob"] });
  context.writeUsers([
    { ...ada, attributes: { first_name: "Ada", plan: "pro" } },
    { ...bob, attributes: { first_name: "Bobby" } },
  ]);
  await context.braze.newRequests();
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((request) => [request.path, request.body]),
    [["/users/track", { attributes: [{ external_id: "u-bob", _update_existing_only: true, first_name: "Bobby" }] }]],
  );
  assert.is(await profile(context, "u-bob"), undefined, "not recreated holding only the delta");
  await context.stack.refresh();
  const exports = await context.braze.newRequests();
  assert.equal(paths(exports), ["/users/export/ids"]);
  assert.equal((exports[0].body as { external_ids: string[] }).external_ids, ["u-ada", "u-bob"]);
  const [set] = userSets(await context.stack.exportState());
  assert.equal(set.outputs.drift, { "u-bob": { user: "Braze holds no such user, the file wants it" } });
  // The next up creates it whole.
  await context.stack.up();
  const recreate = await context.braze.newRequests();
  assert.equal(
    recreate.map((request) => [request.path, request.body]),
    [["/users/track", { attributes: [{ external_id: "u-bob", _update_existing_only: false, first_name: "Bobby" }] }]],
  );
});

Identified("a removed identified user: exactly one /users/delete by external_ids", async (context) => {
  context.writeUsers([{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }]);
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((request) => [request.path, request.body]),
    [["/users/delete", { external_ids: ["u-bob"] }]],
  );
  assert.is(await profile(context, "u-bob"), undefined);
});

Identified(
  "an alias-only user that gains an external_id under the same key is identified in place: one /users/identify, nothing deleted, its data kept",
  async (context) => {
    const carol = {
      key: "carol",
      alias: { label: "qa", name: "carol" },
      attributes: { first_name: "Carol" },
      events: [{ id: "carol-rental", name: "rented_movie", time: "2024-05-03T10:00:00Z" }],
    };
    context.writeUsers([{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }, carol]);
    await context.stack.up();
    await context.braze.newRequests();
    const before = await context.braze.userByAlias("qa", "carol");
    context.writeUsers([
      { ...ada, attributes: { first_name: "Ada", plan: "pro" } },
      { ...carol, external_id: "u-carol" },
    ]);
    const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
    assert.equal(
      report.changes.map((change) => [change.action, change.key, change.externalId, change.dataPoints, change.sends]),
      [["identify", "carol", "u-carol", 0, ["/users/identify", "/users/export/ids"]]],
    );
    await context.braze.newRequests();
    await context.stack.up();
    const requests = await context.braze.newRequests();
    assert.equal(
      requests.map((request) => [request.path, request.body]),
      [
        ["/users/export/ids", { external_ids: ["u-carol"], fields_to_export: ["external_id", "user_aliases"] }],
        ["/users/identify", { aliases_to_identify: [{ external_id: "u-carol", user_alias: { alias_name: "carol", alias_label: "qa" } }] }],
      ],
      "checked, then identified; no /users/delete, no /users/track",
    );
    const after = await context.braze.userByAlias("qa", "carol");
    assert.is(after.raw.external_id, "u-carol");
    assert.is(after.raw.braze_id, before.raw.braze_id, "the same profile");
    assert.equal(after.attributes.first_name, "Carol");
    assert.is((after.raw.events as unknown[]).length, 1, "its event is kept");
    const exported = (await context.braze.post("/users/export/ids", { external_ids: ["u-carol"], fields_to_export: ["external_id", "user_aliases"] })) as {
      users: Array<Record<string, unknown>>;
    };
    assert.equal(exported.users, [{ external_id: "u-carol", user_aliases: [{ alias_name: "carol", alias_label: "qa" }] }]);
    await context.braze.newRequests();
    await context.stack.preview({ expectNoChanges: true });
    await context.stack.up();
    assert.equal(await context.braze.newRequests(), [], "the next up sends nothing");
  },
);

Identified("an alias-only user given an external_id and a new alias is refused before anything is sent", async (context) => {
  context.writeUsers([
    { ...ada, attributes: { first_name: "Ada", plan: "pro" } },
    { key: "dora", alias: { label: "qa", name: "dora" } },
  ]);
  await context.stack.up();
  await context.braze.newRequests();
  context.writeUsers([
    { ...ada, attributes: { first_name: "Ada", plan: "pro" } },
    { key: "dora", external_id: "u-dora", alias: { label: "qa", name: "dora-2" } },
  ]);
  const failed = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failed, "the up fails");
  assert.match(String(failed?.message), /Braze identifies an alias-only user only under the alias it has/);
  assert.equal(await context.braze.newRequests(), []);
});

Identified.run();
