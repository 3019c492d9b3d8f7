// Identified users (external_id), email-only and phone-only profiles, aliases on
// them, and their push tokens, as the provider will rely on them.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { alias, aliasObject, assertErrorEntries, startTestServer, type TestServer } from "./local-server";

type Context = { braze: TestServer };
const Identified = suite<Context>("identified, email-only and phone-only users");
Identified.before(async (context) => {
  context.braze = await startTestServer();
});
Identified.after(async (context) => context.braze.close());
Identified.before.each(async (context) => context.braze.reset());

const track = async (braze: TestServer, body: unknown) => {
  const answer = await braze.post("/users/track", body);
  assert.is(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
};
const exportBy = async (braze: TestServer, body: Record<string, unknown>, fields: string[]) => {
  const answer = await braze.post("/users/export/ids", { ...body, fields_to_export: fields });
  assert.is(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
};

Identified("by external_id, _update_existing_only false creates; true skips an unknown id with a plain success and updates a known one", async ({ braze }) => {
  assert.equal(await track(braze, { attributes: [{ external_id: "e1", _update_existing_only: false, first_name: "Ada" }] }), {
    message: "success",
    attributes_processed: 1,
  });
  // Braze queues the object and answers before it knows the id is unknown: no error entry says it was skipped.
  assert.equal(await track(braze, { attributes: [{ external_id: "ghost", _update_existing_only: true, first_name: "Nobody" }] }), {
    message: "success",
    attributes_processed: 1,
  });
  await track(braze, { attributes: [{ external_id: "e1", _update_existing_only: true, first_name: "Ada L." }] });
  const answer = await exportBy(braze, { external_ids: ["e1", "ghost"] }, ["external_id", "first_name"]);
  assert.equal(answer, { users: [{ external_id: "e1", first_name: "Ada L." }], invalid_user_ids: ["ghost"], message: "success" });
  assert.is((await braze.users()).length, 1);
});

Identified("a braze_id never creates a user", async ({ braze }) => {
  await track(braze, { attributes: [{ braze_id: "5f0000000000000000000000", first_name: "X" }] });
  assert.is((await braze.users()).length, 0);
});

Identified("/users/alias/new with external_id adds the alias to the identified profile, which then answers to both", async ({ braze }) => {
  await track(braze, { attributes: [{ external_id: "e1", first_name: "Ada" }] });
  const answer = await braze.post("/users/alias/new", { user_aliases: [{ ...alias("ada", "crm"), external_id: "e1" }] });
  assert.equal([answer.status, answer.body], [201, { aliases_processed: 1, message: "success" }]);
  assert.equal(await braze.exportAlias("crm", "ada", ["external_id", "user_aliases", "first_name"]), {
    external_id: "e1",
    user_aliases: [alias("ada", "crm")],
    first_name: "Ada",
  });
  assert.is((await braze.users()).length, 1, "no alias-only user was made");
});

Identified("/users/identify identifies an alias-only user in place: same braze_id, attributes, events and purchases kept", async ({ braze }) => {
  await track(braze, {
    attributes: [aliasObject("ada", { first_name: "Ada", plan: "pro" })],
    events: [{ user_alias: alias("ada"), name: "login", time: "2024-01-01T00:00:00Z" }],
    purchases: [{ user_alias: alias("ada"), product_id: "book", currency: "USD", price: 5, time: "2024-01-02T00:00:00Z" }],
  });
  const fields = ["braze_id", "external_id", "user_aliases", "first_name", "custom_attributes", "custom_events", "purchases"];
  const before = await braze.exportAlias("qa", "ada", fields);
  const answer = await braze.post("/users/identify", { aliases_to_identify: [{ external_id: "e1", user_alias: alias("ada") }] });
  assert.equal([answer.status, answer.body], [201, { aliases_processed: 1, message: "success" }]);
  const after = (await exportBy(braze, { external_ids: ["e1"] }, fields)).users;
  assert.equal(after, [{ ...before, external_id: "e1" }]);
  assert.is(before.braze_id, after[0].braze_id, "the same profile, not a copy");
  assert.is((await braze.users()).length, 1);
});

Identified("an unknown email creates an email-only profile, with no alias and no external_id", async ({ braze }) => {
  await track(braze, { attributes: [{ email: "ada@example.com", first_name: "Ada" }] });
  const [user] = await braze.users();
  assert.equal([user.external_id, user.user_aliases], [null, []]);
  const exported = await exportBy(braze, { email_address: "ada@example.com" }, ["external_id", "user_aliases", "email", "first_name"]);
  assert.equal(exported.users, [{ email: "ada@example.com", first_name: "Ada" }]);
});

Identified("with both email and phone the email identifies, and the phone is set on that profile", async ({ braze }) => {
  await track(braze, { attributes: [{ email: "ada@example.com", first_name: "Ada" }] });
  await track(braze, { attributes: [{ email: "ada@example.com", phone: "+15043277269", last_name: "L" }] });
  const exported = await exportBy(braze, { email_address: "ada@example.com" }, ["email", "phone", "first_name", "last_name"]);
  assert.equal(exported.users, [{ email: "ada@example.com", phone: "+15043277269", first_name: "Ada", last_name: "L" }]);
  assert.is((await braze.users()).length, 1);
});

Identified("an unknown phone creates a phone-only profile; an invalid phone is refused and creates nothing", async ({ braze }) => {
  await track(braze, { attributes: [{ phone: "+15043277269", first_name: "Pat" }] });
  assert.equal((await exportBy(braze, { phone: "+15043277269" }, ["phone", "first_name", "email"])).users, [{ phone: "+15043277269", first_name: "Pat" }]);
  const refused = await braze.post("/users/track", {
    attributes: [
      { phone: "not a number", first_name: "X" },
      { phone: "5043277269", first_name: "Y" },
    ],
  });
  assert.is(refused.status, 400, "nothing valid was left");
  assertErrorEntries(refused.body.errors, [
    { input_array: "attributes", index: 0, type: /phone/ },
    { input_array: "attributes", index: 1, type: /phone/ },
  ]);
  assert.is((await braze.users()).length, 1);
});

Identified(
  "several profiles with one email: the most recently updated one with an external_id gets the update, else the most recently updated",
  async ({ braze }) => {
    await track(braze, { attributes: [aliasObject("anon1", { email: "s@example.com" }), aliasObject("anon2", { email: "s@example.com" })] });
    await track(braze, { attributes: [aliasObject("anon1", { touched: 1 })] });
    await track(braze, { attributes: [{ email: "s@example.com", tag: "no external_id yet" }] });
    assert.equal(
      (await braze.exportAlias("qa", "anon1", ["custom_attributes"])).custom_attributes,
      { touched: 1, tag: "no external_id yet" },
      "the most recently updated one",
    );

    await track(braze, {
      attributes: [
        { external_id: "e1", email: "s@example.com" },
        { external_id: "e2", email: "s@example.com" },
      ],
    });
    await track(braze, { attributes: [{ external_id: "e1", touched: 2 }] });
    await track(braze, { attributes: [aliasObject("anon2", { touched: 3 })] });
    await track(braze, { attributes: [{ email: "s@example.com", tag: "identified" }] });
    const tags = (await exportBy(braze, { email_address: "s@example.com" }, ["external_id", "user_aliases", "custom_attributes"])).users.map((user: any) => [
      user.external_id ?? user.user_aliases[0].alias_name,
      user.custom_attributes?.tag ?? null,
    ]);
    assert.equal(
      tags.sort(),
      [
        ["anon1", "no external_id yet"],
        ["anon2", null],
        ["e1", "identified"],
        ["e2", null],
      ],
      "e1: identified and updated after e2, though anon2 is newer",
    );
  },
);

Identified("export by email_address or phone lists every profile holding it", async ({ braze }) => {
  await track(braze, {
    attributes: [
      aliasObject("a", { email: "Two@Example.com", phone: "+15550001111" }),
      { external_id: "e1", email: "two@example.com", phone: "+1 555 000 1111" },
    ],
  });
  for (const by of [{ email_address: "two@example.com" }, { phone: "+15550001111" }]) {
    const users = (await exportBy(braze, by, ["external_id", "user_aliases"])).users;
    assert.is(users.length, 2, JSON.stringify(by));
  }
});

Identified("delete by email_addresses needs a prioritization; several matches left by it delete nothing", async ({ braze }) => {
  await track(braze, {
    attributes: [aliasObject("a", { email: "d@example.com" }), aliasObject("b", { email: "d@example.com" }), { external_id: "e1", email: "d@example.com" }],
  });
  for (const entry of [
    "d@example.com",
    { email: "d@example.com" },
    { email: "d@example.com", prioritization: [] },
    { email: "d@example.com", prioritization: ["unidentified", "least_recently_updated"] },
  ]) {
    assert.is((await braze.post("/users/delete", { email_addresses: [entry] })).status, 400, JSON.stringify(entry));
  }
  assert.is((await braze.post("/users/delete", { email_addresses: [{ email: "d@example.com", prioritization: ["unidentified"] }] })).status, 201);
  assert.is((await braze.users()).length, 3, "two unidentified users still match: nothing is deleted");
  await braze.post("/users/delete", { email_addresses: [{ email: "d@example.com", prioritization: ["unidentified", "most_recently_updated"] }] });
  assert.equal((await braze.users()).map((user: any) => user.external_id ?? user.user_aliases[0].alias_name).sort(), ["a", "e1"]);
  await braze.post("/users/delete", { email_addresses: [{ email: "d@example.com", prioritization: ["identified"] }] });
  assert.equal(
    (await braze.users()).map((user: any) => user.user_aliases[0].alias_name),
    ["a"],
  );
});

Identified("delete takes one kind of identifier per request", async ({ braze }) => {
  await track(braze, { attributes: [{ external_id: "e1" }, { phone: "+15550001111" }] });
  const mixed = await braze.post("/users/delete", { external_ids: ["e1"], phone_numbers: ["+15550001111"] });
  assert.is(mixed.status, 400);
  assert.match(mixed.body.message, /only one of/);
  assert.is((await braze.users()).length, 2);
  assert.equal((await braze.post("/users/delete", { phone_numbers: ["+15550001111"] })).body, { deleted: 1, message: "success" });
  assert.is((await braze.users()).length, 1);
});

Identified("push_tokens on an identified user read back through the export as {app, token, device_id}; a token joins the stored ones", async ({ braze }) => {
  await track(braze, {
    attributes: [
      {
        external_id: "e1",
        push_tokens: [
          { app_id: "ios-app", token: "t1", device_id: "d1" },
          { app_id: "android-app", token: "t2" },
        ],
      },
    ],
  });
  let tokens = (await exportBy(braze, { external_ids: ["e1"] }, ["push_tokens"])).users[0].push_tokens;
  assert.equal(tokens[0], { app: "ios-app", token: "t1", device_id: "d1" });
  assert.equal(Object.keys(tokens[1]).sort(), ["app", "device_id", "token"]);
  assert.equal([tokens[1].app, tokens[1].token], ["android-app", "t2"]);
  assert.ok(typeof tokens[1].device_id === "string" && tokens[1].device_id !== "", "a missing device_id is generated");

  await track(braze, {
    attributes: [
      {
        external_id: "e1",
        push_tokens: [
          { app_id: "ios-app", token: "t1-new", device_id: "d1" },
          { app_id: "ios-app", token: "t3", device_id: "d3" },
        ],
      },
    ],
  });
  tokens = (await exportBy(braze, { external_ids: ["e1"] }, ["push_tokens"])).users[0].push_tokens;
  assert.equal(
    tokens.map((token: any) => [token.app, token.token]),
    [
      ["android-app", "t2"],
      ["ios-app", "t1-new"],
      ["ios-app", "t3"],
    ],
    "the device's new token replaced its old one; the others stay",
  );
  assert.equal(await exportBy(braze, { external_ids: ["e1"] }, ["first_name"]), { users: [{}], message: "success" }, "push_tokens only when asked for");
});

Identified("push_tokens of the wrong shape, null, and push_token_import misuse are refused object by object", async ({ braze }) => {
  const answer = await braze.post("/users/track", {
    attributes: [
      { external_id: "e1", push_tokens: [{ app_id: "ios-app" }] },
      { external_id: "e1", push_tokens: [{ app_id: "ios-app", token: "t", platform: "ios" }] },
      { external_id: "e1", push_tokens: null },
      { external_id: "e1", push_token_import: true, push_tokens: [{ app_id: "ios-app", token: "t" }] },
      { braze_id: "5f0000000000000000000000", push_token_import: true, push_tokens: [{ app_id: "ios-app", token: "t" }] },
      { email: "a@example.com", push_token_import: true },
      { email: "a@example.com", push_token_import: "yes", push_tokens: [{ app_id: "ios-app", token: "t" }] },
      { email: "a@example.com", push_token_import: true, push_tokens: [{ app_id: "ios-app", token: "t" }] },
      { external_id: "e1", push_token_import: false, push_tokens: [{ app_id: "ios-app", token: "ok", device_id: "d" }] },
    ],
  });
  assert.is(answer.status, 201);
  assertErrorEntries(answer.body.errors, [
    { input_array: "attributes", index: 0, type: /push_tokens/ },
    { input_array: "attributes", index: 1, type: /unknown key 'platform'/ },
    { input_array: "attributes", index: 2, type: /push_tokens/ },
    { input_array: "attributes", index: 3, type: /cannot be sent with 'external_id'/ },
    { input_array: "attributes", index: 4, type: /cannot be sent with 'braze_id'/ },
    { input_array: "attributes", index: 5, type: /needs 'push_tokens'/ },
    { input_array: "attributes", index: 6, type: /must be true or false/ },
    { input_array: "attributes", index: 7, type: /not supported by braze-local/ },
  ]);
  assert.equal((await exportBy(braze, { external_ids: ["e1"] }, ["push_tokens"])).users, [{ push_tokens: [{ app: "ios-app", token: "ok", device_id: "d" }] }]);
  assert.is((await braze.users()).length, 1);
});

Identified(
  "push_tokens without an external_id (an alias, an email or a phone alone) are refused: Braze takes a known user's tokens by external_id",
  async ({ braze }) => {
    const tokens = [{ app_id: "ios-app", token: "t", device_id: "d" }];
    const answer = await braze.post("/users/track", {
      attributes: [
        { user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: false, push_tokens: tokens },
        { email: "tokens@example.com", push_tokens: tokens },
        { phone: "+15550002222", push_token_import: false, push_tokens: tokens },
      ],
    });
    assert.is(answer.status, 400, "every object refused: Braze's answer when no object is valid");
    assertErrorEntries(answer.body.errors, [
      { input_array: "attributes", index: 0, type: /'push_tokens' of a known user need 'external_id'/ },
      { input_array: "attributes", index: 1, type: /'push_tokens' of a known user need 'external_id'/ },
      { input_array: "attributes", index: 2, type: /'push_tokens' of a known user need 'external_id'/ },
    ]);
    assert.is((await braze.users()).length, 0, "no profile was made for them");
  },
);

Identified.run();
