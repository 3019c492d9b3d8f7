// POST /users/external_ids/rename and POST /users/external_ids/remove.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { alias, startTestServer, type TestServer } from "./local-server";

type Context = { braze: TestServer };
const Migration = suite<Context>("external id migration");
Migration.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: ["dev", "track-only:users.track"] });
});
Migration.after(async (context) => context.braze.close());
Migration.before.each(async (context) => {
  await context.braze.reset();
  const seeded = await context.braze.post(
    "/users/track",
    {
      attributes: [
        { external_id: "old", first_name: "Ada", plan: "pro" },
        { external_id: "taken", first_name: "Bob" },
      ],
      events: [{ external_id: "old", name: "login", time: "2024-01-01T00:00:00Z" }],
    },
    "dev",
  );
  assert.is(seeded.status, 201);
});

const rename = (braze: TestServer, renames: unknown) => braze.post("/users/external_ids/rename", { external_id_renames: renames }, "dev");
const remove = (braze: TestServer, ids: unknown) => braze.post("/users/external_ids/remove", { external_ids: ids }, "dev");
const exportIds = async (braze: TestServer, ids: string[]) =>
  (await braze.post("/users/export/ids", { external_ids: ids, fields_to_export: ["external_id", "first_name", "custom_attributes", "custom_events"] }, "dev"))
    .body;

Migration("a rename keeps the user, its attributes and events, under the new id; the old id still finds it", async ({ braze }) => {
  const answer = await rename(braze, [{ current_external_id: "old", new_external_id: "new" }]);
  assert.equal([answer.status, answer.body], [201, { message: "success", external_ids: ["new"], rename_errors: [] }]);
  const user = {
    external_id: "new",
    first_name: "Ada",
    custom_attributes: { plan: "pro" },
    custom_events: [{ name: "login", first: "2024-01-01T00:00:00.000Z", last: "2024-01-01T00:00:00.000Z", count: 1 }],
  };
  assert.equal((await exportIds(braze, ["new"])).users, [user]);
  assert.equal((await exportIds(braze, ["old"])).users, [user], "the deprecated id still addresses the user");
  assert.is((await braze.users()).length, 2, "no user was created or deleted");
});

Migration("/users/track by the deprecated id updates the renamed user instead of creating one", async ({ braze }) => {
  await rename(braze, [{ current_external_id: "old", new_external_id: "new" }]);
  await braze.post("/users/track", { attributes: [{ external_id: "old", first_name: "Ada L." }] }, "dev");
  assert.equal((await exportIds(braze, ["new"])).users[0].first_name, "Ada L.");
  assert.is((await braze.users()).length, 2);
});

Migration("Braze's rules refuse a rename item by item, with its index, and the others still apply", async ({ braze }) => {
  await rename(braze, [{ current_external_id: "old", new_external_id: "mid" }]);
  const answer = await rename(braze, [
    { current_external_id: "taken", new_external_id: "taken" },
    { current_external_id: "ghost", new_external_id: "g2" },
    { current_external_id: "old", new_external_id: "again" },
    { current_external_id: "taken", new_external_id: "mid" },
    { current_external_id: "taken", new_external_id: "old" },
    { current_external_id: "taken" },
    "taken",
    { current_external_id: "taken", new_external_id: "bob" },
  ]);
  assert.is(answer.status, 201);
  assert.equal(answer.body.external_ids, ["bob"]);
  assert.equal(
    answer.body.rename_errors.map(([index]: [number, string]) => index),
    [0, 1, 2, 3, 4, 5, 6],
  );
  for (const [, message] of answer.body.rename_errors) assert.type(message, "string");
  assert.match(answer.body.rename_errors[2][1], /deprecated/, "a deprecated id cannot be renamed");
  assert.match(answer.body.rename_errors[3][1], /already the external_id/);
  assert.match(answer.body.rename_errors[4][1], /already a deprecated external_id/);
  assert.equal(
    (await exportIds(braze, ["bob", "ghost"])).users.map((user: any) => user.external_id),
    ["bob"],
  );
});

Migration("remove forgets a deprecated id and refuses a primary or unknown one", async ({ braze }) => {
  await rename(braze, [{ current_external_id: "old", new_external_id: "new" }]);
  const answer = await remove(braze, ["old", "new", "ghost", 7]);
  assert.is(answer.status, 201);
  assert.equal(answer.body.message, "success");
  assert.equal(answer.body.removed_ids, ["old"]);
  assert.equal(
    answer.body.removal_errors.map(([index]: [number, string]) => index),
    [1, 2, 3],
  );
  assert.match(answer.body.removal_errors[0][1], /primary external_id/);
  const afterRemoval = await exportIds(braze, ["old", "new"]);
  assert.equal([afterRemoval.users.map((user: any) => user.external_id), afterRemoval.invalid_user_ids], [["new"], ["old"]]);
  const track = await braze.post("/users/track", { attributes: [{ external_id: "old", first_name: "Fresh" }] }, "dev");
  assert.is(track.status, 201);
  assert.is((await braze.users()).length, 3, "the removed id is free again: a track by it creates a new user");
});

Migration("deleting by a deprecated id deletes the whole user, as Braze warns", async ({ braze }) => {
  await rename(braze, [{ current_external_id: "old", new_external_id: "new" }]);
  await braze.post("/users/delete", { external_ids: ["old"] }, "dev");
  assert.equal((await exportIds(braze, ["new"])).users, []);
  assert.is((await remove(braze, ["old"])).body.removed_ids.length, 0, "its deprecated id went with it");
});

Migration("an empty list, a missing list or more than 50 entries is a fatal 400 that changes nothing", async ({ braze }) => {
  for (const [route, body] of [
    ["/users/external_ids/rename", { external_id_renames: [] }],
    ["/users/external_ids/rename", {}],
    ["/users/external_ids/rename", { external_id_renames: Array.from({ length: 51 }, (_, i) => ({ current_external_id: "old", new_external_id: `n${i}` })) }],
    ["/users/external_ids/remove", { external_ids: [] }],
    ["/users/external_ids/remove", { external_ids: Array.from({ length: 51 }, (_, i) => `x${i}`) }],
  ] as const) {
    const answer = await braze.post(route, body, "dev");
    assert.is(answer.status, 400, `${route} ${JSON.stringify(body).slice(0, 60)}`);
    assert.type(answer.body.message, "string");
    assert.equal(answer.body.errors, [{ type: answer.body.message }]);
  }
  assert.equal((await exportIds(braze, ["old"])).users[0].external_id, "old");
});

Migration("each endpoint needs its own permission", async ({ braze }) => {
  assert.is(
    (await braze.post("/users/external_ids/rename", { external_id_renames: [{ current_external_id: "old", new_external_id: "n" }] }, "track-only")).status,
    403,
  );
  assert.is((await braze.post("/users/external_ids/remove", { external_ids: ["old"] }, "track-only")).status, 403);
  assert.equal((await exportIds(braze, ["old"])).users[0].external_id, "old");
});

Migration("an alias added through /users/alias/new by a deprecated id lands on the renamed user", async ({ braze }) => {
  await rename(braze, [{ current_external_id: "old", new_external_id: "new" }]);
  await braze.post("/users/alias/new", { user_aliases: [{ ...alias("ada"), external_id: "old" }] }, "dev");
  assert.equal((await braze.exportAlias("qa", "ada", ["external_id"])).external_id, "new");
});

const RateLimited = suite<{ clock: number }>("external id migration rate limits");
RateLimited("rename and remove each have their own window of 1,000 per minute, apart from identify's", async (context) => {
  context.clock = 600_000;
  const braze = await startTestServer({ identityRateLimit: "1/60", now: () => context.clock });
  try {
    const limit = async (route: string, body: unknown) => {
      const answer = await braze.post(route, body);
      return [answer.status, answer.headers.get("x-ratelimit-limit"), answer.headers.get("x-ratelimit-remaining")];
    };
    assert.equal(await limit("/users/identify", { aliases_to_identify: [{ external_id: "z", user_alias: alias("nobody") }] }), [201, "1", "0"]);
    assert.equal(await limit("/users/external_ids/rename", { external_id_renames: [{ current_external_id: "a", new_external_id: "b" }] }), [
      201,
      "1000",
      "999",
    ]);
    assert.equal(await limit("/users/external_ids/rename", { external_id_renames: [{ current_external_id: "a", new_external_id: "b" }] }), [
      201,
      "1000",
      "998",
    ]);
    assert.equal(await limit("/users/external_ids/remove", { external_ids: ["a"] }), [201, "1000", "999"], "remove does not share rename's window");
  } finally {
    await braze.close();
  }
});

Migration.run();
RateLimited.run();
