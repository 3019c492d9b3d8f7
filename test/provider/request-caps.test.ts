// Request caps: a workspace that refuses a request as too large (400 Max Input
// Length Exceeded, nothing processed) never fails the run. Its objects go again
// in smaller requests, the smaller cap is kept for the rest of the process, and
// one line says which cap is in use and the config that avoids the refusal.
// Against braze-local with a 50-objects combined cap, over real HTTP.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient } from "../../provider/braze/client";
import { TrackCapExceededError } from "../../provider/braze/errors/track-cap-exceeded-error";
import { smallerCaps, trackCaps } from "../../provider/braze/track-packing";
import { BrazeUsersApi } from "../../provider/braze/users-api";
import type { TrackAttributesObject, TrackEventObject } from "../../provider/braze/wire-types";
import type { EventEntry } from "../../provider/model/entries";
import { shardTexts } from "../../provider/encoding/user-shards";
import { memberToText } from "../../provider/encoding/user-text";
import { resetDeclarations } from "../../provider/runtime/declared-aliases";
import { UserSetProvider } from "../../provider/runtime/user-set-provider";
import type { CapScope } from "../../provider/braze/track-packing";
import { DEVELOPMENT_API_KEY } from "../../server";
import { startTestServer, type TestServer } from "../server/local-server";

const NOW = Date.parse("2024-06-01T12:00:00.000Z");
const LEGACY_NOTICE =
  "braze: Braze refused a /users/track request of 75 objects (400 Max Input Length Exceeded); its objects are sent again in smaller requests, " +
  "and the rest of this run sends at most 50 objects per request across attributes, events and purchases. To avoid the refused request, run: " +
  "pulumi config set braze:maxObjectsPerRequest 50 && pulumi config set braze:objectCapScope combined";

interface Context {
  braze: TestServer;
  notices: string[];
  api(maxObjectsPerRequest: number, capScope: CapScope): BrazeUsersApi;
}

const object = (name: string): TrackAttributesObject => ({
  user_alias: { alias_name: name, alias_label: "qa" },
  _update_existing_only: false,
  first_name: name,
});

/** The /users/track requests braze-local logged: status and objects per array. */
async function trackRequests(braze: TestServer): Promise<Array<[number, number, number]>> {
  return ((await braze.requests()) as Array<{ path: string; status: number; request_body: Record<string, unknown[]> }>)
    .filter((entry) => entry.path === "/users/track")
    .map((entry) => [entry.status, entry.request_body.attributes?.length ?? 0, entry.request_body.events?.length ?? 0]);
}

const Caps = suite<Context>("request caps: lowered after Max Input Length Exceeded, never a failed run");

Caps.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ requestCap: "combined-50", rateLimit: "100000/1", exportRateLimit: "100000/1" });
  context.notices = [];
  context.api = (maxObjectsPerRequest, capScope) =>
    new BrazeUsersApi(new BrazeClient({ endpoint: context.braze.url, apiKey: DEVELOPMENT_API_KEY }), {
      maxObjectsPerRequest,
      capScope,
      notice: (line) => context.notices.push(line),
    });
});
Caps.after.each(async (context) => context.braze.close());

Caps(
  "the default cap, 50 combined, is what a 50-combined workspace accepts: ceil(objects / 50) requests, nothing refused, nothing printed",
  async (context) => {
    const api = new BrazeUsersApi(new BrazeClient({ endpoint: context.braze.url, apiKey: DEVELOPMENT_API_KEY }), {
      maxObjectsPerRequest: 50,
      notice: (line) => context.notices.push(line),
    });
    const outcomes = await api.trackAll(Array.from({ length: 120 }, (_, i) => object(`u${i}`)));
    assert.ok(outcomes.every((outcome) => outcome.ok));
    assert.equal(await trackRequests(context.braze), [
      [201, 50, 0],
      [201, 50, 0],
      [201, 20, 0],
    ]);
    assert.equal(context.notices, []);
  },
);

Caps("75 per array on a 50-combined workspace: the refused request goes again at 50, the cap stays 50, and one line says so", async (context) => {
  const api = context.api(75, "per-array");
  const outcomes = await api.trackAll(Array.from({ length: 75 }, (_, i) => object(`u${i}`)));
  assert.ok(
    outcomes.every((outcome) => outcome.ok),
    "every object applied",
  );
  assert.equal(await trackRequests(context.braze), [
    [400, 75, 0],
    [201, 50, 0],
    [201, 25, 0],
  ]);
  assert.equal(context.notices, [LEGACY_NOTICE]);
  assert.equal(api.trackCaps, { perArray: 50, combined: 50 });
  assert.is((await context.braze.users()).length, 75);
  // The rest of the run: at the lowered cap from the start, and nothing printed again.
  await api.trackAll(Array.from({ length: 60 }, (_, i) => object(`v${i}`)));
  assert.equal((await trackRequests(context.braze)).slice(3), [
    [201, 50, 0],
    [201, 10, 0],
  ]);
  assert.equal(context.notices, [LEGACY_NOTICE]);
});

Caps("requests refused at the same time lower the cap once", async (context) => {
  const api = context.api(75, "per-array");
  const outcomes = await api.trackAll(Array.from({ length: 300 }, (_, i) => object(`u${i}`)));
  assert.ok(outcomes.every((outcome) => outcome.ok));
  const requests = await trackRequests(context.braze);
  assert.equal(
    requests.filter(([status]) => status === 400),
    [
      [400, 75, 0],
      [400, 75, 0],
      [400, 75, 0],
      [400, 75, 0],
    ],
    "the four in flight",
  );
  assert.equal(
    requests
      .filter(([status]) => status === 201)
      .map(([, attributes]) => attributes)
      .reduce((sum, n) => sum + n, 0),
    300,
  );
  assert.ok(requests.every(([status, attributes]) => status === 400 || attributes <= 50));
  assert.is(context.notices.length, 1);
});

Caps("a request with events refused as too large comes back to be cut again, not failed", async (context) => {
  const api = context.api(75, "per-array");
  const events = (name: string): TrackEventObject[] =>
    Array.from({ length: 20 }, (_, i) => ({
      user_alias: { alias_name: name, alias_label: "qa" },
      _update_existing_only: true,
      name: "rented",
      time: `2024-05-01T10:00:${String(i).padStart(2, "0")}Z`,
    }));
  const outcomes = await api.trackBundles(["a", "b", "c"].map((name) => ({ attributes: object(name), events: events(name), purchases: [] })));
  for (const outcome of outcomes) {
    assert.ok(!outcome.attributes!.ok && outcome.attributes!.error instanceof TrackCapExceededError);
    assert.ok(outcome.events.every((entry) => entry.state === "failed" && entry.error instanceof TrackCapExceededError));
  }
  assert.equal(api.trackCaps, { perArray: 50, combined: 50 });
});

Caps("a user set with events converges in one run: each event logged once, every request within 50", async (context) => {
  const provider = new UserSetProvider(context.api(75, "per-array"), { now: () => NOW, entrySettleMs: 0 });
  const rentals = (count: number): Record<string, EventEntry> =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`r${i}`, { name: "rented", time: `2024-05-01T10:00:${String(i).padStart(2, "0")}Z` }]));
  const names = ["a", "b", "c"];
  const inputs = {
    name: "users",
    shards: shardTexts(
      Object.fromEntries(
        names.map((name) => [
          `qa/${name}`,
          memberToText({
            user: { alias: { name, label: "qa" }, attributes: { first_name: name }, subscriptionGroups: {} },
            entries: { events: rentals(20), purchases: {} },
          }),
        ]),
      ),
    ),
  };
  const { outs } = await provider.create(inputs);
  assert.equal(outs.pending, {});
  // The new users' attributes first; then their 60 events in one request, refused; then 40 and 20.
  assert.equal(await trackRequests(context.braze), [
    [201, 3, 0],
    [400, 0, 60],
    [201, 0, 40],
    [201, 0, 20],
  ]);
  for (const user of await context.braze.users()) assert.is(user.events.length, 20, `${user.user_aliases[0].alias_name}'s events, each once`);
  assert.equal(context.notices.length, 1);
  assert.match(context.notices[0], "a /users/track request of 60 objects");
});

Caps.run();

const Lowering = suite("smallerCaps: the caps after a refusal");

Lowering("steps through Braze's combined caps below the refused size, then halves", () => {
  const legacy = trackCaps(75, "per-array");
  assert.equal(legacy, { perArray: 75, combined: 225 });
  assert.equal(smallerCaps(legacy, 150), { perArray: 75, combined: 75 }, "more than 75 refused: today's default, 75 combined");
  assert.equal(smallerCaps(legacy, 75), { perArray: 50, combined: 50 });
  assert.equal(smallerCaps(trackCaps(50, "combined"), 50), { perArray: 25, combined: 25 });
  assert.equal(smallerCaps(trackCaps(50, "combined"), 30), { perArray: 15, combined: 15 });
  assert.equal(smallerCaps(trackCaps(50, "combined"), 2), { perArray: 1, combined: 1 });
  assert.is(smallerCaps(trackCaps(50, "combined"), 1), undefined, "a single object cannot be cut");
});

Lowering.run();
