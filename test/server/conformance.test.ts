// The example requests of Braze's POST /users/track page and event object
// page, with their JSON typos fixed, give the documented answers and
// effects, read back through /users/export/ids.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "./local-server";

const byEmail = {
  attributes: [{ email: "test@braze.com", string_attribute: "fruit", boolean_attribute_1: true, integer_attribute: 26, array_attribute: ["banana", "apple"] }],
  events: [
    {
      email: "test@braze.com",
      app_id: "your_app_identifier",
      name: "rented_movie",
      time: "2022-12-06T19:20:45+01:00",
      properties: { release: { studio: "FilmStudio", year: "2022" }, cast: [{ name: "Actor1" }, { name: "Actor2" }] },
    },
    {
      user_alias: { alias_name: "device123", alias_label: "my_device_identifier" },
      app_id: "your_app_identifier",
      name: "rented_movie",
      time: "2013-07-16T19:20:50+01:00",
    },
  ],
  purchases: [
    {
      email: "test@braze.com",
      app_id: "your_app_identifier",
      product_id: "product_name",
      currency: "USD",
      price: 12.12,
      quantity: 6,
      time: "2017-05-12T18:47:12Z",
      properties: { color: "red", monogram: "ABC", checkout_duration: 180, size: "Large", brand: "Backpack Locker" },
    },
  ],
};

const byPhoneText = `{
    "attributes": [
        {
            "phone": "+15043277269",
            "string_attribute": "fruit",
            "boolean_attribute_1": true,
            "integer_attribute": 25,
            "array_attribute": [
                "banana",
                "apple"
            ]
        }
    ],
}`;

const subscriptionGroups = {
  attributes: [
    {
      external_id: "user_identifier",
      email: "example@email.com",
      email_subscribe: "subscribed",
      subscription_groups: [
        { subscription_group_id: "subscription_group_identifier_1", subscription_state: "unsubscribed" },
        { subscription_group_id: "subscription_group_identifier_2", subscription_state: "subscribed" },
        { subscription_group_id: "subscription_group_identifier_3", subscription_state: "subscribed" },
      ],
    },
  ],
};

const aliasOnlyText = `{
{
    "attributes": [
        {
            "_update_existing_only": false,
            "user_alias": {
                "alias_name": "example_name",
                "alias_label": "example_label"
            },
            "email": "email@example.com"
        }
    ],
}`;

const eventObjectExample = {
  events: [
    { external_id: "user1", app_id: "your-app-id", name: "watched_trailer", time: "2013-07-16T19:20:30+01:00" },
    {
      external_id: "user1",
      app_id: "your-app-id",
      name: "rented_movie",
      time: "2013-07-16T19:20:45+01:00",
      properties: { movie: "The Sad Egg", director: "Dan Alexander" },
    },
    {
      user_alias: { alias_name: "device123", alias_label: "my_device_identifier" },
      app_id: "your-app-id",
      name: "watched_trailer",
      time: "2013-07-16T19:20:50+01:00",
    },
  ],
};

/** Typos in Braze's examples: a trailing comma, a doubled "{". */
function fixTypos(text: string): string {
  return text.replace(/,(\s*})\s*$/, "$1").replace(/^\{\s*\{/, "{");
}

const Examples = suite<{ braze: TestServer }>("Braze's documented examples of POST /users/track");

Examples.before(async (context) => {
  context.braze = await startTestServer();
});
Examples.after(async (context) => context.braze.close());
Examples.before.each(async (context) => context.braze.reset());

Examples(
  "update by email: 201 with the three counts; an email-only user is created and holds the attributes, the event and six purchases",
  async ({ braze }) => {
    const answer = await braze.post("/users/track", byEmail);
    assert.is(answer.status, 201);
    assert.equal(answer.body, { message: "success", attributes_processed: 1, events_processed: 2, purchases_processed: 1 });
    const exported = await braze.post("/users/export/ids", {
      email_address: "test@braze.com",
      fields_to_export: ["email", "external_id", "user_aliases", "custom_attributes", "custom_events", "purchases", "total_revenue"],
    });
    assert.is(exported.body.users.length, 1);
    assert.equal(exported.body.users[0], {
      email: "test@braze.com",
      custom_attributes: { array_attribute: ["banana", "apple"], boolean_attribute_1: true, integer_attribute: 26, string_attribute: "fruit" },
      custom_events: [{ name: "rented_movie", first: "2022-12-06T18:20:45.000Z", last: "2022-12-06T18:20:45.000Z", count: 1 }],
      purchases: [{ name: "product_name", first: "2017-05-12T18:47:12.000Z", last: "2017-05-12T18:47:12.000Z", count: 6 }],
      total_revenue: 72.72,
    });
    const users = await braze.users();
    assert.is(users.length, 1, "the alias event created nobody: events never create alias-only users");
    assert.equal(users[0].user_aliases, [], "no alias is created for an email-only user");
    assert.equal(users[0].events[0].properties, byEmail.events[0].properties);
  },
);

Examples("update by phone: the example's trailing comma is a 400 and changes nothing; fixed, it creates a phone-only user", async ({ braze }) => {
  const raw = await braze.postRaw("/users/track", byPhoneText);
  assert.is(raw.status, 400);
  assert.equal(await braze.users(), []);
  const fixed = await braze.postRaw("/users/track", fixTypos(byPhoneText));
  assert.is(fixed.status, 201);
  assert.equal(fixed.body, { message: "success", attributes_processed: 1 });
  const exported = await braze.post("/users/export/ids", { phone: "+15043277269", fields_to_export: ["phone", "custom_attributes"] });
  assert.equal(exported.body.users, [
    {
      phone: "+15043277269",
      custom_attributes: { array_attribute: ["banana", "apple"], boolean_attribute_1: true, integer_attribute: 25, string_attribute: "fruit" },
    },
  ]);
});

Examples(
  "set subscription groups: the user is created by external_id with its email, email_subscribe and three group states, read by GET /subscription/status/get",
  async ({ braze }) => {
    const answer = await braze.post("/users/track", subscriptionGroups);
    assert.equal([answer.status, answer.body], [201, { message: "success", attributes_processed: 1 }]);
    const exported = await braze.post("/users/export/ids", {
      external_ids: ["user_identifier"],
      fields_to_export: ["external_id", "email", "email_subscribe"],
    });
    assert.equal(exported.body, { users: [{ external_id: "user_identifier", email: "example@email.com", email_subscribe: "subscribed" }], message: "success" });
    const states: Record<string, string> = {};
    for (const group of [1, 2, 3, 4]) {
      const read = await braze.getApi(
        `/subscription/status/get?subscription_group_id=subscription_group_identifier_${group}&external_id[]=user_identifier&external_id[]=nobody`,
      );
      assert.is(read.status, 200);
      assert.is(read.body.message, "success");
      assert.is(read.body.status.nobody, "Unknown");
      states[group] = read.body.status.user_identifier;
    }
    assert.equal(states, { 1: "Unsubscribed", 2: "Subscribed", 3: "Subscribed", 4: "Unknown" });
  },
);

Examples("create an alias-only user: the doubled brace is a 400; fixed, the alias-only user exists with its email", async ({ braze }) => {
  assert.is((await braze.postRaw("/users/track", aliasOnlyText)).status, 400);
  const answer = await braze.postRaw("/users/track", fixTypos(aliasOnlyText));
  assert.equal([answer.status, answer.body], [201, { message: "success", attributes_processed: 1 }]);
  const user = await braze.exportAlias("example_label", "example_name", ["user_aliases", "email", "external_id"]);
  assert.equal(user, { user_aliases: [{ alias_name: "example_name", alias_label: "example_label" }], email: "email@example.com" });
});

Examples("the event object example: user1 is created with both events; the alias event creates nobody", async ({ braze }) => {
  const answer = await braze.post("/users/track", eventObjectExample);
  assert.equal([answer.status, answer.body], [201, { message: "success", events_processed: 3 }]);
  const exported = await braze.post("/users/export/ids", { external_ids: ["user1", "nobody"], fields_to_export: ["external_id", "custom_events"] });
  assert.equal(exported.body, {
    users: [
      {
        external_id: "user1",
        custom_events: [
          { name: "rented_movie", first: "2013-07-16T18:20:45.000Z", last: "2013-07-16T18:20:45.000Z", count: 1 },
          { name: "watched_trailer", first: "2013-07-16T18:20:30.000Z", last: "2013-07-16T18:20:30.000Z", count: 1 },
        ],
      },
    ],
    message: "success",
    invalid_user_ids: ["nobody"],
  });
  assert.is((await braze.users()).length, 1);
});

Examples.run();

// Braze applies the operators of an array of objects in the order add, then
// remove, then update (https://github.com/braze-inc/braze-docs/issues/11289).
const ArrayOfObjects = suite<{ braze: TestServer }>("array-of-objects operators in one request");
ArrayOfObjects.before(async (context) => {
  context.braze = await startTestServer();
});
ArrayOfObjects.after(async (context) => context.braze.close());
ArrayOfObjects.before.each(async (context) => context.braze.reset());

const petsOf = async (braze: TestServer) =>
  (await braze.post("/users/export/ids", { external_ids: ["u1"], fields_to_export: ["custom_attributes"] })).body.users[0].custom_attributes.pets;

ArrayOfObjects("$remove and $add of the same item do not upsert it: the add runs first, so the remove takes the new item too", async ({ braze }) => {
  await braze.post("/users/track", {
    attributes: [
      {
        external_id: "u1",
        pets: [
          { id: 1, name: "Gus" },
          { id: 2, name: "Gerald" },
        ],
      },
    ],
  });
  const upsert = await braze.post("/users/track", {
    attributes: [{ external_id: "u1", pets: { $remove: [{ $identifier_key: "id", $identifier_value: 1 }], $add: [{ id: 1, name: "Gus II" }] } }],
  });
  assert.equal([upsert.status, upsert.body], [201, { message: "success", attributes_processed: 1 }]);
  assert.equal(await petsOf(braze), [{ id: 2, name: "Gerald" }]);
});

ArrayOfObjects("$update runs after $add, so it also merges into an item added in the same request", async ({ braze }) => {
  await braze.post("/users/track", { attributes: [{ external_id: "u1", pets: [{ id: 2, name: "Gerald" }] }] });
  await braze.post("/users/track", {
    attributes: [
      {
        external_id: "u1",
        _merge_objects: true,
        pets: { $update: [{ $identifier_key: "id", $identifier_value: 3, $new_object: { age: 4 } }], $add: [{ id: 3, name: "Rex" }] },
      },
    ],
  });
  assert.equal(await petsOf(braze), [
    { id: 2, name: "Gerald" },
    { id: 3, name: "Rex", age: 4 },
  ]);
});

ArrayOfObjects.run();

// The event object page: `time` "in ISO 8601 or in yyyy-MM-dd'T'HH:mm:ss:SSSZ
// format"; a leading "$" is forbidden in property names, nothing is said of
// event names (https://www.braze.com/docs/api/objects_filters/event_object/).
const EventObject = suite<{ braze: TestServer }>("event object rules");
EventObject.before(async (context) => {
  context.braze = await startTestServer();
});
EventObject.after(async (context) => context.braze.close());

EventObject("the two time formats are taken, the property-date formats are not; a $ name is taken, a $ property name is not", async ({ braze }) => {
  const event = (fields: object) => ({ external_id: "user1", name: "watched_trailer", time: "2013-07-16T19:20:30+01:00", ...fields });
  const answer = await braze.post("/users/track", {
    events: [
      event({ time: "2013-07-16T19:20:30:000+0100" }),
      event({ name: "$watched" }),
      event({ time: "07/16/2013" }),
      event({ time: "2013-07-16 19:20:30" }),
      event({ properties: { $movie: "The Sad Egg" } }),
    ],
  });
  assert.is(answer.status, 201);
  assert.is(answer.body.events_processed, 2);
  assert.equal(
    answer.body.errors.map((entry: any) => entry.index),
    [2, 3, 4],
  );
});

EventObject.run();

const ExportFields = suite<{ braze: TestServer }>("/users/export/ids fields");
ExportFields.before(async (context) => {
  context.braze = await startTestServer();
});
ExportFields.after(async (context) => context.braze.close());

// Braze's documented fields_to_export
// (https://www.braze.com/docs/api/endpoints/export/user_data/post_users_identifier/).
const DOCUMENTED_EXPORT_FIELDS = [
  "apps",
  "attributed_campaign",
  "attributed_source",
  "attributed_adgroup",
  "attributed_ad",
  "braze_id",
  "campaigns_received",
  "canvases_received",
  "cards_clicked",
  "country",
  "created_at",
  "custom_attributes",
  "custom_events",
  "devices",
  "dob",
  "email",
  "email_subscribe",
  "external_id",
  "first_name",
  "gender",
  "home_city",
  "language",
  "last_coordinates",
  "last_name",
  "phone",
  "purchases",
  "push_subscribe",
  "push_tokens",
  "random_bucket",
  "time_zone",
  "total_revenue",
  "uninstalled_at",
  "user_aliases",
];

ExportFields("a full export holds Braze's documented fields only, besides the listed local extensions", async ({ braze }) => {
  await braze.post("/users/track", {
    attributes: [
      {
        external_id: "u1",
        email: "a@example.com",
        first_name: "Ada",
        plan: "pro",
        subscription_groups: [{ subscription_group_id: "g", subscription_state: "subscribed" }],
      },
    ],
    events: [{ external_id: "u1", name: "e", time: "2024-01-01T00:00:00Z" }],
  });
  const [user] = (await braze.post("/users/export/ids", { external_ids: ["u1"] })).body.users;
  const extra = Object.keys(user).filter((field) => !DOCUMENTED_EXPORT_FIELDS.includes(field));
  assert.equal(extra, [], "fields Braze does not document");
});

ExportFields.run();
