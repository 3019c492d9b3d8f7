// Events and purchases of a user set against braze-local over real HTTP, without
// the engine: exact request bodies, what the record holds, and that every entry
// is logged exactly once through lost answers, 5xx and dropped connections.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient } from "../../provider/braze/client";
import { BrazeUsersApi } from "../../provider/braze/users-api";
import type { EventEntry, PurchaseEntry } from "../../provider/model/entries";
import { EntryConflictError } from "../../provider/delta/entry-conflict-error";
import { shardTexts, textsOfShards } from "../../provider/encoding/user-shards";
import { memberToText } from "../../provider/encoding/user-text";
import { resetDeclarations } from "../../provider/runtime/declared-aliases";
import { decodeRecord } from "../../provider/encoding/record-codec";
import { UserSetPartialFailure, UserSetProvider, type UserSetOutputs } from "../../provider/runtime/user-set-provider";
import { DEVELOPMENT_API_KEY } from "../../server";
import { startLossyProxy } from "../harness/lossy-proxy";
import { startTestServer, type TestServer } from "../server/local-server";

const noWait = async () => {};
const NOW = Date.parse("2024-06-01T12:00:00.000Z");

function providerFor(endpoint: string, maxObjectsPerRequest = 75): UserSetProvider {
  const client = new BrazeClient({ endpoint, apiKey: DEVELOPMENT_API_KEY, sleep: noWait, random: () => 0 });
  return new UserSetProvider(new BrazeUsersApi(client, { maxObjectsPerRequest, capScope: "per-array" }), {
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => NOW,
    entrySettleMs: 0,
  });
}

const rental = (day: number, title = "Dune"): EventEntry => ({ name: "rented_movie", time: `2024-05-0${day}T10:00:00Z`, properties: { title } });
const gold: PurchaseEntry = { product_id: "gold-plan", currency: "USD", price: 9.99, quantity: 2, time: "-3d", properties: { coupon: "SPRING" } };

interface Member {
  name: string;
  attributes?: Record<string, string>;
  events?: Record<string, EventEntry>;
  purchases?: Record<string, PurchaseEntry>;
}

function inputs(members: Member[]): Record<string, unknown> {
  return {
    name: "users",
    shards: shardTexts(
      Object.fromEntries(
        members.map((m) => [
          `qa/${m.name}`,
          memberToText({
            user: { alias: { name: m.name, label: "qa" }, attributes: m.attributes ?? { first_name: m.name }, subscriptionGroups: {} },
            entries: { events: m.events ?? {}, purchases: m.purchases ?? {} },
          }),
        ]),
      ),
    ),
  };
}

interface Context {
  braze: TestServer;
  provider: UserSetProvider;
}

/** Per user name: its events as `name@time` and purchases as `product_id@time`, sorted. */
async function logged(braze: TestServer): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const user of await braze.users()) {
    const name = user.user_aliases[0].alias_name;
    out[name] = [...user.events.map((e: any) => `${e.name}@${e.time}`), ...user.purchases.map((p: any) => `${p.product_id}@${p.time}`)].sort();
  }
  return out;
}

const alias = (name: string) => ({ alias_name: name, alias_label: "qa" });
const Events = suite<Context>("user set events and purchases against braze-local");

Events.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ rateLimit: "100000/1", exportRateLimit: "100000/1" });
  context.provider = providerFor(context.braze.url);
});
Events.after.each(async (context) => context.braze.close());

Events("a create checks the counts, sends the attributes, and the entries once Braze shows the user; the same file again sends nothing", async (context) => {
  const members: Member[] = [{ name: "ada", events: { r1: rental(1) }, purchases: { g1: gold } }];
  const { outs } = await context.provider.create(inputs(members));
  assert.equal(await context.braze.newRequests(), [
    { path: "/users/export/ids", body: { user_aliases: [alias("ada")], fields_to_export: ["custom_events", "purchases", "user_aliases"] } },
    { path: "/users/track", body: { attributes: [{ user_alias: alias("ada"), _update_existing_only: false, first_name: "ada" }] } },
    { path: "/users/export/ids", body: { user_aliases: [alias("ada")], fields_to_export: ["braze_id", "user_aliases"] } },
    {
      path: "/users/track",
      body: {
        events: [{ user_alias: alias("ada"), _update_existing_only: true, name: "rented_movie", time: "2024-05-01T10:00:00Z", properties: { title: "Dune" } }],
        purchases: [
          {
            user_alias: alias("ada"),
            _update_existing_only: true,
            product_id: "gold-plan",
            currency: "USD",
            price: 9.99,
            quantity: 2,
            time: "2024-05-29T12:00:00.000Z",
            properties: { coupon: "SPRING" },
          },
        ],
      },
    },
  ]);
  const record = decodeRecord(outs.record);
  assert.is(record.users["qa/ada"], textsOfShards(inputs(members).shards as Record<string, string>)["qa/ada"], "the record holds the entries as written");
  assert.equal(record.logs["qa/ada"], {
    tally: { "event:rented_movie": 1, "purchase:gold-plan": 2 },
    resolved: { "purchases.g1": "2024-05-29T12:00:00.000Z" },
  });
  assert.equal(outs.pending, {});
  assert.equal(await logged(context.braze), {
    ada: ["gold-plan@2024-05-29T12:00:00.000Z", "gold-plan@2024-05-29T12:00:00.000Z", "rented_movie@2024-05-01T10:00:00.000Z"],
  });

  assert.equal((await context.provider.diff(outs as never, inputs(members))).changes, false);
  await context.provider.update("users", outs as never, inputs(members));
  assert.equal(await context.braze.newRequests(), []);
});

Events("a new entry sends exactly that entry; a removed one sends nothing and is listed as forgotten once", async (context) => {
  const { outs } = await context.provider.create(inputs([{ name: "ada", events: { r1: rental(1) }, purchases: { g1: gold } }]));
  await context.braze.newRequests();
  const { outs: added } = await context.provider.update(
    "users",
    outs as never,
    inputs([{ name: "ada", events: { r1: rental(1), r2: rental(2) }, purchases: { g1: gold } }]),
  );
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", "/users/track"],
  );
  assert.equal(requests[1].body, {
    events: [{ user_alias: alias("ada"), _update_existing_only: true, name: "rented_movie", time: "2024-05-02T10:00:00Z", properties: { title: "Dune" } }],
  });
  assert.equal(decodeRecord(added.record).logs["qa/ada"].tally, { "event:rented_movie": 2, "purchase:gold-plan": 2 });

  const { outs: removed } = await context.provider.update("users", added as never, inputs([{ name: "ada", events: { r2: rental(2) } }]));
  assert.equal(await context.braze.newRequests(), []);
  assert.equal(removed.forgotten, { "qa/ada": ["events.r1", "purchases.g1"] });
  assert.equal(decodeRecord(removed.record).logs["qa/ada"].tally, { "event:rented_movie": 2, "purchase:gold-plan": 2 }, "the tally keeps what Braze holds");
  const { outs: after } = await context.provider.update("users", removed as never, inputs([{ name: "ada", events: { r2: rental(2) } }]));
  assert.equal(await context.braze.newRequests(), []);
  assert.is(after.forgotten, undefined, "reported once");
});

Events("a changed entry fails the whole update before anything is sent, naming user and entry", async (context) => {
  const { outs } = await context.provider.create(inputs([{ name: "ada", events: { r1: rental(1) } }, { name: "bob" }]));
  await context.braze.newRequests();
  const changed = inputs([
    { name: "ada", events: { r1: rental(1, "Dune 2") } },
    { name: "bob", attributes: { first_name: "Bobby" } },
  ]);
  const conflict = await context.provider.diff(outs as never, changed).catch((error: Error) => error);
  assert.match(String(conflict), /users\["qa\/ada"\]\.events\.r1: it changed \(properties\)/);
  const error = await context.provider.update("users", outs as never, changed).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.instance(error, EntryConflictError);
  assert.match((error as Error).message, /^BrazeUserSet "users": nothing was sent: 1 event or purchase changed after Braze logged them\nusers\["/);
  assert.match((error as Error).message, /Braze cannot change a logged event; restore it, or give the changed event a new id/);
  assert.equal(await context.braze.newRequests(), []);
});

Events("a user with events and no attributes is still created first; an alias-only user's events never create it alone", async (context) => {
  await context.provider.create(inputs([{ name: "eve", attributes: {}, events: { r1: rental(1) } }]));
  const track = (await context.braze.newRequests()).find((r) => r.path === "/users/track")!;
  assert.equal(track.body.attributes, [{ user_alias: alias("eve"), _update_existing_only: false }]);
  assert.equal(await logged(context.braze), { eve: ["rented_movie@2024-05-01T10:00:00.000Z"] });
});

Events("a lost answer after Braze applied the events: the counts say they arrived, nothing is sent again", async (context) => {
  let lose = true;
  const proxy = await startLossyProxy(context.braze.url, (path, body: any) => {
    if (path !== "/users/track" || !lose || !body?.events) return false;
    lose = false;
    return true;
  });
  try {
    const provider = providerFor(proxy.url);
    const { outs } = await provider.create(
      inputs([
        { name: "ada", events: { r1: rental(1), r2: rental(2) }, purchases: { g1: gold } },
        { name: "bob", events: { b1: rental(3) } },
      ]),
    );
    assert.is(proxy.dropped, 1);
    assert.equal(
      (await context.braze.newRequests()).map((r) => r.path),
      ["/users/export/ids", "/users/track", "/users/export/ids", "/users/track", "/users/export/ids"],
    );
    const record = decodeRecord(outs.record);
    assert.equal(record.logs["qa/ada"].tally, { "event:rented_movie": 2, "purchase:gold-plan": 2 });
    assert.equal(record.logs["qa/bob"].tally, { "event:rented_movie": 1 });
    assert.equal(outs.pending, {});
    const held = await logged(context.braze);
    assert.is(held.ada.length, 4);
    assert.is(held.bob.length, 1);
    await provider.update(
      "users",
      outs as never,
      inputs([
        { name: "ada", events: { r1: rental(1), r2: rental(2) }, purchases: { g1: gold } },
        { name: "bob", events: { b1: rental(3) } },
      ]),
    );
    assert.equal(await context.braze.newRequests(), []);
  } finally {
    await proxy.close();
  }
});

Events("entries the record does not know but Braze holds (a killed run) are recorded, not sent again", async (context) => {
  // What a run killed after sending leaves: Braze holds the user and its events, the record nothing.
  await context.braze.post("/users/track", {
    attributes: [{ user_alias: alias("ada"), _update_existing_only: false, first_name: "ada" }],
    events: [{ user_alias: alias("ada"), name: "rented_movie", time: "2024-05-01T10:00:00Z", properties: { title: "Dune" } }],
  });
  await context.braze.newRequests();
  const { outs } = await context.provider.create(
    inputs([{ name: "ada", events: { r1: rental(1), r2: { name: "rated_movie", time: "2024-05-02T10:00:00Z" } } }]),
  );
  const track = (await context.braze.newRequests()).find((r) => r.path === "/users/track")!;
  assert.equal(track.body.events, [{ user_alias: alias("ada"), _update_existing_only: true, name: "rated_movie", time: "2024-05-02T10:00:00Z" }]);
  assert.equal(decodeRecord(outs.record).logs["qa/ada"].tally, { "event:rated_movie": 1, "event:rented_movie": 1 });
  assert.equal(await logged(context.braze), { ada: ["rated_movie@2024-05-02T10:00:00.000Z", "rented_movie@2024-05-01T10:00:00.000Z"] });
});

Events("an event logged outside the stack under the same name, at another time, does not pass for a new entry", async (context) => {
  await context.braze.post("/users/track", {
    attributes: [{ user_alias: alias("ada"), _update_existing_only: false }],
    events: [{ user_alias: alias("ada"), name: "rented_movie", time: "2023-01-01T00:00:00Z" }],
  });
  await context.braze.newRequests();
  const error = (await context.provider.create(inputs([{ name: "ada", events: { r1: rental(1) } }])).then(
    () => undefined,
    (e: unknown) => e,
  )) as UserSetPartialFailure;
  assert.instance(error, UserSetPartialFailure);
  assert.match(error.message, /events\.r1 not sent: .*its first and last times do not include events\.r1's time 2024-05-01T10:00:00Z/);
  assert.is((await context.braze.newRequests()).filter((r) => r.path === "/users/track" && r.body.events).length, 0);
});

Events("counts no choice of entries explains: the entries are not sent, the user fails by name, and the next run checks again", async (context) => {
  await context.braze.post("/users/track", {
    attributes: [{ user_alias: alias("ada"), _update_existing_only: false }],
    events: [1, 2].map((day) => ({ user_alias: alias("ada"), name: "rented_movie", time: `2024-05-0${day}T10:00:00Z` })),
  });
  await context.braze.newRequests();
  const error = (await context.provider.create(inputs([{ name: "ada", events: { r1: rental(1) } }])).then(
    () => undefined,
    (e: unknown) => e,
  )) as UserSetPartialFailure;
  assert.instance(error, UserSetPartialFailure);
  assert.match(
    error.message,
    /users\["qa\/ada"\]: events\.r1 not sent: whether Braze already holds it cannot be decided \(event:rented_movie: Braze holds 2, this stack logged 0: no choice/,
  );
  assert.is((await context.braze.newRequests()).filter((r) => r.path === "/users/track" && r.body.events).length, 0, "no event sent");
  assert.match(error.properties.pending["qa/ada"] ?? "", /cannot be decided/);
});

Events("a request that timed out and lands later: kept in doubt, not sent again; the next run finds it logged and records it", async (context) => {
  // A proxy that holds /users/track requests with events back for 400 ms before forwarding them: the client gives up after 200 ms.
  const held: Array<Promise<void>> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const slow = request.url === "/users/track" && text.includes('"events"');
      const forward = async () => {
        if (slow) await new Promise((resolve) => setTimeout(resolve, 400));
        const answer = await fetch(`${context.braze.url}${request.url}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: String(request.headers.authorization) },
          body: text,
        });
        const body = await answer.text();
        if (!response.destroyed) response.writeHead(answer.status, { "Content-Type": "application/json" }).end(body);
      };
      held.push(forward().catch(() => {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const client = new BrazeClient({ endpoint: url, apiKey: DEVELOPMENT_API_KEY, sleep: noWait, random: () => 0, requestTimeoutMs: 200 });
    const provider = new UserSetProvider(new BrazeUsersApi(client, { maxObjectsPerRequest: 75, capScope: "per-array" }), { now: () => NOW, entrySettleMs: 0 });
    const members: Member[] = [{ name: "ada", events: { r1: rental(1) } }];
    const error = (await provider.create(inputs(members)).then(
      () => undefined,
      (e: unknown) => e,
    )) as UserSetPartialFailure;
    assert.instance(error, UserSetPartialFailure);
    assert.match(error.message, /events\.r1: its request timed out and may still be applied; state keeps it in doubt/);
    assert.equal(Object.keys(decodeRecord(error.properties.record).logs["qa/ada"].doubt ?? {}), ["events.r1"]);
    await Promise.all(held);
    const { outs } = await provider.update("users", error.properties as never, inputs(members));
    assert.equal(outs.pending, {});
    assert.equal(decodeRecord(outs.record).logs["qa/ada"], { tally: { "event:rented_movie": 1 } });
    assert.equal(await logged(context.braze), { ada: ["rented_movie@2024-05-01T10:00:00.000Z"] }, "logged once");
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

Events.run();

const Faults = suite<Context>("user set events under injected faults");

Faults.before.each(async (_context) => {
  resetDeclarations();
});
Faults.after.each(async (context) => context.braze.close());

for (const [label, faults] of [
  ["5xx", { rate5xx: 0.3, seed: 7 }],
  ["dropped connections before and after applying", { rateReset: 0.3, seed: 4 }],
  ["429", { rate429: 0.3, seed: 5 }],
] as const) {
  Faults(`${label}: 60 users with 5 events and a purchase converge with every entry logged exactly once; the next up sends nothing`, async (context) => {
    context.braze = await startTestServer({ rateLimit: "100000/1", exportRateLimit: "100000/1", faults });
    const provider = providerFor(context.braze.url);
    const members: Member[] = Array.from({ length: 60 }, (_, index) => ({
      name: `p${index}`,
      events: Object.fromEntries([1, 2, 3, 4, 5].map((day) => [`e${day}`, { name: `event_${day % 2}`, time: `2024-05-0${day}T10:00:00Z` }])),
      purchases: { g1: { ...gold, time: "2024-05-01T10:00:00Z" } },
    }));
    let outs: UserSetOutputs | undefined;
    let runs = 0;
    for (let run = 0; run < 6 && (outs === undefined || Object.keys(outs.pending).length > 0 || run === 0); run++) {
      runs += 1;
      try {
        outs = outs === undefined ? (await provider.create(inputs(members))).outs : (await provider.update("users", outs as never, inputs(members))).outs;
      } catch (error) {
        if (!(error instanceof UserSetPartialFailure)) throw error;
        outs = error.properties;
      }
    }
    assert.equal(outs!.pending, {}, "converged");
    const log = await context.braze.requests();
    const faulted = log.filter((entry: any) => entry.path === "/users/track" && entry.status !== 201);
    if (process.env.DEBUG_EVENTS) console.error(label, runs, log.map((entry: any) => `${entry.path}:${entry.status}`).join(" "));
    assert.ok(faulted.length > 0, "faults hit /users/track requests");
    const held = await logged(context.braze);
    assert.is(Object.keys(held).length, 60);
    for (const [name, entries] of Object.entries(held)) {
      assert.equal(
        entries,
        [
          "event_0@2024-05-02T10:00:00.000Z",
          "event_0@2024-05-04T10:00:00.000Z",
          "event_1@2024-05-01T10:00:00.000Z",
          "event_1@2024-05-03T10:00:00.000Z",
          "event_1@2024-05-05T10:00:00.000Z",
          "gold-plan@2024-05-01T10:00:00.000Z",
          "gold-plan@2024-05-01T10:00:00.000Z",
        ],
        name,
      );
    }
    await context.braze.newRequests();
    await provider.update("users", outs as never, inputs(members));
    assert.equal(
      (await context.braze.newRequests()).filter((r) => r.path === "/users/track"),
      [],
    );
  });
}

Faults.run();
