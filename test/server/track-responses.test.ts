// What /users/track answers: counts, non-fatal errors, fatal status codes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_REQUEST_CAP } from "../../server";
import { aliasObject, startTestServer, type TestServer } from "./local-server";

type Context = { braze: TestServer };
const many = (count: number, make: (index: number) => object) => Array.from({ length: count }, (_, index) => make(index));
const attribute = (index: number) => ({ external_id: `u${index}`, n: index });
const event = (index: number) => ({ external_id: `u${index}`, name: "e", time: "2020-01-01T00:00:00Z" });

const Responses = suite<Context>("answers of /users/track");
Responses.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: ["dev", "export-only:users.export.ids"], requestCap: DEFAULT_REQUEST_CAP });
});
Responses.after(async (context) => context.braze.close());
Responses.before.each(async (context) => context.braze.reset());

Responses("201 counts users with attributes (not objects), events and purchases, each only when its array was sent", async ({ braze }) => {
  const answer = await braze.post(
    "/users/track",
    { attributes: [{ external_id: "a", x: 1 }, { external_id: "a", y: 2 }, { external_id: "b" }], events: [] },
    "dev",
  );
  assert.equal([answer.status, answer.body], [201, { message: "success", attributes_processed: 2, events_processed: 0 }]);
});

Responses(
  "by default (braze-local's own, combined-75) 75 objects across the three arrays are accepted; 76 is a fatal 400 Max Input Length Exceeded and nothing is applied",
  async ({ braze }) => {
    const ok = await braze.post("/users/track", { attributes: many(40, attribute), events: many(35, event), purchases: [] }, "dev");
    assert.equal(ok.body, { message: "success", attributes_processed: 40, events_processed: 35, purchases_processed: 0 });
    await braze.reset();
    const over = await braze.post("/users/track", { attributes: many(40, attribute), events: many(36, event) }, "dev");
    assert.equal([over.status, over.body.message], [400, "Max Input Length Exceeded"]);
    assert.equal(over.body.errors.length, 1);
    assert.match(over.body.errors[0].type, /76 objects; this workspace \(combined-75\) allows at most 75 across attributes, events and purchases/);
    assert.equal(await braze.users(), []);
  },
);

Responses("nothing valid is a fatal 400 listing every object's error; an empty request too", async ({ braze }) => {
  const answer = await braze.post("/users/track", { attributes: [{ first_name: "x" }], events: [{ external_id: "u" }] }, "dev");
  assert.is(answer.status, 400);
  assert.is(answer.body.message, "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.");
  assert.equal(
    answer.body.errors.map((entry: any) => [entry.input_array, entry.index]),
    [
      ["attributes", 0],
      ["events", 0],
    ],
  );
  assert.is((await braze.post("/users/track", {}, "dev")).status, 400);
  assert.is((await braze.post("/users/track", { attributes: {} }, "dev")).status, 400, "attributes sent as an object, not an array");
});

Responses("malformed JSON, a non-object body and an empty body are 400s with Braze's fatal shape", async ({ braze }) => {
  for (const text of ["{", "[1]", "", "null", '"text"']) {
    const answer = await braze.postRaw("/users/track", text, "dev");
    assert.is(answer.status, 400, text);
    assert.type(answer.body.message, "string");
    assert.equal(answer.body.errors, [{ type: answer.body.message }]);
  }
});

Responses("401 without a key or with a wrong or quoted one; 403 for a key without users.track; 404 for an unknown route", async ({ braze }) => {
  const body = { attributes: [aliasObject("ada")] };
  assert.is((await braze.post("/users/track", body, null)).status, 401);
  assert.is((await braze.post("/users/track", body, "nope")).status, 401);
  assert.is((await braze.post("/users/track", body, '"dev"')).status, 401);
  const denied = await braze.post("/users/track", body, "export-only");
  assert.is(denied.status, 403);
  assert.match(denied.body.message, /Access Denied/);
  assert.is((await braze.post("/users/export/ids", { external_ids: ["x"] }, "export-only")).status, 201);
  const unknown = await braze.post("/users/merge", {}, "dev");
  assert.is(unknown.status, 404);
  assert.is((await fetch(`${braze.url}/users/track`, { headers: { Authorization: "Bearer dev" } })).status, 404, "GET is not a route");
  assert.equal(await braze.users(), []);
});

Responses.run();

const Combined = suite<Context>("request cap combined-50 (Monthly Active Users CY 24-25 contracts)");
Combined.before(async (context) => {
  context.braze = await startTestServer({ requestCap: "combined-50" });
});
Combined.after(async (context) => context.braze.close());

Combined("50 objects across the arrays pass; 51 is Max Input Length Exceeded and nothing is applied", async ({ braze }) => {
  assert.is((await braze.post("/users/track", { attributes: many(25, attribute), events: many(25, event) })).status, 201);
  await braze.reset();
  const over = await braze.post("/users/track", {
    attributes: many(25, attribute),
    events: many(25, event),
    purchases: [{ external_id: "u", product_id: "p", currency: "USD", price: 1, time: "2020-01-01T00:00:00Z" }],
  });
  assert.equal([over.status, over.body.message], [400, "Max Input Length Exceeded"]);
  assert.match(over.body.errors[0].type, /51 objects; this workspace \(combined-50\) allows at most 50/);
  assert.equal(await braze.users(), []);
});

Combined.run();

const PerArray = suite<Context>("request cap per-array-75 (legacy)");
PerArray.before(async (context) => {
  context.braze = await startTestServer({ requestCap: "per-array-75" });
});
PerArray.after(async (context) => context.braze.close());

PerArray("75 objects in each array (225 in all) pass; 76 in one array is Max Input Length Exceeded", async ({ braze }) => {
  const purchase = (index: number) => ({ external_id: `u${index}`, product_id: "p", currency: "USD", price: 1, time: "2020-01-01T00:00:00Z" });
  const ok = await braze.post("/users/track", { attributes: many(75, attribute), events: many(75, event), purchases: many(75, purchase) });
  assert.equal(ok.body, { message: "success", attributes_processed: 75, events_processed: 75, purchases_processed: 75 });
  await braze.reset();
  const over = await braze.post("/users/track", { attributes: many(10, attribute), events: many(76, event) });
  assert.equal([over.status, over.body.message], [400, "Max Input Length Exceeded"]);
  assert.match(over.body.errors[0].type, /'events' holds 76 objects; this workspace \(per-array-75\) allows at most 75 per array/);
  assert.equal(await braze.users(), []);
});

PerArray.run();

const Bodies = suite<Context>("request bodies");
Bodies.before(async (context) => {
  context.braze = await startTestServer({ maxBodyBytes: 10_000 });
});
Bodies.after(async (context) => context.braze.close());

Bodies("a body over the size cap is a 413 and the server keeps answering", async ({ braze }) => {
  const answer = await braze.post("/users/track", { attributes: [aliasObject("big", { note: "x".repeat(20_000) })] });
  assert.is(answer.status, 413);
  assert.match(answer.body.message, /larger than 10000 bytes/);
  assert.is((await braze.post("/users/track", { attributes: [aliasObject("small")] })).status, 201);
});

Bodies("nesting deeper than 64 levels is a 400, not a crash", async ({ braze }) => {
  const deep = "[".repeat(3000) + "]".repeat(3000);
  const answer = await braze.postRaw("/users/track", `{"attributes":[{"external_id":"u","deep":${deep}}]}`);
  assert.is(answer.status, 400);
  assert.match(answer.body.message, /nests deeper/);
});

Bodies.run();
