// Every Braze rule the schema encodes, one value at a time: accepted values load,
// refused ones give one issue with the expected words.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDesiredState } from "../../provider/desired-state";
import { NESTED_ATTRIBUTE_MAX_BYTES } from "../../braze-facts";
import { userProblems } from "../../provider/desired-state/user-problems";
import schema from "../../schema/desired-state.schema.json";
import { catchDesiredStateError } from "./support/expect-error";

/** A nested object of strings within 255 characters whose compact JSON is exactly `bytes` long. */
function objectOfJsonBytes(bytes: number): Record<string, string> {
  const object: Record<string, string> = {};
  const size = () => Buffer.byteLength(JSON.stringify(object));
  const nextKey = () => `k${String(Object.keys(object).length).padStart(4, "0")}`;
  // Whole entries of 250 characters while more than 500 bytes are left, then
  // the rest split over two entries (each 255 characters at most).
  while (bytes - size() > 500) object[nextKey()] = "n".repeat(250);
  const [first, second] = [nextKey(), `${nextKey()}x`];
  object[first] = "";
  object[second] = "";
  const rest = bytes - size();
  object[first] = "n".repeat(Math.floor(rest / 2));
  object[second] = "n".repeat(rest - Math.floor(rest / 2));
  assert.is(Buffer.byteLength(JSON.stringify(object)), bytes, "test object size");
  return object;
}

/** The issues (path: message) of a user with these attributes, written as a YAML flow mapping. */
function problemsWith(attributesYaml: string, extra = ""): string[] {
  return problemsIn(`users:\n  - alias: { name: ada, label: qa }\n    attributes: ${attributesYaml}\n${extra}`);
}

/** The issues (path: message) of a whole document; none when it loads. */
function problemsIn(text: string): string[] {
  try {
    parseDesiredState(text, "users.yaml");
    return [];
  } catch {
    return catchDesiredStateError(() => parseDesiredState(text, "users.yaml")).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
}

function accepts(attributesYaml: string): void {
  assert.equal(problemsWith(attributesYaml), [], attributesYaml);
}

function refuses(attributesYaml: string, expected: string): void {
  assert.equal(problemsWith(attributesYaml), [expected], attributesYaml);
}

const standard = suite("schema: standard attributes");

standard("accepts each standard attribute in Braze's format", () => {
  accepts(
    '{ first_name: Ada, last_name: Lovelace, home_city: London, email: ada@example.com, phone: "+15043277269", gender: F, dob: 1990-12-10, country: GB, language: en, time_zone: Europe/London, email_subscribe: opted_in, push_subscribe: subscribed, current_location: { longitude: -0.12, latitude: 51.5 } }',
  );
});

standard("refuses a phone number that is not E.164, since Braze strips the other characters", () => {
  refuses('{ phone: "(504) 327-7269" }', 'users[0].attributes.phone: must be a phone number in E.164 form such as +15043277269 (got "(504) 327-7269")');
});

standard("refuses a country name instead of its ISO 3166-1 alpha-2 code", () => {
  refuses("{ country: Australia }", 'users[0].attributes.country: must be an ISO 3166-1 alpha-2 country code such as "US" (got "Australia")');
});

standard("refuses a language that is not an ISO 639-1 code", () => {
  refuses("{ language: english }", 'users[0].attributes.language: must be an ISO 639-1 language code such as "en" (got "english")');
});

standard("refuses a time zone the IANA database does not know", () => {
  refuses("{ time_zone: Mars/Olympus }", 'users[0].attributes.time_zone: must be an IANA time zone name such as "America/New_York" (got "Mars/Olympus")');
});

standard("refuses a global subscription state Braze does not have", () => {
  refuses("{ email_subscribe: yes }", 'users[0].attributes.email_subscribe: must be one of "opted_in", "subscribed", "unsubscribed" (got "yes")');
});

standard("refuses a location out of range or incomplete", () => {
  refuses("{ current_location: { longitude: 200, latitude: 1 } }", "users[0].attributes.current_location.longitude: must be at most 180 (got 200)");
  refuses("{ current_location: { longitude: 2 } }", "users[0].attributes.current_location.latitude: is required");
});

standard("refuses a name with surrounding whitespace, which Braze would trim", () => {
  refuses('{ first_name: " Ada" }', 'users[0].attributes.first_name: must be text without leading or trailing whitespace (Braze trims it) (got " Ada")');
});

standard("refuses a two-letter country code that is not an assigned ISO 3166-1 code, which Braze would clear", () => {
  accepts("{ country: RS }");
  refuses("{ country: ZZ }", 'users[0].attributes.country: must be an ISO 3166-1 alpha-2 country code such as "US" (got "ZZ")');
  refuses("{ country: UK }", 'users[0].attributes.country: must be an ISO 3166-1 alpha-2 country code such as "US" (got "UK")');
});

standard("refuses an attribute name with surrounding whitespace, which Braze would trim", () => {
  refuses('{ " plan": pro }', 'users[0].attributes[" plan"]: cannot start or end with whitespace: Braze trims attribute names');
});

standard("refuses subscription_groups under attributes", () => {
  refuses("{ subscription_groups: [] }", "users[0].attributes.subscription_groups: must be written under the user's subscription_groups, not under attributes");
});

standard("refuses standard fields that cannot be read back", () => {
  refuses(
    "{ date_of_first_session: 2024-01-01 }",
    "users[0].attributes.date_of_first_session: cannot be managed here: this Braze standard field cannot be read back through /users/export/ids or is no longer processed, so it would drift unseen",
  );
});

standard.run();

const custom = suite("schema: custom attributes");

custom("accepts strings, numbers, booleans, string arrays, nested objects and arrays of objects", () => {
  accepts(
    "{ plan: pro, visits: 12, ratio: 0.5, trial: true, tags: [a, b], empty: [], profile: { tier: gold, stats: { count: 3 } }, pets: [{ id: 1, kind: dog }] }",
  );
});

custom("accepts a string of exactly 255 characters and refuses 256", () => {
  accepts(`{ note: ${"x".repeat(255)} }`);
  refuses(`{ note: ${"x".repeat(256)} }`, "users[0].attributes.note: must be at most 255 characters (got 256)");
});

custom("refuses an attribute name longer than 255 characters", () => {
  const name = "k".repeat(256);
  refuses(`{ ${name}: 1 }`, `users[0].attributes.${name}: must be at most 255 characters`);
});

custom("refuses null, saying that removing the line is how an attribute is unset", () => {
  refuses("{ plan: null }", "users[0].attributes.plan: is null: to remove an attribute, delete its line (null is not a value here)");
});

custom("refuses repeated values in a string array, which Braze would collapse", () => {
  refuses("{ tags: [a, b, a] }", 'users[0].attributes.tags[2]: repeats item 0 (got "a"): list values must be unique (Braze keeps each value once)');
});

custom("refuses a list that mixes strings and numbers", () => {
  refuses("{ tags: [a, 1] }", "users[0].attributes.tags[1]: must be a string (got 1)");
});

custom("refuses null inside a nested object, which would drop every nested update of the request", () => {
  refuses(
    "{ profile: { tier: null } }",
    'users[0].attributes.profile.tier: must be a string, number, boolean, list, mapping or {"$time": "<date>"} (null is not allowed inside nested objects: Braze drops every nested update of the request) (got null)',
  );
});

custom("refuses nested keys with spaces, dots or a dollar sign", () => {
  refuses('{ profile: { "a.b": 1 } }', "users[0].attributes.profile[\"a.b\"]: must be a nested key without spaces, '.' or '$'");
});

custom("accepts a nested date as {$time} and refuses one Braze cannot read", () => {
  accepts('{ profile: { since: { $time: "2024-05-01T12:00:00Z" } } }');
  refuses(
    '{ profile: { since: { $time: "yesterday" } } }',
    'users[0].attributes.profile.since["$time"]: must be a date Braze accepts, such as 2024-05-01 or 2024-05-01T12:00:00Z (got "yesterday")',
  );
});

custom("refuses a {$time} that only looks like Braze's long form: the zone must be a time zone designator and the day a real one", () => {
  accepts('{ profile: { since: { $time: "Wed 07 16 19:20:30.+01:00 2013" } } }');
  refuses(
    '{ profile: { since: { $time: "Wed 13 45 19:20:30.foo 2013" } } }',
    'users[0].attributes.profile.since["$time"]: must be a date Braze accepts, such as 2024-05-01 or 2024-05-01T12:00:00Z (got "Wed 13 45 19:20:30.foo 2013")',
  );
  refuses(
    '{ profile: { since: { $time: "Wed 07 16 19:20:30.+01:00 3001" } } }',
    'users[0].attributes.profile.since["$time"]: must be a date Braze accepts, such as 2024-05-01 or 2024-05-01T12:00:00Z (got "Wed 07 16 19:20:30.+01:00 3001")',
  );
});

custom("accepts a {$time} in the years 0 to 99 (not read as 1900 to 1999)", () => {
  accepts('{ profile: { since: { $time: "0004-02-29" } } }');
  refuses(
    '{ profile: { since: { $time: "0003-02-29" } } }',
    'users[0].attributes.profile.since["$time"]: must be a date Braze accepts, such as 2024-05-01 or 2024-05-01T12:00:00Z (got "0003-02-29")',
  );
});

custom("refuses a nested attribute over 100 KB, which Braze would drop silently, and accepts one at the limit", () => {
  const atLimit = objectOfJsonBytes(NESTED_ATTRIBUTE_MAX_BYTES);
  const overLimit = objectOfJsonBytes(NESTED_ATTRIBUTE_MAX_BYTES + 1);
  const user = (notes: object) => ({ alias: { name: "ada", label: "qa" }, attributes: { notes } as never, subscriptionGroups: {} });
  assert.equal(userProblems(user(atLimit)), []);
  assert.equal(userProblems(user(overLimit)), [
    { property: "attributes.notes", message: "must be at most 100000 bytes as JSON (got 100001): Braze silently drops a nested attribute over 100 KB" },
  ]);
  assert.is(problemsWith(JSON.stringify({ notes: overLimit })).length, 1, "a YAML file is refused the same way");
});

custom("the schema's size limits are the ones braze-local applies (braze-facts)", () => {
  const definitions = (schema as { definitions: Record<string, Record<string, unknown>> }).definitions;
  assert.is(definitions.attributeObject["x-max-json-bytes"], NESTED_ATTRIBUTE_MAX_BYTES);
  assert.is(definitions.objectArray["x-max-json-bytes"], NESTED_ATTRIBUTE_MAX_BYTES);
  // The string array cap is the workspace's setting, checked in code (string-array-cap.test.ts), not a fixed number here.
  assert.is(definitions.stringArray.maxItems, undefined, "no fixed string array cap");
});

custom("refuses an array of objects over 100 KB", () => {
  const items = Array.from({ length: 400 }, (_, i) => `{ id: ${i}, text: "${"t".repeat(250)}" }`).join(", ");
  assert.equal(
    problemsWith(`{ pets: [${items}] }`).map((line) => line.replace(/\(got \d+\)/, "(got N)")),
    ["users[0].attributes.pets: must be at most 100000 bytes as JSON (got N): Braze silently drops a nested attribute over 100 KB"],
  );
});

custom("refuses an object whose first-level key Braze would read as an array or counter operation", () => {
  refuses(
    "{ profile: { add: [x] } }",
    "users[0].attributes.profile.add: cannot be add, remove or inc at the first level of an attribute object: Braze reads those as array and counter operations",
  );
  accepts("{ profile: { inner: { add: 1 } } }");
});

custom("refuses the name __proto__, which JavaScript would drop unseen, as an attribute and as a nested key", () => {
  const message = 'cannot be "__proto__": JavaScript drops that name when it reads the file, so it would never reach Braze';
  const user = (attributes: Record<string, unknown>) => ({ alias: { name: "ada", label: "qa" }, attributes: attributes as never, subscriptionGroups: {} });
  assert.equal(userProblems(user(Object.fromEntries([["__proto__", "x"]]))), [{ property: "attributes.__proto__", message }]);
  assert.equal(userProblems(user({ profile: Object.fromEntries([["__proto__", 1]]) })), [{ property: "attributes.profile.__proto__", message }]);
});

custom("refuses a number YAML cannot give JSON (.inf)", () => {
  refuses("{ score: .inf }", "users[0].attributes.score: must be a finite number (got Infinity)");
});

custom.run();

const users = suite("schema: users, aliases, keys and groups");

users("refuses an empty alias name and label", () => {
  assert.equal(problemsIn("users:\n  - alias: { name: '', label: '' }\n"), [
    "users[0].alias.name: must not be empty",
    "users[0].alias.label: must not be empty",
  ]);
});

users("refuses a key with characters a resource name should not have", () => {
  const problems = problemsWith("{}", "    key: 'my persona'\n");
  assert.equal(problems, [`users[0].key: must be a key made of letters, digits, '.', '_' and '-', starting with a letter or digit (got "my persona")`]);
});

users("refuses a subscription group id longer than 255 characters", () => {
  const id = "g".repeat(256);
  const problems = problemsWith("{}", `    subscription_groups: { ${id}: subscribed }\n`);
  assert.equal(problems, [`users[0].subscription_groups.${id}: must be at most 255 characters`]);
});

users.run();
