// The requests `braze-profiles plan` counts for new users with events: their
// attributes, then their entries in requests of their own once the export
// shows them (one more read per 50 such users).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { trackCaps } from "../../provider/braze/track-packing";
import { planSet } from "../../provider/delta/plan-set";
import { requestsOf } from "../../provider/delta/set-sends";
import { EMPTY_RECORD } from "../../provider/encoding/recorded-set";
import { storedText } from "../../provider/encoding/stored-text";
import { memberToText } from "../../provider/encoding/user-text";
import { NO_ENTRIES, type EventEntry } from "../../provider/model/entries";

const member = (name: string, events: number) => {
  const key = `qa/${name}`;
  const entries = {
    ...NO_ENTRIES,
    events: Object.fromEntries(Array.from({ length: events }, (_, i): [string, EventEntry] => [`e${i}`, { name: "viewed", time: "2024-05-01T10:00:00Z" }])),
  };
  return [key, storedText(key, memberToText({ user: { alias: { name, label: "qa" }, attributes: { first_name: name }, subscriptionGroups: {} }, entries }))];
};

const Requests = suite("requestsOf: new users with entries");

Requests("new users' attributes go in one request, their entries in another, after one more read", () => {
  const plan = planSet(EMPTY_RECORD, Object.fromEntries([member("a", 2), member("b", 2), member("c", 0)]));
  assert.equal(requestsOf(plan, trackCaps(50, "combined")), {
    "/users/track": 2,
    "/users/delete": 0,
    "/users/alias/update": 0,
    "/users/alias/new": 0,
    "/users/identify": 0,
    "/users/external_ids/rename": 0,
    "/users/external_ids/remove": 0,
    // The counts read before sending, then the new users read until Braze shows them.
    "/users/export/ids": 2,
    "/subscription/status/get": 0,
  });
});

Requests("new users without entries cost nothing more", () => {
  const plan = planSet(EMPTY_RECORD, Object.fromEntries([member("a", 0), member("b", 0)]));
  assert.equal(requestsOf(plan, trackCaps(50, "combined"))["/users/track"], 1);
  assert.equal(requestsOf(plan, trackCaps(50, "combined"))["/users/export/ids"], 0);
});

Requests.run();
