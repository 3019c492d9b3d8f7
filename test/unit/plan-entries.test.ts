// The pure planning of events and purchases in a user set: each entry sent once
// by id, a changed one refused before anything is sent, a removed one forgotten;
// the decision rule for entries whose request got no answer; and how a pass is
// cut into requests.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { packBundles, splitBundle, minimumRequests, trackCaps, type TrackBundle } from "../../provider/braze/track-packing";
import { decideArrivals, exportedCounts } from "../../provider/delta/decide-arrivals";
import type { EventEntry, PurchaseEntry } from "../../provider/model/entries";
import { resolveTime } from "../../provider/model/entries";
import { dataPointsOf, planSet } from "../../provider/delta/plan-set";
import { EMPTY_RECORD, type RecordedSet } from "../../provider/encoding/recorded-set";
import { memberToText } from "../../provider/encoding/user-text";

const rental: EventEntry = { name: "rented_movie", time: "2024-05-01T10:00:00Z", properties: { title: "Dune" } };
const gold: PurchaseEntry = { product_id: "gold-plan", currency: "USD", price: 9.99, quantity: 2, time: "-3d", properties: { coupon: "SPRING" } };

function text(
  events: Record<string, EventEntry> = {},
  purchases: Record<string, PurchaseEntry> = {},
  attributes: Record<string, string> = { first_name: "Ada" },
): string {
  return memberToText({ user: { alias: { name: "ada", label: "qa" }, attributes, subscriptionGroups: {} }, entries: { events, purchases } });
}

function recorded(userText: string, logs: RecordedSet["logs"] = {}): RecordedSet {
  return { users: { ada: userText }, unsure: {}, logs };
}

const Plan = suite("planSet: events and purchases");

Plan("a new user's entries are all sent, after the object that creates it", () => {
  const plan = planSet(EMPTY_RECORD, { ada: text({ r1: rental }, { g1: gold }) });
  const change = plan.changes[0] as any;
  assert.is(change.action, "create");
  assert.equal(change.object, { user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: false, first_name: "Ada" });
  assert.equal(
    change.entries.send.map((p: any) => [p.kind, p.id]),
    [
      ["event", "r1"],
      ["purchase", "g1"],
    ],
  );
  assert.equal(change.entries.verify, []);
  assert.equal(change.entries.forgotten, []);
  assert.equal(plan.conflicts, []);
});

Plan("the same file again is unchanged by string comparison: nothing to send", () => {
  const same = text({ r1: rental }, { g1: gold });
  const plan = planSet(recorded(same, { ada: { tally: { "event:rented_movie": 1, "purchase:gold-plan": 2 } } }), { ada: same });
  assert.equal(plan.changes, []);
  assert.is(plan.unchanged, 1);
});

Plan("entries are keyed by id: a reorder in the file is the same text", () => {
  assert.is(text({ b: rental, a: { ...rental, name: "other" } }), text({ a: { ...rental, name: "other" }, b: rental }));
});

Plan("a new entry is the only thing sent: no attributes object", () => {
  const plan = planSet(recorded(text({ r1: rental })), { ada: text({ r1: rental, r2: { ...rental, time: "2024-05-02T10:00:00Z" } }) });
  const change = plan.changes[0] as any;
  assert.is(change.action, "update");
  assert.is(change.object, undefined);
  assert.equal(
    change.entries.send.map((p: any) => p.id),
    ["r2"],
  );
});

Plan("an entry changed after it was logged is a conflict naming the user, the entry and the fields", () => {
  const plan = planSet(recorded(text({ r1: rental })), { ada: text({ r1: { ...rental, properties: { title: "Dune 2" } } }) });
  assert.is(plan.conflicts.length, 1);
  assert.is(plan.conflicts[0].key, "ada");
  assert.is(plan.conflicts[0].ref, "events.r1");
  assert.match(plan.conflicts[0].reason, /it changed \(properties\) after Braze logged it/);
  assert.match(plan.conflicts[0].reason, /give the changed event a new id/);
});

Plan("a relative time is compared as written: -3d stays the same purchase on later runs", () => {
  const same = text({}, { g1: gold });
  const plan = planSet(recorded(same, { ada: { tally: { "purchase:gold-plan": 2 }, resolved: { "purchases.g1": "2024-05-01T10:00:00.000Z" } } }), {
    ada: same,
  });
  assert.equal(plan.changes, []);
});

Plan("an entry gone from the file sends nothing and is forgotten, once, by ref", () => {
  const plan = planSet(recorded(text({ r1: rental }, { g1: gold })), { ada: text({ r1: rental }) });
  const change = plan.changes[0] as any;
  assert.is(change.object, undefined);
  assert.equal(change.entries, { send: [], verify: [], forgotten: ["purchases.g1"] });
  assert.is(dataPointsOf(plan), 0);
});

Plan("an entry in doubt is checked, with the time and request it went with; changed, it is a conflict", () => {
  const doubt = {
    "events.r1": {
      text: JSON.stringify({ name: "rented_movie", properties: { title: "Dune" }, time: "2024-05-01T10:00:00Z" }),
      sentTime: "2024-05-01T10:00:00Z",
      group: "run#1.0",
    },
  };
  const record = recorded(text(), { ada: { tally: {}, doubt } });
  const plan = planSet(record, { ada: text({ r1: rental }) });
  const change = plan.changes[0] as any;
  assert.equal(
    change.entries.verify.map((p: any) => [p.id, p.sentTime, p.group]),
    [["r1", "2024-05-01T10:00:00Z", "run#1.0"]],
  );
  assert.equal(change.entries.send, []);
  const changed = planSet(record, { ada: text({ r1: { ...rental, name: "bought" } }) });
  assert.match(changed.conflicts[0].reason, /its last send got no answer/);
  const removed = planSet(record, { ada: text() });
  assert.equal((removed.changes[0] as any).entries.forgotten, ["events.r1"]);
});

Plan("data points: 1 per event, 1 + properties per purchase, plus the attributes object", () => {
  const plan = planSet(EMPTY_RECORD, { ada: text({ r1: rental, r2: rental }, { g1: gold }) });
  assert.is(dataPointsOf(plan), 1 + 2 + 2);
});

Plan.run();

const Decide = suite("decideArrivals: entries whose request got no answer");
const group = (id: string, occurrences: Record<string, number>) => ({ id, occurrences });

Decide("counts equal to the tally: nothing arrived", () => {
  assert.equal(decideArrivals({ "event:a": 2 }, { "event:a": 2 }, [group("g1", { "event:a": 1 })]), { decided: true, arrived: [] });
});

Decide("counts of the tally plus every group: all arrived", () => {
  assert.equal(decideArrivals({ "event:a": 2 }, { "event:a": 3, "purchase:p": 4 }, [group("g1", { "event:a": 1, "purchase:p": 4 })]), {
    decided: true,
    arrived: ["g1"],
  });
});

Decide("one choice of requests explains the counts: those arrived", () => {
  const verdict = decideArrivals({}, { "event:a": 1, "event:b": 1 }, [
    group("g1", { "event:a": 1 }),
    group("g2", { "event:b": 1, "event:c": 1 }),
    group("g3", { "event:b": 1 }),
  ]);
  assert.equal(verdict, { decided: true, arrived: ["g1", "g3"] });
});

Decide("two choices explain it, or none: undecided, saying the counts", () => {
  const two = decideArrivals({}, { "event:a": 1 }, [group("g1", { "event:a": 1 }), group("g2", { "event:a": 1 })]);
  assert.equal(two.decided, false);
  assert.match((two as any).reason, /event:a: Braze holds 1, this stack logged 0: more than one choice/);
  const none = decideArrivals({}, { "event:a": 5 }, [group("g1", { "event:a": 1 })]);
  assert.match((none as any).reason, /no choice of the entries in doubt explains the difference/);
});

Decide("an export's custom_events and purchases become counts per counter; a malformed one is refused", () => {
  assert.equal(exportedCounts([{ name: "a", first: "x", last: "y", count: 2 }], [{ name: "p", count: 3 }]), { "event:a": 2, "purchase:p": 3 });
  assert.equal(exportedCounts(undefined, null), {});
  assert.throws(() => exportedCounts([{ name: "a" }], undefined), /lacks name or count/);
});

Decide.run();

const Pack = suite("packing bundles into /users/track requests");
const alias = { alias_name: "u", alias_label: "qa" };
const bundle = (attributes: number, events: number, purchases: number): TrackBundle => ({
  ...(attributes ? { attributes: { user_alias: alias, _update_existing_only: false } } : {}),
  events: Array.from({ length: events }, () => ({ user_alias: alias, _update_existing_only: true as const, name: "e", time: "2024-01-01T00:00:00Z" })),
  purchases: Array.from({ length: purchases }, () => ({
    user_alias: alias,
    _update_existing_only: true as const,
    product_id: "p",
    currency: "USD",
    price: 1,
    time: "2024-01-01T00:00:00Z",
  })),
});

Pack("75 per array: 30 users with 5 events and a purchase take 2 requests, the minimum", () => {
  const bundles = Array.from({ length: 30 }, () => bundle(1, 5, 1));
  const caps = trackCaps(75, "per-array");
  assert.equal(
    packBundles(bundles, caps).map((request) => request.length),
    [15, 15],
  );
  assert.is(minimumRequests(bundles, caps), 2);
});

Pack("braze:maxObjectsPerRequest 50 is a combined cap across the three arrays", () => {
  const caps = trackCaps(50, "combined");
  assert.equal(caps, { perArray: 50, combined: 50 });
  const bundles = Array.from({ length: 10 }, () => bundle(1, 5, 1));
  assert.equal(
    packBundles(bundles, caps).map((request) => request.length),
    [7, 3],
  );
});

Pack("a user with more entries than a request holds is split, its attributes object in the first part", () => {
  const parts = splitBundle(bundle(1, 80, 0), trackCaps(75, "per-array"));
  assert.equal(
    parts.map((part) => [part.attributes ? 1 : 0, part.events.length]),
    [
      [1, 75],
      [0, 5],
    ],
  );
});

Pack.run();

const Times = suite("relative times");
Times("-3d resolves to three days before now; an absolute time stays as written", () => {
  const now = Date.parse("2024-05-04T10:00:00.000Z");
  assert.is(resolveTime("-3d", now), "2024-05-01T10:00:00.000Z");
  assert.is(resolveTime("2024-05-01T10:00:00Z", now), "2024-05-01T10:00:00Z");
});
Times.run();

const Members = suite("BrazeUserSet members with events and purchases");

Members("a member's events and purchases become objects keyed by id in its text; the id is not sent", async () => {
  const { memberTexts } = await import("../../provider/user-set-resource");
  const texts = memberTexts("users", [
    { alias: { name: "ada", label: "qa" }, attributes: { first_name: "Ada" }, events: [{ id: "r1", ...rental }], purchases: [{ id: "g1", ...gold }] },
  ]);
  assert.is(texts["qa/ada"], text({ r1: rental }, { g1: gold }));
});

Members("entries declared in TypeScript get the file's rules: an id used twice, an invalid time, each named by place", async () => {
  const { memberTexts } = await import("../../provider/user-set-resource");
  assert.throws(
    () => memberTexts("users", [{ alias: { name: "ada", label: "qa" }, events: [{ id: "x", ...rental }], purchases: [{ id: "x", ...gold }] }]),
    /users\["qa\/ada"\]\.purchases\[0\]\.id: duplicates the id "x" of events\[0\]/,
  );
  assert.throws(
    () => memberTexts("users", [{ alias: { name: "ada", label: "qa" }, events: [{ id: "y", name: "a", time: "yesterday" }] }]),
    /users\["qa\/ada"\]\.events\[0\]\.time: must be an ISO 8601 date-time with a time zone/,
  );
});

Members("one BrazeUser per user refuses a file with events or purchases, pointing to BrazeUserSet", async () => {
  const { brazeUsersFromDesiredState } = await import("../../provider/desired-state-resources");
  assert.throws(
    () =>
      brazeUsersFromDesiredState({
        users: [{ user: { alias: { name: "ada", label: "qa" }, attributes: {}, subscriptionGroups: {} }, events: [{ id: "r1", ...rental }] }],
      }),
    /1 user\(s\) declare events or purchases \(qa\/ada\), which BrazeUser does not manage; a set logs each event and purchase once; declare the file as one BrazeUserSet/,
  );
});

Members.run();
