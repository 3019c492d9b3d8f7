// Asynchronous processing: /users/track answers at once, as Braze does, and
// applies each request later, after a random delay, so requests can be
// applied in another order than they were sent.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../../server/faults";
import { startTestServer, type TestServer } from "./local-server";

const Async = suite<{ braze: TestServer }>("--processing async");
const MAX_DELAY_MS = 200;

Async.before(async (context) => {
  context.braze = await startTestServer({ processing: "async", asyncMaxDelayMs: MAX_DELAY_MS, asyncSeed: 7 });
});
Async.after(async (context) => context.braze.close());
Async.before.each(async (context) => context.braze.reset());

const alias = { alias_name: "new", alias_label: "qa" };
const exportOf = async (braze: TestServer, body: object) =>
  (await braze.post("/users/export/ids", { ...body, fields_to_export: ["custom_attributes", "custom_events"] })).body;

Async("the answer comes before the request is applied: an immediate export does not see it; the inspection views wait until it is", async () => {
  // Seed 4 draws its first delay at 92% of the longest: about 1.4 s, far longer than an export takes.
  assert.ok(seededRandom(4)() > 0.9, "precondition: seed 4 delays the first request");
  const braze = await startTestServer({ processing: "async", asyncMaxDelayMs: 1500, asyncSeed: 4 });
  try {
    const answer = await braze.post("/users/track", {
      attributes: [{ external_id: "u1", plan: "pro" }],
      events: [{ external_id: "u1", name: "joined", time: "2024-01-01T00:00:00Z" }],
    });
    assert.equal([answer.status, answer.body], [201, { message: "success", attributes_processed: 1, events_processed: 1 }]);
    const early = await exportOf(braze, { external_ids: ["u1"] });
    assert.equal([early.users, early.invalid_user_ids], [[], ["u1"]], "queued, not applied");
    const [user] = await braze.users();
    assert.equal([user.external_id, user.custom, user.events.map((event: any) => event.name)], ["u1", { plan: "pro" }, ["joined"]]);
    const stats = await braze.stats();
    assert.equal([stats.objects_processed.events, stats.data_points.events], [1, 1]);
  } finally {
    await braze.close();
  }
});

Async("requests are applied in another order than they were sent, every one of them", async ({ braze }) => {
  // Each request appends its number to a string array, so the array records the order of application.
  const sent = Array.from({ length: 20 }, (_, index) => String(index));
  for (const number of sent) await braze.post("/users/track", { attributes: [{ external_id: "u1", applied: { add: [number] } }] });
  const [user] = await braze.users();
  assert.equal(
    [...user.custom.applied].sort((a: string, b: string) => Number(a) - Number(b)),
    sent,
    "every request was applied once",
  );
  assert.not.equal(user.custom.applied, sent, "not in the order sent");
});

Async(
  "an event sent by alias before the request that creates its user is dropped when it is applied first; by external_id it creates the user",
  async ({ braze }) => {
    // Sent one after the other: the create (attributes with _update_existing_only false) and the events.
    let dropped = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      await braze.reset();
      await braze.post("/users/track", { attributes: [{ user_alias: alias, _update_existing_only: false }] });
      await braze.post("/users/track", {
        events: [
          { user_alias: alias, name: "by_alias", time: "2024-01-01T00:00:00Z" },
          { external_id: "e1", _update_existing_only: false, name: "by_external_id", time: "2024-01-01T00:00:00Z" },
        ],
      });
      const users = await braze.users();
      const created = users.find((user: any) => user.external_id === "e1");
      assert.equal(
        created.events.map((event: any) => event.name),
        ["by_external_id"],
        "an external_id event creates its user whatever the order",
      );
      const aliased = users.find((user: any) => user.user_aliases.length > 0);
      assert.ok(aliased, "the alias-only user is created");
      if (aliased.events.length === 0) dropped++;
    }
    assert.ok(dropped > 0 && dropped < 10, `the alias event was dropped in some runs and kept in others (dropped ${dropped} of 10)`);
  },
);

Async("a reset forgets queued requests", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [{ external_id: "u1", plan: "pro" }] });
  await braze.reset();
  await new Promise((resolve) => setTimeout(resolve, MAX_DELAY_MS + 50));
  assert.equal(await braze.users(), []);
});

Async.run();

const Immediate = suite("--processing immediate (default)");
Immediate("an export right after the answer sees the request", async () => {
  const braze = await startTestServer();
  try {
    await braze.post("/users/track", { attributes: [{ external_id: "u1", plan: "pro" }] });
    assert.equal((await exportOf(braze, { external_ids: ["u1"] })).users, [{ custom_attributes: { plan: "pro" } }]);
  } finally {
    await braze.close();
  }
});
Immediate.run();
