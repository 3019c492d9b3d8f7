// The workspace: inspection routes, persistence across restarts, atomic
// requests, data-point counting, and the API key never being recorded.
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { alias, aliasObject, startTestServer, type TestServer } from "./local-server";

const SECRET = "sk-very-secret-key-1234567890";
type Context = { braze: TestServer };
const Workspace = suite<Context>("workspace, inspection and persistence");
Workspace.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: [SECRET] });
});
Workspace.after(async (context) => context.braze.close());
Workspace.before.each(async (context) => context.braze.reset());

Workspace("/_local/requests records every API request in order with its exact JSON bodies, failures included", async ({ braze }) => {
  const body = { attributes: [aliasObject("ada", { first_name: "Ada", loyalty: { tier: "gold" }, tags: { add: ["a"], remove: ["b"] }, gone: null })] };
  await braze.post("/users/track", body, SECRET);
  await braze.post("/users/delete", { user_aliases: [alias("ada")] }, "wrong");
  await braze.postRaw("/users/track", "{oops", SECRET);
  await braze.postRaw("/users/track", `\n ${JSON.stringify(body, null, 2)}\n`, SECRET);
  await braze.postRaw("/users/track", "", SECRET);
  const requests = await braze.requests();
  assert.equal(
    requests.map((entry: any) => [entry.method, entry.path, entry.status]),
    [
      ["POST", "/users/track", 201],
      ["POST", "/users/delete", 401],
      ["POST", "/users/track", 400],
      ["POST", "/users/track", 201],
      ["POST", "/users/track", 400],
    ],
  );
  assert.equal(requests[0].request_body, body);
  assert.equal(requests[0].response_body, { message: "success", attributes_processed: 1 });
  assert.is(requests[2].request_body, "{oops", "a body that is not JSON is kept as text");
  assert.equal(requests[3].request_body, body, "a JSON body sent with whitespace is logged as its value");
  assert.is(requests[4].request_body, null, "an empty body is logged as null");
  assert.type(requests[0].time, "string");
});

Workspace("/_local/users shows complete profiles; /_local/stats counts requests, objects, data points and users", async ({ braze }) => {
  await braze.post(
    "/users/track",
    {
      attributes: [
        aliasObject("ada", {
          first_name: "Ada",
          email: "a@example.com",
          email_subscribe: "opted_in",
          subscription_groups: [{ subscription_group_id: "g", subscription_state: "subscribed" }],
          tags: ["x"],
          loyalty: { tier: "gold", points: { now: 1 } },
        }),
      ],
      events: [{ user_alias: alias("ada"), name: "e", time: "2020-01-01T00:00:00Z" }],
    },
    SECRET,
  );
  const [user] = await braze.users();
  assert.equal(Object.keys(user).sort(), [
    "braze_id",
    "created_at",
    "custom",
    "email",
    "email_subscribe",
    "events",
    "external_id",
    "phone",
    "purchases",
    "standard",
    "subscription_groups",
    "updated_at",
    "user_aliases",
  ]);
  assert.equal([user.external_id, user.phone, user.email, user.email_subscribe], [null, null, "a@example.com", "opted_in"]);
  assert.equal(user.standard, { email: "a@example.com", first_name: "Ada" });
  assert.match(user.braze_id, /^[0-9a-f]{24}$/);
  const stats = await braze.stats();
  // first_name 1 + email 1 + tags 1 + loyalty 3 (tier, points, points.now) = 6; email_subscribe and groups free; 1 event.
  assert.equal(stats, {
    requests: { total: 1, by_status: { 201: 1 }, by_path: { "/users/track": 1 } },
    data_points: { total: 7, attributes: 6, events: 1, purchases: 0 },
    objects_processed: { attributes: 1, events: 1, purchases: 0 },
    users: 1,
  });
});

Workspace("data points count every billable key received, changed or not", async ({ braze }) => {
  const object = aliasObject("ada", { first_name: "Ada", plan: "pro", tags: { add: ["a", "b"] }, gone: null, push_subscribe: "subscribed" });
  await braze.post("/users/track", { attributes: [object] }, SECRET);
  await braze.post("/users/track", { attributes: [object] }, SECRET);
  assert.is((await braze.stats()).data_points.attributes, 2 * (1 + 1 + 2 + 1));
});

Workspace("a request that fails fatally applies nothing", async ({ braze }) => {
  await braze.post(
    "/users/track",
    { attributes: [aliasObject("ada")], events: Array.from({ length: 76 }, () => ({ external_id: "u", name: "e", time: "2020-01-01T00:00:00Z" })) },
    SECRET,
  );
  assert.equal(await braze.users(), []);
  assert.is((await braze.stats()).data_points.total, 0);
});

Workspace("the API key is never recorded: not in the request log, not in the database files", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [aliasObject("ada")] }, SECRET);
  await braze.post("/users/track", { attributes: [aliasObject("ada")] }, `${SECRET}-wrong`);
  assert.not.match(JSON.stringify(await braze.requests()), SECRET);
  for (const file of fs.readdirSync(braze.dataDir)) {
    assert.not.ok(fs.readFileSync(path.join(braze.dataDir, file)).includes(SECRET), file);
  }
});

Workspace("POST /_local/reset empties the workspace and the log; unknown /_local routes are 404", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [aliasObject("ada")] }, SECRET);
  await braze.reset();
  assert.equal([await braze.users(), await braze.requests(), (await braze.stats()).requests.total], [[], [], 0]);
  assert.is((await fetch(`${braze.url}/_local/nothing`)).status, 404);
});

Workspace("POST /_local/reset-log empties the log and the counters but keeps every user", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [aliasObject("ada", { first_name: "Ada" }), aliasObject("bob")] }, SECRET);
  const users = await braze.users();
  assert.is(users.length, 2);
  const answer = await fetch(`${braze.url}/_local/reset-log`, { method: "POST" });
  assert.equal([answer.status, await answer.json()], [200, { message: "success" }]);
  assert.equal(await braze.users(), users, "the users are untouched");
  assert.equal(await braze.requests(), []);
  assert.equal(await braze.stats(), {
    requests: { total: 0, by_status: {}, by_path: {} },
    data_points: { total: 0, attributes: 0, events: 0, purchases: 0 },
    objects_processed: { attributes: 0, events: 0, purchases: 0 },
    users: 2,
  });
  // The next run is counted from zero, against the users kept.
  await braze.post("/users/track", { attributes: [aliasObject("ada", { first_name: "Ada L." })] }, SECRET);
  assert.equal(
    (await braze.requests()).map((entry: any) => [entry.method, entry.path, entry.status]),
    [["POST", "/users/track", 201]],
  );
  const stats = await braze.stats();
  assert.equal([stats.requests.total, stats.data_points.attributes, stats.users], [1, 1, 2]);
  assert.is((await braze.users()).find((user: any) => user.user_aliases[0].alias_name === "ada").standard.first_name, "Ada L.");
});

Workspace.run();

const Restart = suite("restart");

Restart("a restart on the same data dir loses nothing answered with success", async () => {
  const first = await startTestServer();
  await first.post("/users/track", {
    attributes: [aliasObject("ada", { first_name: "Ada" })],
    events: [{ user_alias: alias("ada"), name: "e", time: "2020-01-01T00:00:00Z" }],
  });
  const before = await first.users();
  await first.server.close();
  const second = await startTestServer({}, first.dataDir);
  assert.equal(await second.users(), before);
  assert.is((await second.requests()).length, 1);
  // Users created after the restart get rows of their own: Ada keeps her profile and her event.
  await second.post("/users/track", { attributes: [aliasObject("bob", { first_name: "Bob" }), aliasObject("cy", { first_name: "Cy" })] });
  const after = await second.users();
  assert.equal(
    after.map((user: any) => [user.user_aliases[0].alias_name, user.standard.first_name, user.events.length]),
    [
      ["ada", "Ada", 1],
      ["bob", "Bob", 0],
      ["cy", "Cy", 0],
    ],
  );
  await second.close();
});

Restart.run();
