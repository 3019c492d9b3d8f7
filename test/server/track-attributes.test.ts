// Attribute operations of /users/track, each read back through /users/export/ids.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { aliasObject, assertErrorEntries, startTestServer, type TestServer } from "./local-server";

const Attributes = suite<{ braze: TestServer }>("attribute operations");

Attributes.before(async (context) => {
  context.braze = await startTestServer();
});
Attributes.after(async (context) => context.braze.close());
Attributes.before.each(async (context) => context.braze.reset());

async function track(braze: TestServer, ...objects: object[]) {
  const answer = await braze.post("/users/track", { attributes: objects });
  assert.is(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

const custom = async (braze: TestServer, name = "ada") => (await braze.exportAlias("qa", name, ["custom_attributes"])).custom_attributes;

Attributes("a value sets the attribute and null unsets it (absent from the export, not null)", async ({ braze }) => {
  await track(braze, aliasObject("ada", { first_name: "Ada", plan: "pro", seats: 3 }));
  await track(braze, aliasObject("ada", { first_name: null, seats: null }));
  const user = await braze.exportAlias("qa", "ada", ["first_name", "custom_attributes"]);
  assert.equal(user, { custom_attributes: { plan: "pro" } });
});

Attributes("inc adds to a number and starts from 0 when there is none", async ({ braze }) => {
  await track(braze, aliasObject("ada", { visits: 5, fresh: { inc: 2 } }));
  await track(braze, aliasObject("ada", { visits: { inc: -2 } }));
  assert.equal(await custom(braze), { fresh: 2, visits: 3 });
});

Attributes("add appends (moving a present value to the end) and remove takes values out of a string array", async ({ braze }) => {
  await track(braze, aliasObject("ada", { genres: ["a", "b", "c"] }));
  await track(braze, aliasObject("ada", { genres: { add: ["a", "d"], remove: ["b"] } }));
  assert.equal(await custom(braze), { genres: ["c", "a", "d"] });
});

Attributes("a whole string array replaces the stored one, duplicates collapsing", async ({ braze }) => {
  await track(braze, aliasObject("ada", { genres: ["a", "b"] }));
  await track(braze, aliasObject("ada", { genres: ["x", "x", "y"] }));
  assert.equal(await custom(braze), { genres: ["x", "y"] });
});

Attributes("a string array keeps Braze's current default of 500 items: the oldest go first, by a whole array or by add", async ({ braze }) => {
  const values = (from: number, count: number) => Array.from({ length: count }, (_, index) => `v${from + index}`);
  await track(braze, aliasObject("ada", { seen: values(0, 501) }));
  assert.equal((await custom(braze)).seen, values(1, 500));
  await track(braze, aliasObject("ada", { seen: { add: ["new"] } }));
  assert.equal((await custom(braze)).seen, [...values(2, 499), "new"]);
});

Attributes("a nested object replaces the stored one unless _merge_objects is true, which deep-merges", async ({ braze }) => {
  await track(braze, aliasObject("ada", { loyalty: { tier: "gold", points: { now: 1, max: 9 } } }));
  await track(braze, aliasObject("ada", { loyalty: { points: { now: 2 } } }));
  assert.equal(await custom(braze), { loyalty: { points: { now: 2 } } });
  await track(braze, aliasObject("ada", { _merge_objects: true, loyalty: { tier: "silver", points: { max: 10 } } }));
  assert.equal(await custom(braze), { loyalty: { points: { now: 2, max: 10 }, tier: "silver" } });
});

Attributes("{$time} inside a nested object is stored as an ISO 8601 instant", async ({ braze }) => {
  await track(braze, aliasObject("ada", { trip: { starts: { $time: "2024-05-01" } } }));
  assert.equal(await custom(braze), { trip: { starts: "2024-05-01T00:00:00.000Z" } });
});

Attributes("arrays of objects: $add appends, $remove drops every match, $update merges into matches with _merge_objects", async ({ braze }) => {
  await track(
    braze,
    aliasObject("ada", {
      pets: [
        { id: 1, type: "cat" },
        { id: 2, type: "dog" },
        { id: 1, type: "fish" },
      ],
    }),
  );
  await track(braze, aliasObject("ada", { pets: { $add: [{ id: 3, type: "bird" }], $remove: [{ $identifier_key: "id", $identifier_value: 1 }] } }));
  await track(
    braze,
    aliasObject("ada", { _merge_objects: true, pets: { $update: [{ $identifier_key: "id", $identifier_value: 2, $new_object: { name: "Rex" } }] } }),
  );
  assert.equal(await custom(braze), {
    pets: [
      { id: 2, type: "dog", name: "Rex" },
      { id: 3, type: "bird" },
    ],
  });
});

Attributes("an invalid nested value drops every nested update of the request; the other attributes still apply", async ({ braze }) => {
  await track(braze, aliasObject("ada", { loyalty: { tier: "gold" } }));
  const body = await track(
    braze,
    aliasObject("ada", { plan: "pro", loyalty: { tier: "silver" } }),
    aliasObject("bob", { plan: "free", address: { city: null } }),
  );
  assert.equal(body.attributes_processed, 2);
  assertErrorEntries(body.errors, [{ input_array: "attributes", index: 1, type: /address\.city is null/ }]);
  assert.equal(await custom(braze, "ada"), { loyalty: { tier: "gold" }, plan: "pro" }, "ada's valid nested update was dropped too");
  assert.equal(await custom(braze, "bob"), { plan: "free" });
});

Attributes(
  'invalid nested values the provider also refuses: a "$" inside a key, a top-level {$time}, a year above 3000, a long-form date without a zone',
  async ({ braze }) => {
    const invalid: Array<[Record<string, unknown>, RegExp]> = [
      [{ profile: { a$b: 1 } }, /profile has the key "a\$b"/],
      [{ since: { $time: "2024-05-01" } }, /since is a \{"\$time"\} date at the top level/],
      [{ pets: [{ $time: "2024-05-01" }] }, /pets\[0\] is a \{"\$time"\} date/],
      [{ profile: { at: { $time: "3001-01-01" } } }, /profile\.at\.\$time has a year above 3000/],
      [{ profile: { at: { $time: "Wed 13 45 19:20:30.foo 2013" } } }, /profile\.at\.\$time is not a valid date/],
      [{ profile: { at: { $time: "Wed 07 16 19:20:30.foo 2013" } } }, /profile\.at\.\$time is not a valid date/],
      [{ profile: { at: { $time: " 2024-05-01" } } }, /profile\.at\.\$time is not a valid date/],
    ];
    for (const [attributes, message] of invalid) {
      const body = await track(braze, aliasObject("ada", attributes));
      assertErrorEntries(body.errors, [{ input_array: "attributes", index: 0, type: message }]);
    }
    assert.equal(
      (await braze.users()).map((user: any) => user.custom),
      [{}],
      "nothing nested was stored",
    );
  },
);

Attributes("a long-form date with a time zone designator and a year from 0 to 99 are read as written", async ({ braze }) => {
  await track(braze, aliasObject("ada", { profile: { at: { $time: "Wed 07 16 19:20:30.+01:00 2013" }, old: { $time: "0004-02-29" } } }));
  assert.equal(await custom(braze), { profile: { at: "2013-07-16T18:20:30.000Z", old: "0004-02-29T00:00:00.000Z" } });
});

Attributes("an empty nested object costs one data point: every attribute sent is billed", async ({ braze }) => {
  await track(braze, aliasObject("ada", { profile: {}, pets: [{}] }));
  assert.is((await braze.stats()).data_points.attributes, 2);
  assert.equal(await custom(braze), { pets: [{}], profile: {} });
});

Attributes("$update without _merge_objects is an invalid nested update", async ({ braze }) => {
  await track(braze, aliasObject("ada", { pets: [{ id: 1, type: "cat" }] }));
  const body = await track(braze, aliasObject("ada", { pets: { $update: [{ $identifier_key: "id", $identifier_value: 1, $new_object: { type: "dog" } }] } }));
  assertErrorEntries(body.errors, [{ input_array: "attributes", index: 0, type: /_merge_objects/ }]);
  assert.equal(await custom(braze), { pets: [{ id: 1, type: "cat" }] });
});

Attributes("custom names and strings are trimmed and cut at 255 characters, an emoji counting as one", async ({ braze }) => {
  await track(braze, aliasObject("ada", { " plan ": " pro\n", tags: [" a ", "b"], emoji: "😀".repeat(300), first_name: "😀".repeat(300) }));
  const user = (await braze.users())[0];
  assert.equal(user.custom, { emoji: "😀".repeat(255), plan: "pro", tags: ["a", "b"] });
  assert.is(user.standard.first_name, "😀".repeat(255));
});

Attributes("a nested string of 255 emoji is valid, one of 256 is not", async ({ braze }) => {
  const body = await track(braze, aliasObject("ada", { ok: { text: "😀".repeat(255) } }), aliasObject("bob", { long: { text: "😀".repeat(256) } }));
  assertErrorEntries(body.errors, [{ input_array: "attributes", index: 1, type: /long\.text is longer than 255 characters/ }]);
});

Attributes('a custom name starting with "$" and an object mixing an operator with other keys refuse the object', async ({ braze }) => {
  const body = await track(
    braze,
    aliasObject("ada", { $plan: "pro" }),
    aliasObject("bob", { profile: { add: ["x"], tier: "gold" } }),
    aliasObject("chen", { plan: "pro" }),
  );
  assertErrorEntries(body.errors, [
    { input_array: "attributes", index: 0, type: /'\$plan' is not a valid attribute name/ },
    { input_array: "attributes", index: 1, type: /'profile' mixes the operator "add" with other keys/ },
  ]);
  assert.equal(
    (await braze.users()).map((user: any) => user.user_aliases[0].alias_name),
    ["chen"],
  );
});

Attributes("an attribute or nested key named __proto__ is stored like any other name", async ({ braze }) => {
  await braze.postRaw(
    "/users/track",
    JSON.stringify({ attributes: [aliasObject("ada", {})] }).replace(
      '"_update_existing_only":false',
      '"_update_existing_only":false,"__proto__":"x","profile":{"__proto__":{"a":1}}',
    ),
  );
  const custom = (await braze.users())[0].custom;
  assert.equal(Object.keys(custom), ["__proto__", "profile"]);
  assert.equal(JSON.stringify(custom), '{"__proto__":"x","profile":{"__proto__":{"a":1}}}');
});

Attributes("country codes and names map onto assigned ISO 3166-1 codes; others clear the country", async ({ braze }) => {
  await track(
    braze,
    aliasObject("ada", { country: "Serbia" }),
    aliasObject("bob", { country: "rs" }),
    aliasObject("chen", { country: "ZZ" }),
    aliasObject("dan", { country: "UK" }),
  );
  assert.equal(
    (await braze.users()).map((user: any) => user.standard.country ?? null),
    ["RS", "RS", null, null],
  );
});

Attributes("custom string values over 255 characters are truncated to 255", async ({ braze }) => {
  await track(braze, aliasObject("ada", { note: "x".repeat(300) }));
  assert.is((await custom(braze)).note, "x".repeat(255));
});

Attributes("standard fields are checked: an invalid value refuses the whole object with an error naming it", async ({ braze }) => {
  const body = await track(braze, aliasObject("ada", { first_name: "Ada" }), aliasObject("bob", { first_name: "Bob", gender: "robot" }));
  assertErrorEntries(body.errors, [{ input_array: "attributes", index: 1, type: /'gender'/ }]);
  assert.is(body.attributes_processed, 1);
  assert.equal(
    (await braze.users()).map((user: any) => user.standard.first_name),
    ["Ada"],
  );
});

Attributes("standard fields are normalised: country names map to codes, phones lose formatting, mis-cased names are custom", async ({ braze }) => {
  await track(braze, aliasObject("ada", { country: "Germany", phone: "+1 (504) 327-7269", First_Name: "Ada", time_zone: "Not/AZone" }));
  const user = await braze.exportAlias("qa", "ada", ["country", "phone", "first_name", "time_zone", "custom_attributes"]);
  assert.equal(user, { country: "DE", phone: "+15043277269", custom_attributes: { First_Name: "Ada" } });
});

Attributes("current_location is exported as last_coordinates [longitude, latitude]", async ({ braze }) => {
  await track(braze, aliasObject("ada", { current_location: { longitude: 13.4, latitude: 52.5 } }));
  assert.equal(await braze.exportAlias("qa", "ada", ["last_coordinates"]), { last_coordinates: [13.4, 52.5] });
});

Attributes.run();

const SmallArrays = suite<{ braze: TestServer }>("a workspace created with 25 items per string array");
SmallArrays.before(async (context) => {
  context.braze = await startTestServer({ stringArrayMaxItems: 25 });
});
SmallArrays.after(async (context) => context.braze.close());

SmallArrays("keeps the newest 25 values of a longer array", async ({ braze }) => {
  const values = Array.from({ length: 27 }, (_, index) => `v${index}`);
  await track(braze, aliasObject("ada", { seen: values }));
  assert.equal((await custom(braze)).seen, values.slice(2));
});

SmallArrays("the setting must be a positive whole number, and the error says which setting it is", async () => {
  const { startBrazeLocal } = await import("../../server");
  try {
    await startBrazeLocal({ port: 0, stringArrayMaxItems: 0, log: () => {} });
    assert.unreachable("started with 0 items per string array");
  } catch (error) {
    assert.match((error as Error).message, /stringArrayMaxItems \(the workspace's most items per string array attribute\): must be a positive integer, got 0/);
  }
});

SmallArrays.run();
