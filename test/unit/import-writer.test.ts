// braze-profiles import's writer: exported users to a desired-state file that the
// loader reads back to the same values, every kind of attribute included.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { desiredStateText, FIELDS_TO_EXPORT, groupReaderOf, SUBSCRIPTION_GROUPS_NOTE } from "../../import/profile-document";
import { parseDesiredState } from "../../provider/desired-state";
import type { ExportedUser } from "../../provider/import-api";

const Writer = suite("import writer");

/** Every kind of value a desired-state attribute takes, with the text that YAML would misread unquoted. */
const ATTRIBUTES = {
  first_name: "Ada",
  last_name: "Lovelace",
  email: "ada@example.com",
  phone: "+15555550100",
  dob: "1980-12-25",
  home_city: "Yes",
  country: "NO",
  language: "en",
  time_zone: "America/New_York",
  gender: "F",
  email_subscribe: "opted_in",
  push_subscribe: "unsubscribed",
};
const CUSTOM = {
  code: "0123",
  zip: "1e3",
  octal: "0o17",
  answer: "true",
  nothing: "null",
  colon: "a: b",
  comment: "x #y",
  multi: "line one\nline two",
  seen_at: "2024-05-01T09:30:00Z",
  sexagesimal: "1:20",
  count: 42,
  ratio: 0.25,
  big: 12345678901,
  negative: -3,
  active: false,
  tags: ["sci-fi", "2024", "yes"],
  loyalty: { tier: "gold", points: 1200, since: "2024-05-01", history: [{ year: 2023, level: "silver" }], flags: ["a"] },
  orders: [
    { id: "001", total: 9.99, items: [{ sku: "x", qty: 2 }] },
    { id: "002", total: 0 },
  ],
};

function exported(overrides: Partial<ExportedUser> = {}): ExportedUser {
  return { external_id: "u-1", ...ATTRIBUTES, custom_attributes: CUSTOM, ...overrides };
}

Writer("every kind of attribute reads back through the loader to the exported values", () => {
  const text = desiredStateText([exported(), exported({ external_id: undefined, user_aliases: [{ alias_name: "bob", alias_label: "qa" }] })]);
  const state = parseDesiredState(text, "imported.yaml");
  assert.equal(state.users.length, 2);
  assert.equal(state.users[0].user.externalId, "u-1");
  assert.equal(state.users[0].user.attributes, { ...ATTRIBUTES, ...CUSTOM });
  assert.equal(state.users[1].user.alias, { name: "bob", label: "qa" });
  assert.equal(state.users[1].user.attributes, { ...ATTRIBUTES, ...CUSTOM });
});

Writer("quotes phone numbers, dates and numeric-looking text, and leaves plain words plain", () => {
  const text = desiredStateText([exported()]);
  assert.match(text, /phone: "\+15555550100"/);
  assert.match(text, /dob: "1980-12-25"/);
  assert.match(text, /code: "0123"/);
  assert.match(text, /home_city: "Yes"/);
  assert.match(text, /country: "NO"/);
  assert.match(text, /first_name: Ada\n/);
});

Writer("marks every user adopt: true, and the loader accepts it", () => {
  const text = desiredStateText([exported()]);
  assert.equal((parse(text) as { users: Array<{ adopt: boolean }> }).users[0].adopt, true);
  parseDesiredState(text, "imported.yaml");
});

Writer("maps last_coordinates [longitude, latitude] to current_location", () => {
  const state = parseDesiredState(desiredStateText([exported({ custom_attributes: undefined, last_coordinates: [13.4, 52.5] })]), "imported.yaml");
  assert.equal(state.users[0].user.attributes.current_location, { longitude: 13.4, latitude: 52.5 });
});

Writer("leaves out null values and fields Braze fills in itself", () => {
  const user = exported({
    last_name: null,
    custom_attributes: { kept: "x", gone: null },
    braze_id: "b-1",
    created_at: "2024-01-01T00:00:00Z",
    total_revenue: 9,
    random_bucket: 12,
  });
  const attributes = parseDesiredState(desiredStateText([user]), "imported.yaml").users[0].user.attributes;
  assert.equal(Object.keys(attributes).sort(), [...Object.keys(ATTRIBUTES).filter((name) => name !== "last_name"), "kept"].sort());
});

Writer("writes the first of several aliases and names the others in a comment", () => {
  const text = desiredStateText([
    exported({
      user_aliases: [
        { alias_name: "ada", alias_label: "qa" },
        { alias_name: "ada-2", alias_label: "crm" },
      ],
    }),
  ]);
  assert.equal(parseDesiredState(text, "imported.yaml").users[0].user.alias, { name: "ada", label: "qa" });
  assert.match(text, /# Braze holds 2 aliases for this user; .*first exported \(label qa\)\. Not written: ada-2 \(label crm\)/);
});

Writer("an email-only or phone-only profile is written with top-level email or phone, not repeated under attributes", () => {
  const text = desiredStateText([
    { email: "only@example.com", first_name: "Em" },
    { phone: "+15555550111", first_name: "Phil" },
  ]);
  const users = (parse(text) as { users: Array<Record<string, unknown>> }).users;
  assert.equal(users[0], { email: "only@example.com", adopt: true, attributes: { first_name: "Em" } });
  assert.equal(users[1], { phone: "+15555550111", adopt: true, attributes: { first_name: "Phil" } });
  assert.match(text, /phone: "\+15555550111"/);
});

Writer("push tokens of identified users become attributes.push_tokens with a comment on app_id; others are only counted", () => {
  const tokens = [{ app: "My iOS app", platform: "iOS", token: "tok-1", device_id: "dev-1", notifications_enabled: true }];
  const text = desiredStateText([
    exported({ custom_attributes: undefined, push_tokens: tokens }),
    { user_aliases: [{ alias_name: "b", alias_label: "qa" }], push_tokens: tokens },
  ]);
  const users = (parse(text) as { users: Array<{ attributes?: Record<string, unknown> }> }).users;
  assert.equal(users[0].attributes?.push_tokens, [{ app_id: "My iOS app", token: "tok-1", device_id: "dev-1" }]);
  assert.equal(users[1].attributes, undefined);
  assert.match(text, /# push_tokens: the export names each token's app, not its app_id/);
  assert.match(text, /# 1 push token\(s\) not written: Braze takes push tokens only for users with an external_id/);
});

Writer("events and purchases are counted in a comment on the user, and none is declared", () => {
  const text = desiredStateText([
    exported({
      custom_attributes: undefined,
      custom_events: [{ name: "rented", first: "2024-01-01T00:00:00Z", last: "2024-02-01T00:00:00Z", count: 3 }],
      purchases: [{ name: "gold", first: "2024-01-01T00:00:00Z", last: "2024-01-01T00:00:00Z", count: 1 }],
    }),
  ]);
  assert.match(text, /# Braze holds 3 custom events \(rented ×3\) and 1 purchase \(gold ×1\)/);
  const user = parseDesiredState(text, "imported.yaml").users[0];
  assert.equal([user.events, user.purchases], [undefined, undefined]);
});

Writer("a custom attribute one slip from a standard name is listed under intended_custom_attributes, so the loader accepts it", () => {
  const text = desiredStateText([exported({ custom_attributes: { firstName: "Ada" } })]);
  assert.equal((parse(text) as { intended_custom_attributes: string[] }).intended_custom_attributes, ["firstName"]);
  assert.equal(parseDesiredState(text, "imported.yaml").users[0].user.attributes.firstName, "Ada");
});

Writer("writes each user's subscription groups, which the loader reads back; a user with none or unread gets no key", () => {
  const text = desiredStateText(
    [exported(), exported({ external_id: "u-2" }), exported({ external_id: "u-3" })],
    [],
    [{ sms: "unsubscribed", news: "subscribed" }, {}, undefined],
  );
  const users = parseDesiredState(text, "imported.yaml").users.map((entry) => entry.user.subscriptionGroups);
  assert.equal(users, [{ news: "subscribed", sms: "unsubscribed" }, {}, {}]);
  assert.equal((parse(text) as { users: Array<Record<string, unknown>> }).users[0].subscription_groups, { news: "subscribed", sms: "unsubscribed" });
  assert.not.ok("subscription_groups" in (parse(text) as { users: Array<Record<string, unknown>> }).users[1]);
});

Writer("reads groups by external_id, else an email-only or phone-only user's address; never an alias-only user's", () => {
  assert.equal(groupReaderOf(exported()), { parameter: "external_id", value: "u-1" });
  assert.equal(groupReaderOf(exported({ external_id: undefined, user_aliases: [] })), { parameter: "email", value: "ada@example.com" });
  assert.equal(groupReaderOf(exported({ external_id: undefined, email: undefined })), { parameter: "phone", value: "+15555550100" });
  assert.is(groupReaderOf(exported({ external_id: undefined, user_aliases: [{ alias_name: "bob", alias_label: "qa" }] })), undefined);
});

Writer("says once, at the top, where subscription groups come from and that alias-only users' are not imported", () => {
  const text = desiredStateText([exported(), exported({ external_id: "u-2" })]);
  assert.ok(text.startsWith(`# ${SUBSCRIPTION_GROUPS_NOTE}`) || text.includes(`# ${SUBSCRIPTION_GROUPS_NOTE}\n`));
  assert.equal(text.split(SUBSCRIPTION_GROUPS_NOTE).length, 2);
});

Writer("asks for every field it writes and none Braze fills in itself", () => {
  for (const field of ["braze_id", "created_at", "apps", "devices", "total_revenue", "random_bucket", "campaigns_received", "canvases_received"]) {
    assert.not.ok(FIELDS_TO_EXPORT.includes(field), field);
  }
  for (const field of ["external_id", "user_aliases", "custom_attributes", "push_tokens", "last_coordinates", "custom_events", "purchases", "dob", "email"]) {
    assert.ok(FIELDS_TO_EXPORT.includes(field), field);
  }
});

Writer.run();
