// Mistakes people make in a desired state, caught with the fix in the message:
// near-misses of standard field names, text that looks like a date Braze cannot
// read, and YAML values that are not what was meant. In a YAML file and for a
// user declared in TypeScript alike.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDesiredState } from "../../provider/desired-state";
import { nearMissOf } from "../../provider/desired-state/attribute-names";
import { editDistance } from "../../provider/desired-state/edit-distance";
import { userProblems } from "../../provider/desired-state/user-problems";
import type { ManagedUser } from "../../provider/model/managed-user";
import { assertIssues, catchDesiredStateError } from "./support/expect-error";

const lines = (...text: string[]) => `${text.join("\n")}\n`;
const issue = (line: number, column: number, path: string, message: string) => ({ file: "users.yaml", line, column, path, message });
const withAttributes = (...attributes: string[]) =>
  lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", ...attributes.map((line) => `      ${line}`));
const userWith = (attributes: ManagedUser["attributes"]): ManagedUser => ({ alias: { name: "ada", label: "qa" }, attributes, subscriptionGroups: {} });

const names = suite("near-misses of standard field names");

names("edit distance counts a swap of neighbours as one edit", () => {
  assert.is(editDistance("emial", "email"), 1);
  assert.is(editDistance("firstname", "firstname"), 0);
  assert.is(editDistance("frstnme", "firstname"), 2);
  assert.is(editDistance("kitten", "sitting"), 3);
  assert.is(editDistance("a", "abcdef", 2), 3, "stops past the limit");
});

names("takes case, underscores and one or two slips for the standard name", () => {
  for (const [name, standard] of [
    ["firstname", "first_name"],
    ["firstName", "first_name"],
    ["FirstName", "first_name"],
    ["First_Name", "first_name"],
    ["lastName", "last_name"],
    ["emial", "email"],
    ["Email", "email"],
    ["langauge", "language"],
    ["timezone", "time_zone"],
    ["homecity", "home_city"],
    ["DOB", "dob"],
    ["emailSubscribe", "email_subscribe"],
    ["push_subscribed", "push_subscribe"],
    ["frstnme", "first_name"],
  ]) {
    assert.is(nearMissOf(name), standard, name);
  }
});

names("leaves standard names and names that are not close to one alone", () => {
  for (const name of [
    "first_name",
    "email",
    "dob",
    "job",
    "plan",
    "nickname",
    "lifetime_orders",
    "favorite_genres",
    "loyalty",
    "full_name",
    "mobile",
    "city",
    "zone",
  ]) {
    assert.is(nearMissOf(name), undefined, name);
  }
});

names("refuses a near-miss in a file at the key, with the standard name and how to keep it", () => {
  const error = catchDesiredStateError(() => parseDesiredState(withAttributes("firstname: Ada", "lastName: Lovelace", "emial: ada@example.com"), "users.yaml"));
  const keep = (name: string) => `if a custom attribute is meant, list it at the top of the file: intended_custom_attributes: ["${name}"]`;
  assertIssues(error.issues, [
    issue(
      4,
      7,
      "users[0].attributes.firstname",
      `did you mean "first_name"? Braze matches field names exactly and would store "firstname" as a custom attribute; ${keep("firstname")}`,
    ),
    issue(
      5,
      7,
      "users[0].attributes.lastName",
      `did you mean "last_name"? Braze matches field names exactly and would store "lastName" as a custom attribute; ${keep("lastName")}`,
    ),
    issue(
      6,
      7,
      "users[0].attributes.emial",
      `did you mean "email"? Braze matches field names exactly and would store "emial" as a custom attribute; ${keep("emial")}`,
    ),
  ]);
});

names("accepts a near-miss the file lists in intended_custom_attributes, and the user carries it for its own check", () => {
  const state = parseDesiredState(
    lines(
      "intended_custom_attributes: [languages, firstname]",
      "users:",
      "  - alias: { name: ada, label: qa }",
      "    attributes: { languages: [en, fr], plan: pro }",
      "  - alias: { name: bob, label: qa }",
      "    attributes: { plan: free }",
    ),
    "users.yaml",
  );
  assert.equal(state.users[0], {
    user: { alias: { name: "ada", label: "qa" }, attributes: { languages: ["en", "fr"], plan: "pro" }, subscriptionGroups: {} },
    intendedCustomAttributes: ["languages"],
  });
  assert.equal(state.users[1], { user: { alias: { name: "bob", label: "qa" }, attributes: { plan: "free" }, subscriptionGroups: {} } });
  assert.equal(userProblems(state.users[0].user, { intendedCustomAttributes: state.users[0].intendedCustomAttributes }), []);
});

names("refuses a near-miss in a user declared in TypeScript, saying how to keep it there", () => {
  assert.equal(userProblems(userWith({ firstName: "Ada", plan: "pro" })), [
    {
      property: "attributes.firstName",
      message: `did you mean "first_name"? Braze matches field names exactly and would store "firstName" as a custom attribute; if a custom attribute is meant, add "firstName" to the user's intendedCustomAttributes`,
    },
  ]);
  assert.equal(userProblems(userWith({ firstName: "Ada" }), { intendedCustomAttributes: ["firstName"] }), []);
});

names.run();

const dates = suite("custom strings that look like dates");

const DATE_FORMATS =
  "yyyy-MM-dd (2024-05-01), ISO 8601 date-times (2024-05-01T09:30:00Z, 2024-05-01T09:30:00.000+02:00), yyyy-MM-dd HH:mm:ss, MM/dd/yyyy (05/01/2024) and ddd MM dd HH:mm:ss.TZD YYYY, with a year up to 3000";

dates("refuses one Braze cannot read as a date, at the value, listing the formats it reads", () => {
  const error = catchDesiredStateError(() => parseDesiredState(withAttributes('last_login: "2024-13-45T09:30:00Z"'), "users.yaml"));
  assertIssues(error.issues, [
    issue(
      4,
      19,
      "users[0].attributes.last_login",
      `looks like a date but is not one Braze reads (got "2024-13-45T09:30:00Z"): Braze would store it as text, so date filters would not match it. Braze reads ${DATE_FORMATS}`,
    ),
  ]);
});

dates("accepts the formats Braze reads and text that does not look like a date", () => {
  const state = parseDesiredState(
    withAttributes(
      "a: 2024-05-01",
      "b: 2024-05-01T09:30:00Z",
      "c: 2024-05-01 09:30:00",
      "d: 05/01/2024",
      "e: 2024-05-01T09:30:00.123+02:00",
      "f: release 2024-13",
      "g: '20241345'",
    ),
    "users.yaml",
  );
  assert.is(Object.keys(state.users[0].user.attributes).length, 7);
});

dates("refuses it in a user declared in TypeScript too", () => {
  assert.equal(
    userProblems(userWith({ renewal: "02/30/2025" })).map((problem) => problem.property),
    ["attributes.renewal"],
  );
});

dates.run();

const values = suite("YAML values that are not what was meant");

values("an unquoted phone number: says to quote it, with the number as it should be written", () => {
  const error = catchDesiredStateError(() => parseDesiredState(withAttributes("phone: +15555551003"), "users.yaml"));
  assertIssues(error.issues, [
    issue(4, 14, "users[0].attributes.phone", 'must be text: YAML reads an unquoted phone number as a number; quote it: "+15555551003"'),
  ]);
});

values("email_subscribe: true lists the allowed values", () => {
  const error = catchDesiredStateError(() => parseDesiredState(withAttributes("email_subscribe: true"), "users.yaml"));
  assertIssues(error.issues, [issue(4, 24, "users[0].attributes.email_subscribe", 'must be one of "opted_in", "subscribed", "unsubscribed" (got true)')]);
});

values("a null attribute says to delete its line, standard or custom, in a file and in TypeScript", () => {
  const error = catchDesiredStateError(() => parseDesiredState(withAttributes("first_name: ~", "nickname: null"), "users.yaml"));
  assertIssues(error.issues, [
    issue(4, 19, "users[0].attributes.first_name", "is null: to remove an attribute, delete its line (null is not a value here)"),
    issue(5, 17, "users[0].attributes.nickname", "is null: to remove an attribute, delete its line (null is not a value here)"),
  ]);
  assert.equal(userProblems(userWith({ nickname: null as unknown as string })), [
    { property: "attributes.nickname", message: "is null: to remove an attribute, delete its line (null is not a value here)" },
  ]);
});

values("a null subscription state says to delete its line to stop managing the group", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { name: ada, label: qa }", "    subscription_groups:", "      news: null"), "users.yaml"),
  );
  assertIssues(error.issues, [
    issue(4, 13, "users[0].subscription_groups.news", 'is null: to stop managing this group, delete its line; a state is "subscribed" or "unsubscribed"'),
  ]);
});

values.run();
