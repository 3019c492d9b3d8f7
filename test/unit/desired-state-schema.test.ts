// Every Braze rule the schema encodes, one value at a time: accepted values load,
// refused ones give one issue with the expected words.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDesiredState } from "../../provider/desired-state";
import { catchDesiredStateError } from "./support/expect-error";

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

standard("refuses subscription_groups under attributes", () => {
  refuses("{ subscription_groups: [] }", "users[0].attributes.subscription_groups: must be written under the user's subscription_groups, not under attributes");
});

standard("refuses standard fields that cannot be read back", () => {
  refuses("{ push_tokens: [] }", "users[0].attributes.push_tokens: cannot be managed here: this Braze standard field cannot be read back through /users/export/ids or is no longer processed, so it would drift unseen");
});

standard.run();

const custom = suite("schema: custom attributes");

custom("accepts strings, numbers, booleans, string arrays, nested objects and arrays of objects", () => {
  accepts("{ plan: pro, visits: 12, ratio: 0.5, trial: true, tags: [a, b], empty: [], profile: { tier: gold, stats: { count: 3 } }, pets: [{ id: 1, kind: dog }] }");
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

custom("refuses a string array longer than 25 items, Braze's lowest default cap", () => {
  const items = Array.from({ length: 26 }, (_, index) => `v${index}`).join(", ");
  refuses(`{ tags: [${items}] }`, "users[0].attributes.tags: must have at most 25 items (got 26)");
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

custom("refuses an object whose first-level key Braze would read as an array or counter operation", () => {
  refuses(
    "{ profile: { add: [x] } }",
    "users[0].attributes.profile.add: cannot be add, remove or inc at the first level of an attribute object: Braze reads those as array and counter operations",
  );
  accepts("{ profile: { inner: { add: 1 } } }");
});

custom("refuses a number YAML cannot give JSON (.inf)", () => {
  refuses("{ score: .inf }", "users[0].attributes.score: must be a finite number (got Infinity)");
});

custom.run();

const users = suite("schema: users, aliases, keys and groups");

users("refuses an empty alias name and label", () => {
  assert.equal(problemsIn("users:\n  - alias: { name: '', label: '' }\n"), ["users[0].alias.name: must not be empty", "users[0].alias.label: must not be empty"]);
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
