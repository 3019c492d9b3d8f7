// Which user an object of /users/track reaches, and when it may create one.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { alias, aliasObject, assertErrorEntries, startTestServer, type TestServer } from "./local-server";

type Context = { braze: TestServer };
const setup = (unit: ReturnType<typeof suite<Context>>) => {
  unit.before(async (context) => {
    context.braze = await startTestServer();
  });
  unit.after(async (context) => context.braze.close());
  unit.before.each(async (context) => context.braze.reset());
};

const Identifiers = suite<Context>("identifiers and precedence");
setup(Identifiers);

Identifiers("an object without an identifier is a non-fatal error; the valid objects are still applied", async ({ braze }) => {
  const answer = await braze.post("/users/track", { attributes: [{ first_name: "Nobody" }, { external_id: "u1", first_name: "Una" }] });
  assert.is(answer.status, 201);
  assert.is(answer.body.attributes_processed, 1);
  assertErrorEntries(answer.body.errors, [{ input_array: "attributes", index: 0, type: /is required/ }]);
  assert.equal(
    (await braze.users()).map((user: any) => user.external_id),
    ["u1"],
  );
});

Identifiers("external_id, user_alias and braze_id exclude one another in one object", async ({ braze }) => {
  const answer = await braze.post("/users/track", {
    attributes: [{ external_id: "u1", user_alias: alias("ada"), _update_existing_only: false, plan: "x" }, { external_id: "u2" }],
  });
  assertErrorEntries(answer.body.errors, [{ input_array: "attributes", index: 0, type: /only one of/ }]);
  assert.equal(
    (await braze.users()).map((user: any) => user.external_id),
    ["u2"],
  );
});

Identifiers("with both email and phone, the email identifies the user and the phone is set on it", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [{ email: "a@example.com", plan: "one" }] });
  await braze.post("/users/track", { attributes: [{ email: "a@example.com", phone: "+15550000001", plan: "two" }] });
  const users = await braze.users();
  assert.is(users.length, 1);
  assert.equal([users[0].email, users[0].phone, users[0].custom.plan], ["a@example.com", "+15550000001", "two"]);
});

Identifiers("an invalid phone number cannot identify a user", async ({ braze }) => {
  const answer = await braze.post("/users/track", { attributes: [{ phone: "12", plan: "x" }] });
  assert.is(answer.status, 400);
  assertErrorEntries(answer.body.errors, [{ input_array: "attributes", index: 0, type: /valid phone/ }]);
});

Identifiers("email lookup prefers the most recently updated profile with an external_id, else the most recently updated", async ({ braze }) => {
  const post = (object: object) => braze.post("/users/track", { attributes: [object] });
  await post({ email: "s@example.com", tag: "email-only" }); // email-only profile
  await post({ external_id: "older", email: "s@example.com" });
  await post({ external_id: "newer", email: "s@example.com" });
  await post({ user_alias: alias("late"), _update_existing_only: false, email: "s@example.com" }); // most recent, no external_id
  await post({ email: "s@example.com", hit: 1 });
  const hits = (await braze.users()).filter((user: any) => user.custom.hit === 1).map((user: any) => user.external_id);
  assert.equal(hits, ["newer"]);
  await post({ external_id: "older", first_name: "Old" }); // now the most recently updated identified one
  await post({ email: "s@example.com", hit: 2 });
  assert.equal(
    (await braze.users()).filter((user: any) => user.custom.hit === 2).map((user: any) => user.external_id),
    ["older"],
  );
});

Identifiers("without any identified profile, the most recently updated one with the email gets the update", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [aliasObject("a", { email: "n@example.com" }), aliasObject("b", { email: "n@example.com" })] });
  await braze.post("/users/track", { attributes: [{ email: "n@example.com", hit: true }] });
  const hit = (await braze.users()).filter((user: any) => user.custom.hit).map((user: any) => user.user_aliases[0].alias_name);
  assert.equal(hit, ["b"]);
});

Identifiers.run();

const Creation = suite<Context>("_update_existing_only and who may be created");
setup(Creation);

Creation("an alias-only user is created only when _update_existing_only is false", async ({ braze }) => {
  const answer = await braze.post("/users/track", {
    attributes: [
      { user_alias: alias("omitted"), plan: "x" },
      { user_alias: alias("true"), _update_existing_only: true, plan: "x" },
      { user_alias: alias("false"), _update_existing_only: false, plan: "x" },
    ],
  });
  assert.equal(answer.body, { message: "success", attributes_processed: 3 }, "objects for unknown aliases are accepted, as at Braze");
  assert.equal(
    (await braze.users()).map((user: any) => user.user_aliases[0].alias_name),
    ["false"],
  );
  await braze.post("/users/track", { attributes: [{ user_alias: alias("false"), plan: "y" }] });
  assert.is((await braze.users())[0].custom.plan, "y", "an existing alias-only user is updated without the flag");
});

Creation("an external_id creates its user unless _update_existing_only is true", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [{ external_id: "made" }, { external_id: "skipped", _update_existing_only: true }] });
  assert.equal(
    (await braze.users()).map((user: any) => user.external_id),
    ["made"],
  );
});

Creation("a braze_id never creates a user, and reaches the one it names", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [{ external_id: "u1" }, { braze_id: "000000000000000000000000", plan: "x" }] });
  const [user] = await braze.users();
  await braze.post("/users/track", { attributes: [{ braze_id: user.braze_id, plan: "y" }] });
  const users = await braze.users();
  assert.equal(
    users.map((stored: any) => [stored.external_id, stored.custom.plan]),
    [["u1", "y"]],
  );
});

Creation("events and purchases never create an alias-only user, even with _update_existing_only false", async ({ braze }) => {
  const answer = await braze.post("/users/track", {
    events: [{ user_alias: alias("ghost"), _update_existing_only: false, name: "e", time: "2020-01-01T00:00:00Z" }],
    purchases: [{ user_alias: alias("ghost"), _update_existing_only: false, product_id: "p", currency: "USD", price: 1, time: "2020-01-01T00:00:00Z" }],
  });
  assert.equal(answer.body, { message: "success", events_processed: 1, purchases_processed: 1 });
  assert.equal(await braze.users(), []);
});

Creation("events by external_id create the user; with an existing alias user they are recorded on it", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [aliasObject("ada")] });
  await braze.post("/users/track", {
    events: [
      { external_id: "u9", name: "signed_up", time: "2020-01-01T00:00:00Z" },
      { user_alias: alias("ada"), name: "opened", time: "2020-01-02T00:00:00Z" },
    ],
  });
  const users = await braze.users();
  assert.equal(
    users.map((user: any) => [user.external_id, user.events.map((event: any) => event.name)]),
    [
      [null, ["opened"]],
      ["u9", ["signed_up"]],
    ],
  );
});

Creation.run();

const Subscriptions = suite<Context>("subscription groups and global subscription states");
setup(Subscriptions);

Subscriptions("subscription_groups set each group's state and leave other groups alone", async ({ braze }) => {
  const group = (id: string, state: string) => ({ subscription_group_id: id, subscription_state: state });
  await braze.post("/users/track", { attributes: [aliasObject("ada", { subscription_groups: [group("g1", "subscribed"), group("g2", "subscribed")] })] });
  await braze.post("/users/track", { attributes: [aliasObject("ada", { subscription_groups: [group("g2", "unsubscribed")] })] });
  assert.equal((await braze.users())[0].subscription_groups, { g1: "subscribed", g2: "unsubscribed" });
});

Subscriptions("a subscription change through an external_id applies to every user with the same email", async ({ braze }) => {
  await braze.post("/users/track", {
    attributes: [
      { external_id: "u1", email: "Same@example.com" },
      aliasObject("twin", { email: "same@example.com" }),
      aliasObject("other", { email: "other@example.com" }),
    ],
  });
  await braze.post("/users/track", {
    attributes: [
      { external_id: "u1", email_subscribe: "opted_in", subscription_groups: [{ subscription_group_id: "g1", subscription_state: "unsubscribed" }] },
    ],
  });
  const states = (await braze.users()).map((user: any) => [
    user.external_id ?? user.user_aliases[0].alias_name,
    user.email_subscribe ?? null,
    user.subscription_groups,
  ]);
  assert.equal(states, [
    ["u1", "opted_in", { g1: "unsubscribed" }],
    ["twin", "opted_in", { g1: "unsubscribed" }],
    ["other", null, {}],
  ]);
});

Subscriptions("a subscription change through an alias stays on that user", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [aliasObject("a", { email: "s@example.com" }), aliasObject("b", { email: "s@example.com" })] });
  await braze.post("/users/track", { attributes: [aliasObject("a", { email_subscribe: "unsubscribed" })] });
  assert.equal(
    (await braze.users()).map((user: any) => user.email_subscribe ?? null),
    ["unsubscribed", null],
  );
});

Subscriptions("an invalid subscription state refuses the object; the global states cannot be unset", async ({ braze }) => {
  const answer = await braze.post("/users/track", {
    attributes: [
      aliasObject("a", { subscription_groups: [{ subscription_group_id: "g1", subscription_state: "maybe" }] }),
      aliasObject("b", { email_subscribe: null }),
      aliasObject("c", { push_subscribe: "opted_in" }),
    ],
  });
  assertErrorEntries(answer.body.errors, [
    { input_array: "attributes", index: 0, type: /subscription_groups/ },
    { input_array: "attributes", index: 1, type: /email_subscribe/ },
  ]);
  const exported = await braze.exportAlias("qa", "c", ["push_subscribe", "email_subscribe"]);
  assert.equal(exported, { email_subscribe: "subscribed", push_subscribe: "opted_in" }, "exports show Braze's default for a state never set");
});

Subscriptions.run();
