// /users/export/ids, /users/delete, /users/alias/new, /users/alias/update and /users/identify.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { alias, aliasObject, assertErrorEntries, startTestServer, type TestServer } from "./local-server";

type Context = { braze: TestServer };
const Endpoints = suite<Context>("user-data endpoints besides track");
Endpoints.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: ["dev", "track-only:users.track"] });
});
Endpoints.after(async (context) => context.braze.close());
Endpoints.before.each(async (context) => {
  await context.braze.reset();
  await context.braze.post(
    "/users/track",
    {
      attributes: [
        aliasObject("ada", { first_name: "Ada", email: "ada@example.com", plan: "pro" }),
        aliasObject("bob", { first_name: "Bob" }),
        { external_id: "e1", phone: "+15550001111", first_name: "Eve" },
      ],
    },
    "dev",
  );
});

Endpoints("export by user_aliases returns the fields asked for; unknown external_ids are listed as invalid", async ({ braze }) => {
  const answer = await braze.post(
    "/users/export/ids",
    { user_aliases: [alias("bob"), alias("nobody")], external_ids: ["e1", "ghost"], fields_to_export: ["first_name", "user_aliases", "external_id"] },
    "dev",
  );
  assert.equal(answer.body, {
    users: [
      { external_id: "e1", first_name: "Eve" },
      { user_aliases: [alias("bob")], first_name: "Bob" },
    ],
    message: "success",
    invalid_user_ids: ["ghost"],
  });
});

Endpoints("export by email_address, phone and braze_id; an unknown fields_to_export entry is a 400", async ({ braze }) => {
  const byEmail = await braze.post("/users/export/ids", { email_address: "ADA@example.com", fields_to_export: ["first_name"] }, "dev");
  assert.equal(byEmail.body.users, [{ first_name: "Ada" }]);
  const byPhone = await braze.post("/users/export/ids", { phone: "+1 555 000 1111", fields_to_export: ["braze_id", "first_name"] }, "dev");
  assert.equal(
    byPhone.body.users.map((user: any) => user.first_name),
    ["Eve"],
  );
  const byBrazeId = await braze.post("/users/export/ids", { braze_id: byPhone.body.users[0].braze_id, fields_to_export: ["external_id"] }, "dev");
  assert.equal(byBrazeId.body.users, [{ external_id: "e1" }]);
  const bad = await braze.post("/users/export/ids", { external_ids: ["e1"], fields_to_export: ["first_nam"] }, "dev");
  assert.equal([bad.status, bad.body.message], [400, "unknown 'fields_to_export': first_nam"]);
  assert.is((await braze.post("/users/export/ids", { email_address: "a@b.c", phone: "+15550001111" }, "dev")).status, 400, "only one of email_address/phone");
  assert.is((await braze.post("/users/export/ids", {}, "dev")).status, 400);
});

Endpoints("delete by user_aliases removes exactly those users with their aliases; an unknown alias deletes nothing", async ({ braze }) => {
  const answer = await braze.post("/users/delete", { user_aliases: [alias("bob"), alias("nobody")] }, "dev");
  assert.equal([answer.status, answer.body], [201, { deleted: 2, message: "success" }]);
  const left = (await braze.users()).map((user: any) => user.user_aliases[0]?.alias_name ?? user.external_id);
  assert.equal(left, ["ada", "e1"]);
  await braze.post("/users/track", { attributes: [{ user_alias: alias("bob"), plan: "x" }] }, "dev");
  assert.is((await braze.users()).length, 2, "bob's alias is free again and does not reach anyone");
});

Endpoints("delete by external_ids and by email with prioritization", async ({ braze }) => {
  // Braze takes one kind of identifier per /users/delete request.
  assert.is((await braze.post("/users/delete", { external_ids: ["e1"] }, "dev")).status, 201);
  assert.is(
    (await braze.post("/users/delete", { email_addresses: [{ email: "ada@example.com", prioritization: ["unidentified", "most_recently_updated"] }] }, "dev"))
      .status,
    201,
  );
  assert.equal(
    (await braze.users()).map((user: any) => user.user_aliases[0].alias_name),
    ["bob"],
  );
});

Endpoints("alias/update renames an alias within its label; an unknown old name changes nothing", async ({ braze }) => {
  const answer = await braze.post(
    "/users/alias/update",
    {
      alias_updates: [
        { alias_label: "qa", old_alias_name: "ada", new_alias_name: "ada2" },
        { alias_label: "qa", old_alias_name: "zed", new_alias_name: "zed2" },
      ],
    },
    "dev",
  );
  assert.equal([answer.status, answer.body], [201, { message: "success" }]);
  const user = await braze.exportAlias("qa", "ada2", ["user_aliases", "first_name"]);
  assert.equal(user, { user_aliases: [alias("ada2")], first_name: "Ada" });
  assert.equal((await braze.post("/users/export/ids", { user_aliases: [alias("ada")] }, "dev")).body.users, []);
});

Endpoints("alias/update to a name another user holds is a non-fatal error and changes nothing", async ({ braze }) => {
  const answer = await braze.post("/users/alias/update", { alias_updates: [{ alias_label: "qa", old_alias_name: "ada", new_alias_name: "bob" }] }, "dev");
  assertErrorEntries(answer.body.errors, [{ input_array: "alias_updates", index: 0, type: /already belongs/ }]);
  assert.is((await braze.exportAlias("qa", "ada", ["first_name"])).first_name, "Ada");
});

Endpoints("alias/new creates an alias-only user, or adds the alias to a known external_id", async ({ braze }) => {
  const answer = await braze.post(
    "/users/alias/new",
    {
      user_aliases: [
        { alias_name: "new", alias_label: "qa" },
        { alias_name: "eve", alias_label: "crm", external_id: "e1" },
      ],
    },
    "dev",
  );
  assert.equal(answer.body, { aliases_processed: 2, message: "success" });
  assert.equal(await braze.exportAlias("qa", "new", ["user_aliases", "external_id"]), { user_aliases: [alias("new")] });
  assert.equal(await braze.exportAlias("crm", "eve", ["external_id"]), { external_id: "e1" });
});

Endpoints("identify gives an alias-only user an unknown external_id, and merges it into a known one", async ({ braze }) => {
  await braze.post("/users/identify", { aliases_to_identify: [{ external_id: "bob-id", user_alias: alias("bob") }] }, "dev");
  assert.equal(await braze.exportAlias("qa", "bob", ["external_id", "first_name"]), { external_id: "bob-id", first_name: "Bob" });
  const answer = await braze.post("/users/identify", { aliases_to_identify: [{ external_id: "e1", user_alias: alias("ada") }] }, "dev");
  assert.equal(answer.body, { aliases_processed: 1, message: "success" });
  const merged = await braze.post(
    "/users/export/ids",
    { external_ids: ["e1"], fields_to_export: ["first_name", "email", "user_aliases", "custom_attributes"] },
    "dev",
  );
  assert.equal(merged.body.users, [{ user_aliases: [alias("ada")], first_name: "Eve", email: "ada@example.com", custom_attributes: { plan: "pro" } }]);
  assert.is((await braze.users()).length, 2);
});

Endpoints("each endpoint needs its own permission", async ({ braze }) => {
  for (const [route, body] of [
    ["/users/export/ids", { external_ids: ["e1"] }],
    ["/users/delete", { external_ids: ["e1"] }],
    ["/users/alias/new", { user_aliases: [alias("x")] }],
    ["/users/alias/update", { alias_updates: [{ alias_label: "qa", old_alias_name: "ada", new_alias_name: "z" }] }],
    ["/users/identify", { aliases_to_identify: [{ external_id: "z", user_alias: alias("ada") }] }],
  ] as const) {
    assert.is((await braze.post(route, body, "track-only")).status, 403, route);
  }
  assert.is((await braze.users()).length, 3);
});

Endpoints.run();
