import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loadDesiredState, parseDesiredState } from "../../provider/desired-state";
import { assertIssues, catchDesiredStateError } from "./support/expect-error";

const root = resolve(__dirname, "../../..");
const lines = (...text: string[]) => `${text.join("\n")}\n`;
const issue = (line: number, column: number, path: string, message: string) => ({ file: "users.yaml", line, column, path, message });

const loader = suite("desired-state loader");

loader("loads the quickstart example into domain users", () => {
  const state = loadDesiredState(join(root, "examples/quickstart/users.yaml"));
  assert.is(state.users.length, 3);
  assert.equal(state.users[0], {
    user: {
      alias: { name: "ada", label: "qa-personas" },
      attributes: {
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@example.com",
        email_subscribe: "opted_in",
        country: "GB",
        language: "en",
        time_zone: "Europe/London",
        dob: "1990-12-10",
        favorite_genres: ["sci-fi", "drama"],
        loyalty: { tier: "gold", points: 1200 },
      },
      subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed", "7b2d9e41-product-updates": "unsubscribed" },
    },
  });
  assert.is(state.users[1].key, "qa-bob");
  assert.equal(state.users[2].user.attributes.last_cart, {
    items: ["sku-1042", "sku-2210"],
    value: 84.5,
    abandoned_at: { $time: "2024-03-30T18:05:00Z" },
  });
});

loader("gives a user without attributes or groups empty maps", () => {
  const state = parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }"), "users.yaml");
  assert.equal(state.users, [{ user: { alias: { name: "ada", label: "qa" }, attributes: {}, subscriptionGroups: {} } }]);
});

loader("accepts an empty user list", () => {
  assert.equal(parseDesiredState("users: []\n", "users.yaml"), { users: [] });
});

loader("reports a bad date at the value's line and column with the path and the value", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      dob: 1990-13-01"), "users.yaml"),
  );
  assertIssues(error.issues, [issue(4, 12, "users[0].attributes.dob", 'must be a date YYYY-MM-DD (got "1990-13-01")')]);
  assert.is(
    error.message,
    'users.yaml: 1 problem in the desired state\nusers.yaml:4:12 users[0] (qa/ada).attributes.dob: must be a date YYYY-MM-DD (got "1990-13-01")',
  );
});

loader("refuses a date that matches YYYY-MM-DD but does not exist", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    attributes: { dob: 1990-02-30 }"), "users.yaml"),
  );
  assertIssues(error.issues, [issue(3, 24, "users[0].attributes.dob", 'must be a date YYYY-MM-DD (got "1990-02-30")')]);
});

loader("lists every problem of the file, sorted by position, in one error", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines(
        "users:",
        "  - alias: { name: ada, label: qa }",
        "    attributes:",
        "      gender: X",
        "      email: not-an-email",
        "    subscription_groups:",
        "      5e1f0a2c-newsletter: maybe",
        "  - alias: { name: bob }",
        "    colour: red",
      ),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [
    issue(4, 15, "users[0].attributes.gender", 'must be one of "M", "F", "O" (other), "N" (not applicable), "P" (prefer not to say) (got "X")'),
    issue(5, 14, "users[0].attributes.email", 'must be an email address such as ada@example.com (got "not-an-email")'),
    issue(7, 28, 'users[0].subscription_groups["5e1f0a2c-newsletter"]', 'must be "subscribed" or "unsubscribed" (got "maybe")'),
    issue(8, 12, "users[1].alias.label", "is required"),
    issue(
      9,
      5,
      "users[1].colour",
      "is not a known field (expected one of key, external_id, alias, email, phone, attributes, subscription_groups, events, purchases, adopt)",
    ),
  ]);
  assert.ok(error.message.startsWith("users.yaml: 5 problems in the desired state\n"));
});

loader("reports a bad attribute name at the key, not the value", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      $secret: 1", "      external_id: abc", "      First_Name: Ada"),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [
    issue(4, 7, 'users[0].attributes["$secret"]', 'cannot start with "$": Braze reserves those names'),
    issue(5, 7, "users[0].attributes.external_id", "is the user's identifier: write external_id at the user's top level, beside alias"),
    issue(
      6,
      7,
      "users[0].attributes.First_Name",
      'did you mean "first_name"? Braze matches field names exactly and would store "First_Name" as a custom attribute; if a custom attribute is meant, list it at the top of the file: intended_custom_attributes: ["First_Name"]',
    ),
  ]);
});

loader("refuses a duplicate alias, pointing at the second one and naming the first", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines("users:", "  - alias: { name: ada, label: qa }", "  - alias: { name: bob, label: qa }", "  - alias: { name: ada, label: qa }"),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [issue(4, 12, "users[2].alias", 'duplicates the alias of users[0] (name "ada", label "qa"): each alias is one user')]);
});

loader("accepts the same alias name under two labels", () => {
  const state = parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "  - alias: { name: ada, label: demo }"), "users.yaml");
  assert.is(state.users.length, 2);
});

loader("refuses a duplicate key", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines("users:", "  - key: persona", "    alias: { name: ada, label: qa }", "  - key: persona", "    alias: { name: bob, label: qa }"),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [issue(4, 10, "users[1].key", 'duplicates the key of users[0] ("persona"): keys must be unique')]);
});

loader("reports duplicates together with schema problems", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines("users:", "  - alias: { name: ada, label: qa }", "    attributes: { dob: nope }", "  - alias: { name: ada, label: qa }"),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [
    issue(3, 24, "users[0].attributes.dob", 'must be a date YYYY-MM-DD (got "nope")'),
    issue(4, 12, "users[1].alias", 'duplicates the alias of users[0] (name "ada", label "qa"): each alias is one user'),
  ]);
});

loader("reports broken YAML syntax at file:line:column", () => {
  const error = catchDesiredStateError(() => parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa", "    attributes: {}"), "users.yaml"));
  assert.ok(error.issues.length >= 1, "at least one syntax issue");
  const first = error.issues[0];
  assert.is(first.file, "users.yaml");
  assert.is(first.path, "(yaml)");
  assert.is(first.line, 3, "line");
  assert.ok(first.message.length > 0, "message");
  assert.ok(error.message.includes("users.yaml:3:"), error.message);
});

loader("reports a key written twice in one mapping as a YAML error", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      first_name: Ada", "      first_name: Eve"),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [issue(5, 7, "(yaml)", "Map keys must be unique")]);
});

loader("reports an empty file at its start", () => {
  const error = catchDesiredStateError(() => parseDesiredState("", "users.yaml"));
  assertIssues(error.issues, [issue(1, 1, "(document)", "must be a mapping (got null)")]);
});

loader("reports a missing users list", () => {
  const error = catchDesiredStateError(() => parseDesiredState("people: []\n", "users.yaml"));
  assertIssues(error.issues, [
    issue(1, 1, "people", "is not a known field (expected one of users, intended_custom_attributes)"),
    issue(1, 1, "users", "is required"),
  ]);
});

loader("uses the path it was given as the file in messages", () => {
  const dir = mkdtempSync(join(tmpdir(), "desired-state-"));
  const file = join(dir, "team.yaml");
  writeFileSync(file, lines("users:", "  - alias: { name: '', label: qa }"));
  const error = catchDesiredStateError(() => loadDesiredState(file));
  assertIssues(error.issues, [{ file, line: 2, column: 20, path: "users[0].alias.name", message: "must not be empty" }]);
});

loader("keeps numeric-looking subscription group ids as the text written", () => {
  const state = parseDesiredState(
    lines(
      "users:",
      "  - alias: { name: ada, label: qa }",
      "    subscription_groups:",
      "      12345678901234567890: subscribed",
      "      0x1F: unsubscribed",
      "      1e3: subscribed",
      "      31: subscribed",
      "      007: unsubscribed",
      "      true: subscribed",
      "      ~: unsubscribed",
    ),
    "users.yaml",
  );
  assert.equal(state.users[0].user.subscriptionGroups, {
    "12345678901234567890": "subscribed",
    "0x1F": "unsubscribed",
    "1e3": "subscribed",
    "31": "subscribed",
    "007": "unsubscribed",
    true: "subscribed",
    "~": "unsubscribed",
  });
});

loader("keeps numeric-looking attribute and nested object keys as the text written", () => {
  const state = parseDesiredState(
    lines(
      "users:",
      "  - alias: { name: ada, label: qa }",
      "    attributes:",
      "      2024: yes-text",
      "      scores:",
      "        0x1F: 1",
      "        1e3: 2",
      "        12345678901234567890: { 1e10: 3 }",
      "      orders:",
      "        - { 010: a }",
    ),
    "users.yaml",
  );
  assert.equal(state.users[0].user.attributes, {
    "2024": "yes-text",
    scores: { "0x1F": 1, "1e3": 2, "12345678901234567890": { "1e10": 3 } },
    orders: [{ "010": "a" }],
  });
});

loader("reports a bad value under a numeric-looking key by the key's own text", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    subscription_groups:", "      0x1F: maybe"), "users.yaml"),
  );
  assertIssues(error.issues, [issue(4, 13, 'users[0].subscription_groups["0x1F"]', 'must be "subscribed" or "unsubscribed" (got "maybe")')]);
});

loader("tells keys apart by their text, not by the number they spell", () => {
  const state = parseDesiredState(
    lines("users:", "  - alias: { name: ada, label: qa }", "    subscription_groups:", "      0x1F: subscribed", "      31: unsubscribed"),
    "users.yaml",
  );
  assert.equal(state.users[0].user.subscriptionGroups, { "0x1F": "subscribed", "31": "unsubscribed" });
});

loader("reports one finding for a value of the wrong type, naming the values it should have been", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines("users:", "  - key: ''", "    alias: { name: ada, label: qa }", "    attributes:", "      email_subscribe: true", "      '': 1"),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [
    issue(2, 10, "users[0].key", "must not be empty"),
    issue(5, 24, "users[0].attributes.email_subscribe", 'must be one of "opted_in", "subscribed", "unsubscribed" (got true)'),
    issue(6, 7, 'users[0].attributes[""]', "must not be empty"),
  ]);
});

loader("still reports two different mistakes on one value", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", `  - key: ${"-".repeat(256)}`, "    alias: { name: ada, label: qa }"), "users.yaml"),
  );
  assert.equal(
    error.issues.map((found) => found.message.replace(/ \(got .*\)$/, "")),
    ["must be at most 255 characters", "must be a key made of letters, digits, '.', '_' and '-', starting with a letter or digit"],
  );
});

loader("reads a list with as many mappings as strings by its first item", () => {
  const objects = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      orders: [{ id: o-1 }, o-2]"), "users.yaml"),
  );
  assertIssues(objects.issues, [issue(4, 29, "users[0].attributes.orders[1]", 'must be a mapping (got "o-2")')]);
  const strings = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      tags: [vip, { id: o-2 }]"), "users.yaml"),
  );
  assertIssues(strings.issues, [issue(4, 19, "users[0].attributes.tags[1]", 'must be a string (got {"id":"o-2"})')]);
});

loader("reports a too-long string inside a nested object as too long", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", `      profile: { note: ${"n".repeat(256)} }`), "users.yaml"),
  );
  assertIssues(error.issues, [issue(4, 24, "users[0].attributes.profile.note", "must be at most 255 characters (got 256)")]);
});

loader("reports an unclosed quote where it opens, not at the end of the file", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(
      lines(
        "users:",
        "  - alias: { name: ada, label: qa }",
        "    attributes:",
        '      last_name: "Lovelace',
        "      email: ada@example.com",
        "  - alias: { name: bob, label: qa }",
      ),
      "users.yaml",
    ),
  );
  assertIssues(error.issues, [issue(4, 18, "(yaml)", 'Missing closing "quote')]);
});

loader("reports an alias without an anchor at the alias", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      last_name: *surname"), "users.yaml"),
  );
  assertIssues(error.issues, [
    issue(4, 18, "(yaml)", "Unresolved alias *surname: no anchor &surname is set before it; anchor the value first (&surname) or write it out"),
  ]);
});

loader("refuses an alias bomb at the alias where the expansion passes the limit", () => {
  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
  ];
  const error = catchDesiredStateError(() => parseDesiredState(lines(...bomb, "users: []"), "users.yaml"));
  assert.is(error.issues.length, 1, error.message);
  const [found] = error.issues;
  assert.equal([found.line, found.path], [3, "(yaml)"], error.message);
  assert.ok(found.column > 1, error.message);
  assert.ok(found.message.startsWith("too many aliases: by here they expand to more than 1000 values"), found.message);
});

loader("accepts an anchor reused a few times", () => {
  const state = parseDesiredState(
    lines("users:", "  - alias: { name: ada, label: &team qa }", "  - alias: { name: bob, label: *team }", "  - alias: { name: eve, label: *team }"),
    "users.yaml",
  );
  assert.equal(
    state.users.map((entry) => entry.user.alias!.label),
    ["qa", "qa", "qa"],
  );
});

loader.run();
