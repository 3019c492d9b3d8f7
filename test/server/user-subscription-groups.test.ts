// GET /subscription/user/status, as Braze documents it: the groups in which
// users have a state, by external_id, email or phone, paged by limit and offset.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "./local-server";

const Groups = suite<{ braze: TestServer }>("GET /subscription/user/status");
Groups.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: ["dev", "status-only:subscription.status.get"] });
  const group = (id: string, state: string) => ({ subscription_group_id: id, subscription_state: state });
  const answer = await context.braze.post(
    "/users/track",
    {
      attributes: [
        // Braze applies a state set by external_id to every user with that email too.
        { external_id: "u2", email: "ada@example.com" },
        { external_id: "u1", email: "ada@example.com", subscription_groups: [group("news", "subscribed"), group("offers", "unsubscribed")] },
        { external_id: "u3", phone: "+15043277269", subscription_groups: [group("sms", "unsubscribed")] },
        { external_id: "u4" },
      ],
    },
    "dev",
  );
  assert.is(answer.status, 201);
});
Groups.after(async (context) => context.braze.close());

const get = (braze: TestServer, query: string, key = "dev") => braze.getApi(`/subscription/user/status?${query}`, key);
const entry = (id: string, status: string) => ({ subscription_group_id: id, subscription_status: status });

Groups("by external_id: only the groups with a state, in the order set; none for a user without any or not there; 200", async ({ braze }) => {
  const one = await get(braze, "external_id=u1");
  assert.equal([one.status, one.body], [200, { success: true, subscription_groups: [entry("news", "subscribed"), entry("offers", "unsubscribed")] }]);
  assert.equal((await get(braze, "external_id=u4")).body, { success: true, subscription_groups: [] });
  assert.equal((await get(braze, "external_id=nobody")).body, { success: true, subscription_groups: [] });
  assert.equal((await get(braze, "external_id[]=u3&external_id[]=u2")).body.subscription_groups, [
    entry("sms", "unsubscribed"),
    entry("news", "subscribed"),
    entry("offers", "unsubscribed"),
  ]);
});

Groups("by email every user sharing it is listed apart; by phone in E.164", async ({ braze }) => {
  assert.equal((await get(braze, "email=ADA@example.com")).body.subscription_groups, [
    entry("news", "subscribed"),
    entry("offers", "unsubscribed"),
    entry("news", "subscribed"),
    entry("offers", "unsubscribed"),
  ]);
  assert.equal((await get(braze, "phone=%2B15043277269")).body.subscription_groups, [entry("sms", "unsubscribed")]);
});

Groups("limit and offset page the results; limit defaults to 100", async ({ braze }) => {
  assert.equal((await get(braze, "email=ada@example.com&limit=1&offset=1")).body.subscription_groups, [entry("offers", "unsubscribed")]);
  assert.equal((await get(braze, "email=ada@example.com&offset=4")).body.subscription_groups, []);
});

Groups(
  "refusals: no user, more than 50 of a kind, limit over 100 or not a whole number, a negative offset; a key without subscription.groups.get; POST",
  async ({ braze }) => {
    for (const [query, message] of [
      ["limit=10", /one of 'external_id', 'email' or 'phone' is required/],
      [Array.from({ length: 51 }, (_, index) => `email[]=u${index}@example.com`).join("&"), /at most 50 'email' values per request, got 51/],
      ["external_id=u1&limit=101", /'limit' is at most 100, got 101/],
      ["external_id=u1&limit=0", /'limit' must be a whole number of at least 1, got "0"/],
      ["external_id=u1&limit=ten", /'limit' must be a whole number/],
      ["external_id=u1&offset=-1", /'offset' must be a whole number of at least 0, got "-1"/],
    ] as const) {
      const answer = await get(braze, query);
      assert.is(answer.status, 400, query);
      assert.match(answer.body.message, message);
      assert.equal(answer.body.errors, [{ type: answer.body.message }]);
    }
    const denied = await get(braze, "external_id=u1", "status-only");
    assert.equal([denied.status, denied.body.message], [403, "Access Denied: the API key lacks the 'subscription.groups.get' permission"]);
    assert.is((await braze.post("/subscription/user/status", {}, "dev")).status, 404);
  },
);

Groups("shares Braze's default limit of 250,000 requests an hour", async ({ braze }) => {
  const answer = await get(braze, "external_id=u1");
  assert.is(answer.headers.get("x-ratelimit-limit"), "250000");
});

Groups.run();
