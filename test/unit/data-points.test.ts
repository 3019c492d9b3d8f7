import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countDataPoints } from "../../provider/delta";
import { HAND_PRICED_CREATE, HAND_PRICED_CREATE_POINTS } from "../fixtures/hand-priced-create";
import { ADA_ALIAS } from "./support/users";

const base = { user_alias: ADA_ALIAS, _update_existing_only: false };

const points = suite("countDataPoints");

points("counts nothing for the alias and control keys", () => {
  assert.is(countDataPoints({ ...base, _merge_objects: true }), 0);
});

points("counts one per standard profile field and custom scalar", () => {
  assert.is(countDataPoints({ ...base, first_name: "Ada", dob: "1990-12-10", country: "GB", visits: 3, trial: true }), 5);
});

points("counts nothing for email_subscribe, push_subscribe and subscription groups", () => {
  assert.is(
    countDataPoints({
      ...base,
      email_subscribe: "opted_in",
      push_subscribe: "unsubscribed",
      subscription_groups: [{ subscription_group_id: "g", subscription_state: "subscribed" }],
    }),
    0,
  );
});

points("counts a null unset as one", () => {
  assert.is(countDataPoints({ ...base, plan: null, profile: null }), 2);
});

points("counts a whole string array as one, whatever its length", () => {
  assert.is(countDataPoints({ ...base, tags: ["a", "b", "c", "d"] }), 1);
});

points("counts an add as one per value added, and a remove as one per value removed", () => {
  assert.is(countDataPoints({ ...base, tags: { add: ["c", "d"] } }), 2);
  assert.is(countDataPoints({ ...base, tags: { add: ["c"], remove: ["a"] } }), 2);
});

points("counts a nested object as one per key sent at every depth (Braze's 7-key example costs 7)", () => {
  const song = {
    song_name: "Solea",
    artist_name: "Miles Davis",
    album_name: "Sketches of Spain",
    genre: "Jazz",
    play_analytics: { count: 1000, top_10_listeners: true },
  };
  assert.is(countDataPoints({ ...base, most_played_song: song }), 7);
});

points("counts a {$time} date inside a nested object as one value", () => {
  assert.is(countDataPoints({ ...base, p: { at: { $time: "2024-05-01" } } }), 1);
});

points("counts an array of objects as one per property per item", () => {
  assert.is(
    countDataPoints({
      ...base,
      pets: [
        { id: 1, kind: "dog" },
        { id: 2, kind: "cat", age: 3 },
      ],
    }),
    5,
  );
});

points("counts current_location as one most-recent-location point", () => {
  assert.is(countDataPoints({ ...base, current_location: { longitude: 1, latitude: 2 } }), 1);
});

points("counts an empty object or an empty array of objects as one: every attribute sent costs a data point", () => {
  assert.is(countDataPoints({ ...base, profile: {} }), 1);
  assert.is(countDataPoints({ ...base, profile: { inner: {} } }), 1);
  assert.is(countDataPoints({ ...base, pets: [{}, {}] }), 1);
});

points("prices the hand-priced example at the sum written out by hand from Braze's rules", () => {
  assert.is(countDataPoints(HAND_PRICED_CREATE), HAND_PRICED_CREATE_POINTS);
});

points.run();

const addressed = suite("countDataPoints: email-only and phone-only users");

addressed("the email or phone that addresses an object is its identifier, free; a phone beside an addressing email is a profile field", () => {
  assert.is(countDataPoints({ email: "ada@example.com", _update_existing_only: false, first_name: "Ada" }), 1);
  assert.is(countDataPoints({ phone: "+15043277270", _update_existing_only: false, first_name: "Pat" }), 1);
  assert.is(countDataPoints({ email: "ada@example.com", _update_existing_only: false, phone: "+15043277270" }), 1);
  assert.is(
    countDataPoints({ external_id: "u-1", _update_existing_only: true, email: "ada@example.com" }),
    1,
    "beside an external_id, email is a profile field",
  );
});

addressed.run();
