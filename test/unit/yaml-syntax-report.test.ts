// A YAML file that does not parse: its first syntax error alone, with the column
// an indentation slip meant, and the problems of the users it does not touch.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DesiredStateError, formatIssue, parseDesiredState } from "../../provider/desired-state";
import { indentationSlip } from "../../provider/desired-state/indentation-slip";

function reported(lines: string[]): string[] {
  try {
    parseDesiredState(lines.join("\n"), "users.yaml");
  } catch (error) {
    assert.instance(error, DesiredStateError);
    return (error as DesiredStateError).issues.map(formatIssue);
  }
  throw new TypeError("the file loaded without error");
}

const Syntax = suite("YAML syntax errors in the desired state");

Syntax("a key indented between two blocks: one issue at the slip with both columns, and the next user's problem", () => {
  const lines = [
    "users:",
    "  - alias: {name: ada, label: qa}",
    "    attributes:",
    "      first_name: Ada",
    "     last_name: L",
    "  - alias: {name: bob, label: qa}",
    "    attributes:",
    "      dob: 1990-13-01",
  ];
  assert.equal(reported(lines), [
    "users.yaml:5:6 (yaml): All mapping items must start at the same column; expected column 5 or 7, where the lines it belongs with start",
    'users.yaml:8:12 users[1] (qa/bob).attributes.dob: must be a date YYYY-MM-DD (got "1990-13-01")',
  ]);
});

Syntax("a key indented under a key that has a value: one issue at that line, not yaml's several at the line above", () => {
  const lines = [
    "users:",
    "  - alias: {name: ada, label: qa}",
    "    attributes:",
    "      first_name: Ada",
    "        last_name: L",
    "  - alias: {name: bob, label: qa}",
  ];
  assert.equal(reported(lines), [
    "users.yaml:5:9 (yaml): Nested mappings are not allowed in compact mappings; expected column 7, where the lines it belongs with start",
  ]);
});

Syntax("an item that lost its dash: the users after it are still checked, those it touches are not", () => {
  const lines = [
    "users:",
    "  - alias: {name: ada, label: qa}",
    "    attributes: {dob: 1990-13-01}",
    "  - alias: {name: bob, label: qa}",
    "   attributes:",
    "      first_name: Bob",
    "  - alias: {name: cy, label: qa}",
    "    attributes:",
    "      dob: 1990-13-02",
  ];
  assert.equal(reported(lines), [
    'users.yaml:3:23 users[0] (qa/ada).attributes.dob: must be a date YYYY-MM-DD (got "1990-13-01")',
    "users.yaml:5:4 (yaml): Sequence item without - indicator; expected column 3 or 5, where the lines it belongs with start",
    'users.yaml:9:12 users[3] (qa/cy).attributes.dob: must be a date YYYY-MM-DD (got "1990-13-02")',
  ]);
});

Syntax("any other syntax error is yaml's own message, once, where the mistake is", () => {
  assert.equal(reported(["users:", '  - alias: {name: "ada, label: qa}', "  - alias: {name: bob, label: qa}"]), [
    'users.yaml:2:19 (yaml): Missing closing "quote',
  ]);
});

Syntax.run();

const Slip = suite("indentationSlip");

Slip("finds nothing in a file indented consistently, block scalars included", () => {
  const text = [
    "users:",
    "  - alias:",
    "      name: ada",
    "      label: qa",
    "    attributes:",
    "      bio: |",
    "        hello",
    "          there",
    "      first_name: Ada",
  ].join("\n");
  assert.is(indentationSlip(text, 100), undefined);
});

Slip("a dash indented one column too far: the sibling item's column first", () => {
  const text = ["users:", "  - alias: {name: ada, label: qa}", "    attributes:", "      first_name: Ada", "   - alias: {name: bob, label: qa}"].join("\n");
  assert.equal(indentationSlip(text, 100), { line: 5, column: 4, expected: [3, 5] });
});

Slip("looks no further than the line it is given", () => {
  const text = ["a:", "  b: 1", "   c: 2"].join("\n");
  assert.is(indentationSlip(text, 2), undefined);
  assert.equal(indentationSlip(text, 3), { line: 3, column: 4, expected: [3] });
});

Slip.run();
