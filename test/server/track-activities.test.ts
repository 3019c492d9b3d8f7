// Events and purchases of /users/track: what is refused, what is stored.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertErrorEntries, startTestServer, type TestServer } from "./local-server";

const NOW = Date.parse("2025-06-01T12:00:00.000Z");
const Activities = suite<{ braze: TestServer }>("events and purchases");

Activities.before(async (context) => {
  context.braze = await startTestServer({ now: () => NOW });
});
Activities.after(async (context) => context.braze.close());
Activities.before.each(async (context) => context.braze.reset());

const event = (fields: Record<string, unknown>) => ({ external_id: "u1", name: "played", time: "2024-01-01T00:00:00Z", ...fields });
const purchase = (fields: Record<string, unknown>) => ({
  external_id: "u1",
  product_id: "p1",
  currency: "usd",
  price: 2.5,
  time: "2024-01-01T00:00:00Z",
  ...fields,
});

Activities("each invalid event is a non-fatal error at its index; the valid ones are stored", async ({ braze }) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ name: undefined }, /'name' is required/],
    [{ time: undefined }, /'time' is required/],
    [{ time: "yesterday" }, /'time' "yesterday" must be ISO 8601/],
    [{ properties: { "": 1 } }, /non-empty/],
    [{ properties: { ["k".repeat(256)]: 1 } }, /longer than 255/],
    [{ properties: { $bad: 1 } }, /must not start with "\$"/],
    [{ properties: { time: "x" } }, /"time" is reserved/],
    [{ properties: { event_name: "x" } }, /"event_name" is reserved/],
    [{ properties: { text: "s".repeat(256) } }, /longer than 255/],
    [{ properties: { days: ["2024-01-01"] } }, /not supported inside arrays/],
    [{ properties: { blob: { data: "x".repeat(250), more: Array.from({ length: 500 }, () => "y".repeat(250)) } } }, /100 KB/],
    [{ properties: [1] }, /'properties' must be an object/],
  ];
  const answer = await braze.post("/users/track", {
    events: [...cases.map(([fields]) => event(fields)), event({ properties: { ok: "yes", nested: { a: [1, 2] } } })],
  });
  assert.is(answer.status, 201);
  assert.is(answer.body.events_processed, 1);
  assertErrorEntries(
    answer.body.errors,
    cases.map(([, type], index) => ({ input_array: "events", index, type })),
  );
  const [user] = await braze.users();
  assert.equal(user.events, [{ name: "played", time: "2024-01-01T00:00:00.000Z", properties: { ok: "yes", nested: { a: [1, 2] } } }]);
});

Activities("a time in the future is set to the time of receipt; zones are normalised to UTC", async ({ braze }) => {
  await braze.post("/users/track", {
    events: [event({ time: "2999-01-01T00:00:00Z" }), event({ time: "2013-07-16T19:20:45+01:00" }), event({ time: "2013-07-16T19:20:45:123Z" })],
  });
  assert.equal(
    (await braze.users())[0].events.map((stored: any) => stored.time),
    ["2025-06-01T12:00:00.000Z", "2013-07-16T18:20:45.000Z", "2013-07-16T19:20:45.123Z"],
  );
});

Activities("duplicate events are kept as separate events", async ({ braze }) => {
  const same = event({ properties: { level: 1 } });
  const answer = await braze.post("/users/track", { events: [same, same] });
  assert.is(answer.body.events_processed, 2);
  await braze.post("/users/track", { events: [same] });
  assert.is((await braze.users())[0].events.length, 3);
});

Activities("purchases need product_id, an ISO-4217 currency, a price and a time; quantity 1-100 stores that many purchases", async ({ braze }) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ product_id: undefined }, /'product_id'/],
    [{ currency: "dollars" }, /'currency'/],
    [{ price: "2.5" }, /'price'/],
    [{ time: undefined }, /'time'/],
    [{ quantity: 101 }, /'quantity'/],
    [{ quantity: 1.5 }, /'quantity'/],
    [{ properties: { event_name: 1 } }, /reserved/],
  ];
  const answer = await braze.post("/users/track", { purchases: [...cases.map(([fields]) => purchase(fields)), purchase({ quantity: 3, app_id: "app" })] });
  assert.is(answer.body.purchases_processed, 1);
  assertErrorEntries(
    answer.body.errors,
    cases.map(([, type], index) => ({ input_array: "purchases", index, type })),
  );
  const [user] = await braze.users();
  assert.is(user.purchases.length, 3);
  assert.equal(user.purchases[0], { product_id: "p1", currency: "USD", price: 2.5, time: "2024-01-01T00:00:00.000Z", app_id: "app" });
});

Activities(
  "an event name starting with $ is stored (Braze forbids a leading $ in property names only); names are trimmed and cut at 255 characters",
  async ({ braze }) => {
    const answer = await braze.post("/users/track", {
      events: [event({ name: "$internal" }), event({ name: "n".repeat(300) }), event({ name: " padded\n" }), event({ name: "😀".repeat(256) })],
    });
    assert.equal([answer.status, answer.body], [201, { message: "success", events_processed: 4 }]);
    assert.equal(
      (await braze.users())[0].events.map((stored: any) => stored.name),
      ["$internal", "n".repeat(255), "padded", "😀".repeat(255)],
    );
  },
);

Activities("an event or purchase time is ISO 8601 or yyyy-MM-dd'T'HH:mm:ss:SSSZ; the other date formats of event properties are refused", async ({ braze }) => {
  const accepted = ["2013-07-16T19:20:30+01:00", "2013-07-16T19:20:30.5Z", "2013-07-16T19:20:30:123-0500", "2013-07-16T19:20:30", "2013-07-16"];
  const refused = ["2013-07-16 19:20:30", "07/16/2013", "Tue 07 16 19:20:30.+01:00 2013", "2013-07-16t19:20:30z", "2013-02-30T00:00:00Z"];
  const answer = await braze.post("/users/track", {
    events: [...refused, ...accepted].map((time) => event({ time })),
    purchases: refused.map((time) => purchase({ time })),
  });
  assert.is(answer.body.events_processed, accepted.length);
  assert.is(answer.body.purchases_processed, 0);
  assertErrorEntries(answer.body.errors, [
    ...refused.map((_, index) => ({ input_array: "events", index, type: /'time' ".*" must be ISO 8601 .* or yyyy-MM-dd'T'HH:mm:ss:SSSZ/ })),
    ...refused.map((_, index) => ({ input_array: "purchases", index, type: /'time'/ })),
  ]);
  assert.equal(
    (await braze.users())[0].events.map((stored: any) => stored.time),
    ["2013-07-16T18:20:30.000Z", "2013-07-16T19:20:30.500Z", "2013-07-17T00:20:30.123Z", "2013-07-16T19:20:30.000Z", "2013-07-16T00:00:00.000Z"],
  );
});

Activities.run();
