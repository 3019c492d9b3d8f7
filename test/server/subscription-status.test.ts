// GET /subscription/status/get, as Braze documents it: one group's state for
// users by external_id, or else by email or phone.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "./local-server";

const Status = suite<{ braze: TestServer }>("GET /subscription/status/get");
Status.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: ["dev", "track-only:users.track"] });
  const groups = (state: string) => [{ subscription_group_id: "news", subscription_state: state }];
  const answer = await context.braze.post(
    "/users/track",
    {
      attributes: [
        { external_id: "u1", email: "ada@example.com", subscription_groups: groups("subscribed") },
        { external_id: "u2", phone: "+15043277269", subscription_groups: groups("unsubscribed") },
        { external_id: "u3" },
      ],
    },
    "dev",
  );
  assert.is(answer.status, 201);
});
Status.after(async (context) => context.braze.close());

const get = (braze: TestServer, query: string, key = "dev") => braze.getApi(`/subscription/status/get?${query}`, key);

Status("external_ids, one or a list: Subscribed, Unsubscribed, or Unknown for a user never set or not there; 200", async ({ braze }) => {
  const many = await get(braze, "subscription_group_id=news&external_id[]=u1&external_id[]=u2&external_id[]=u3&external_id[]=nobody");
  assert.equal([many.status, many.body], [200, { status: { u1: "Subscribed", u2: "Unsubscribed", u3: "Unknown", nobody: "Unknown" }, message: "success" }]);
  assert.equal((await get(braze, "subscription_group_id=news&external_id=u2")).body.status, { u2: "Unsubscribed" });
  assert.equal((await get(braze, "subscription_group_id=other&external_id=u1")).body.status, { u1: "Unknown" }, "another group");
});

Status("with external_ids the emails and phones are ignored; by email or by phone alone the state is keyed by what was sent", async ({ braze }) => {
  assert.equal((await get(braze, "subscription_group_id=news&external_id=u2&email=ada@example.com")).body.status, { u2: "Unsubscribed" });
  assert.equal((await get(braze, "subscription_group_id=news&email=ada@example.com")).body.status, { "ada@example.com": "Subscribed" });
  assert.equal((await get(braze, "subscription_group_id=news&phone=%2B15043277269")).body.status, { "+15043277269": "Unsubscribed" });
});

Status("refusals: no group, no user, emails and phones together, more than 50 of a kind; a key without subscription.status.get; POST", async ({ braze }) => {
  for (const [query, message] of [
    ["external_id=u1", /'subscription_group_id' is required/],
    ["subscription_group_id=news", /one of 'external_id', 'email' or 'phone' is required/],
    ["subscription_group_id=news&email=ada@example.com&phone=%2B15043277269", /not both/],
    [
      `subscription_group_id=news&${Array.from({ length: 51 }, (_, index) => `external_id[]=u${index}`).join("&")}`,
      /at most 50 'external_id' values per request, got 51/,
    ],
  ] as const) {
    const answer = await get(braze, query);
    assert.is(answer.status, 400, query);
    assert.match(answer.body.message, message);
    assert.equal(answer.body.errors, [{ type: answer.body.message }]);
  }
  const denied = await get(braze, "subscription_group_id=news&external_id=u1", "track-only");
  assert.equal([denied.status, denied.body.message], [403, "Access Denied: the API key lacks the 'subscription.status.get' permission"]);
  assert.is((await braze.post("/subscription/status/get", {}, "dev")).status, 404);
});

Status("shares Braze's default limit of 250,000 requests an hour", async ({ braze }) => {
  const answer = await get(braze, "subscription_group_id=news&external_id=u1");
  assert.is(answer.headers.get("x-ratelimit-limit"), "250000");
});

Status.run();

const Logged = suite<{ braze: TestServer }>("GET requests in braze-local's log");
Logged.before(async (context) => {
  context.braze = await startTestServer({});
});
Logged.after(async (context) => context.braze.close());

Logged("a GET is logged with its query parameters as its body, a key passed as api_key redacted", async ({ braze }) => {
  await braze.newRequests();
  await braze.getApi("/subscription/status/get?subscription_group_id=news&external_id[]=u1&api_key=secret-key-123");
  const [logged] = (await braze.newRequests()).filter((request) => request.path === "/subscription/status/get");
  assert.equal(logged.body, { subscription_group_id: ["news"], "external_id[]": ["u1"], api_key: ["[redacted]"] });
  assert.not.ok(JSON.stringify(await braze.requests()).includes("secret-key-123"));
});

Logged.run();
