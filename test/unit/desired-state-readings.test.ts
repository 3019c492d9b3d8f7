// The two readings of a desired-state file agree: the fast one (js-yaml events)
// gives exactly the data and the state the positioned one (`yaml`) gives, or
// steps aside; and an ordinary valid file really takes the fast one.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDocument } from "yaml";
import { DesiredStateError } from "../../provider/desired-state";
import { readPlainYaml } from "../../provider/desired-state/fast-read";
import { parsePositioned, readDesiredState, type Reading } from "../../provider/desired-state/load";
import { corePlainPatterns, resolvePlainScalar } from "../../provider/desired-state/plain-scalars";
import { seededRandom } from "../harness/seeded-random";

const root = resolve(__dirname, "../../..");
const corpusDir = join(root, "test/fixtures/invalid-desired-state");
const lines = (...text: string[]) => `${text.join("\n")}\n`;

/** What a reading gives: the state, or the issues of the DesiredStateError it throws. */
function outcome(read: () => unknown): unknown {
  try {
    return { state: read() };
  } catch (error) {
    if (!(error instanceof DesiredStateError)) throw error;
    return { issues: error.issues, message: error.message };
  }
}

/** The data `yaml` reads, or undefined when it reports an error. */
function positionedData(text: string): { data: unknown } | undefined {
  const document = parseDocument(text, { uniqueKeys: true, stringKeys: true, prettyErrors: false });
  if (document.errors.length > 0) return undefined;
  try {
    return { data: document.toJS({ maxAliasCount: 1000 }) };
  } catch {
    return undefined;
  }
}

/** Both readings give the same state or the same issues, and the fast data is yaml's data. */
function assertSameReading(text: string, name: string): Reading {
  const fast = readPlainYaml(text);
  if ("data" in fast) {
    const positioned = positionedData(text);
    assert.ok(positioned !== undefined, `${name}: the fast reading read a file yaml refuses`);
    assert.ok(
      isDeepStrictEqual(fast.data, positioned.data),
      `${name}: data differs\nfast: ${JSON.stringify(fast.data)}\nyaml: ${JSON.stringify(positioned.data)}`,
    );
  }
  let reading: Reading = "positioned";
  const chosen = outcome(() => {
    const result = readDesiredState(text, name);
    reading = result.reading;
    return result.state;
  });
  const positioned = outcome(() => parsePositioned(text, name));
  assert.ok(isDeepStrictEqual(chosen, positioned), `${name}: outcome differs\nchosen: ${JSON.stringify(chosen)}\npositioned: ${JSON.stringify(positioned)}`);
  return reading;
}

const user = (attributes: string[]) => lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", ...attributes.map((line) => `      ${line}`));

/**
 * Files where the two parsers could read differently: YAML 1.1 and 1.2 scalars,
 * keys that look like numbers, tags, anchors, merge keys, several documents,
 * BOM, line ends, block and multi-line scalars. Valid and invalid alike.
 */
const TRICKY: Record<string, string> = {
  "yaml 1.1 booleans stay text": user(["a: yes", "b: on", "c: no", "d: off", "e: y", "f: n", "g: Yes", "h: ON"]),
  "1.2 booleans in every spelling": user(["a: true", "b: True", "c: TRUE", "d: false", "e: False", "f: FALSE", "g: tRUE"]),
  "numbers in every core spelling": user([
    "a: 0o17",
    "b: 012",
    "c: 0x1F",
    "d: 1_000",
    "e: .5",
    "f: +1",
    "g: -0",
    "h: 1e3",
    "i: 1.50",
    "j: 12345678901234567890",
    "k: 0.1e-2",
    "l: 1.",
    "m: +.5e+3",
  ]),
  "non-finite numbers": user(["a: .inf", "b: -.Inf", "c: .NaN"]),
  "dates and times stay text": user(["a: 2024-05-01", "b: 2024-05-01T10:00:00Z", "c: 10:30", "d: 1:30:00", "e: 2001-12-14 21:59:43.10 -5"]),
  "date-like custom string": user(['seen: "2024-13-45T09:30:00Z"']),
  "nulls in every spelling": user(["a: ~", "b: null", "c: Null", "d: NULL", "e:"]),
  "quoted look-alikes stay text": user(["a: 'true'", 'b: "12"', "c: '0x1F'", 'd: "~"', "e: ''", 'f: "+15555551003"']),
  "unquoted phone number": user(["phone: +15555551003"]),
  "escapes in double quotes": user(['a: "tab\\there"', 'b: "\\u00e9\\x41\\U0001F600"', 'c: "quote \\" and backslash \\\\"', 'd: "\\/"']),
  "escapes past the last code point": user(['a: "\\U00110000"', 'b: "\\U0001F600"']),
  "escaped surrogates": user(['a: "\\uD83D\\uDE00"', 'b: "\\uD800"', 'c: "\\x80\\xff"', 'd: "\\e\\a\\b\\v\\f\\r"', 'e: "\\L\\P\\N\\_"']),
  "single quote doubled": user(["a: 'it''s'", "b: 'x # not a comment'"]),
  "numeric-looking keys": lines(
    "users:",
    "  - alias: { name: ada, label: qa }",
    "    attributes: { 2024: a, 0x1F: b, 1e3: c, 007: d, 'true': e, nested: { 12345678901234567890: 1, ~: 2, null: 3 } }",
    "    subscription_groups: { 31: subscribed, 0o17: unsubscribed }",
  ),
  "keys with spaces and colons": user(['"a b": 1', "'c:d': 2", "e f: 3", "g:h: 4"]),
  "comments everywhere": lines(
    "# head",
    "users: # the users",
    "  # between",
    "  - alias: { name: ada, label: qa } # trailing",
    "    attributes: # attrs",
    "      a: b#not-a-comment",
    "      c: d # comment",
    "# tail",
  ),
  "document markers": lines("---", "users:", "  - alias: { name: ada, label: qa }", "..."),
  "flow everything": lines('{ users: [ { alias: { name: ada, label: qa }, attributes: { tags: [a, b], n: 1, s: "x" } } ] }'),
  "json document": '{"users": [{"alias": {"name": "ada", "label": "qa"}, "attributes": {"n": 1.5, "b": false, "list": ["x"]}}]}\n',
  "flow collection over several lines": lines("users:", "  - alias: { name: ada,", "      label: qa }", "    attributes:", "      tags: [a,", "        b]"),
  "multi-line plain scalar": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      note: first", "        second"),
  "multi-line quoted scalar": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", '      note: "first', '        second"'),
  "block scalars": lines(
    "users:",
    "  - alias: { name: ada, label: qa }",
    "    attributes:",
    "      a: |",
    "        literal",
    "      b: >-",
    "        folded",
    "        text",
  ),
  "explicit tags": user(["a: !!str 12", "b: !!int '7'", "c: !custom x"]),
  "anchors and aliases": lines("users:", "  - alias: { name: ada, label: &team qa }", "  - alias: { name: bob, label: *team }"),
  "merge key": lines("base: &base { label: qa }", "users:", "  - alias: { <<: *base, name: ada }"),
  "plain merge key without anchor": user(["<<: 1"]),
  "proto key": user(["__proto__: 1"]),
  "yaml 1.1 directive": lines("%YAML 1.1", "---", "users:", "  - alias: { name: ada, label: qa }", "    attributes: { a: yes }"),
  "two documents": lines("users: []", "---", "users: []"),
  "empty file": "",
  "only a comment": "# nothing\n",
  "byte order mark": `\uFEFF${lines("users:", "  - alias: { name: ada, label: qa }")}`,
  "windows line ends": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      a: 1", "      b: x").replace(/\n/g, "\r\n"),
  "lone carriage return": "users:\r  - alias: { name: ada, label: qa }\n",
  "tab after a value": user(["a: x\ty"]),
  "tab indentation": "users:\n\t- alias: { name: ada, label: qa }\n",
  "duplicate key": user(["a: 1", "a: 2"]),
  "duplicate key by text": user(["a: 1", "'a': 2"]),
  "same number, different text": user(["0x1F: 1", "31: 2"]),
  "complex key": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      ? [a, b]", "      : 1"),
  "explicit key": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      ? a", "      : 1"),
  "empty key": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes: { : 1 }"),
  "flow pair in a list": user(["a: [b: c]"]),
  "reserved indicator": user(["a: @x"]),
  "deep nesting": user([`deep: ${"[".repeat(120)}${"]".repeat(120)}`]),
  "a very long key": user([`${"k".repeat(1100)}: 1`]),
  "a key far from its colon": user([`${"k".repeat(990)}${" ".repeat(40)}: 1`]),
  "a quoted key far from its colon": user([`"${"k".repeat(990)}"${" ".repeat(40)}: 1`]),
  "a key without a value in a flow mapping": user(["a: { b, c: 1 }"]),
  "unicode text": user(["a: Zoë", "b: 東京", "c: 😀", "d: x\u0085y"]),
  "non-breaking space": user(["a: x\u00a0", "b: \u00a0y"]),
  "control character": user(["a: x\u0007y"]),
  "empty values in lists": user(["a: [~, null, '']", "b:", "  -", "  - x"]),
  "top-level list": lines("- users: []"),
  "users at column 0, a key after them": lines(
    "users:",
    "- alias: { name: ada, label: qa }",
    "- alias: { name: bob, label: qa }",
    "intended_custom_attributes: [firstname]",
  ),
  "users after another key, comments between items": lines(
    "intended_custom_attributes: []",
    "users: # all of them",
    "",
    "  # first",
    "  - alias: { name: ada, label: qa }",
    "# out of line",
    "  - alias: { name: bob, label: qa }",
    "# tail",
  ),
  "users inside a flow mapping over lines": lines("{ x: 1,", "users:", "  - alias: { name: ada, label: qa }", "}"),
  "users line inside a flow list": lines("a: [1,", "users:", "  - q", "]", "users:", "  - alias: { name: ada, label: qa }"),
  "users line inside a quoted scalar": lines("note: 'open", "users:", "  - alias: { name: ada, label: qa }", "  '"),
  "users key twice": lines("users:", "  - alias: { name: ada, label: qa }", "users:", "  - alias: { name: bob, label: qa }"),
  "an item line inside a flow list": lines("users:", "  - alias: { name: ada, label: qa }", "    attributes: { tags: [a,", "  - b] }"),
  "items at two indentations": lines("users:", "  - alias: { name: ada, label: qa }", " - alias: { name: bob, label: qa }"),
  "a key at the items' indentation": lines("users:", "  - alias: { name: ada, label: qa }", "  other: 1"),
  "users with a value and a list": lines("users: x", "  - alias: { name: ada, label: qa }"),
  "windows line ends around the users list": lines("users: # c", "- alias: { name: ada, label: qa }", "  attributes: { a: 1 }", "other: 2").replace(
    /\n/g,
    "\r\n",
  ),
  "scalar document": "users\n",
};

const readings = suite("desired-state readings");

readings("plain values resolve as yaml's core schema, and text starting otherwise is text without trying it", () => {
  // The shortcut in plain-scalars.ts skips the core patterns for any other first character:
  // no pattern may match text starting with one of those.
  const suffixes = ["", "1", "0", ".5", "e3", "x1F", "o7", "rue", "alse", "ull", "inf", "nan", "INF"];
  for (let code = 0x20; code < 0x300; code++) {
    const first = String.fromCharCode(code);
    if (/[-+.0-9~nNtTfF]/.test(first)) continue;
    for (const suffix of suffixes) {
      for (const pattern of corePlainPatterns) assert.not.ok(pattern.test(first + suffix), `${pattern.source} matches ${first + suffix}`);
    }
  }
  for (const [source, expected] of [
    ["yes", "yes"],
    ["0o17", 15],
    ["012", 12],
    ["0x1F", 31],
    ["1e3", 1000],
    ["~", null],
    ["", null],
    ["True", true],
    ["2024-05-01", "2024-05-01"],
    [".inf", Infinity],
  ] as const) {
    assert.is(resolvePlainScalar(source), expected, source);
  }
});

for (const [name, text] of Object.entries(TRICKY)) {
  readings(`tricky file "${name}": both readings agree`, () => {
    assertSameReading(text, `${name}.yaml`);
  });
}

readings("the fast reading steps aside for what it does not vouch for", () => {
  for (const name of [
    "multi-line plain scalar",
    "multi-line quoted scalar",
    "block scalars",
    "explicit tags",
    "anchors and aliases",
    "merge key",
    "plain merge key without anchor",
    "proto key",
    "yaml 1.1 directive",
    "two documents",
    "byte order mark",
    "lone carriage return",
    "tab after a value",
    "duplicate key",
    "duplicate key by text",
    "complex key",
    "empty key",
    "deep nesting",
    "a very long key",
    "a key far from its colon",
    "a quoted key far from its colon",
  ]) {
    assert.ok("unvouched" in readPlainYaml(TRICKY[name]), `${name} should not be read fast`);
  }
});

readings("every file of the invalid corpus: both readings report the same issues", () => {
  const files = readdirSync(corpusDir).filter((name) => name.endsWith(".yaml"));
  assert.ok(files.length > 50, "corpus found");
  for (const name of files) assertSameReading(readFileSync(join(corpusDir, name), "utf8"), name);
});

readings("a large file with mistakes here and there: placing them item by item gives the whole-file positions", () => {
  const users: string[] = [];
  for (let index = 0; index < 400; index++) {
    users.push(`  - alias: { name: user-${index}, label: qa }`, "    attributes:", `      first_name: Name${index}`, `      lifetime_orders: ${index}`);
    if (index % 97 === 3) users.push("      tags: [a,", "        b, a]");
    if (index % 113 === 5) users.push("      phone: +15555551003");
    if (index === 250) users.push("      firstname: Oops", "    subscription_groups: { news: maybe }");
    if (index % 50 === 0) users.push("# a comment between users", "");
  }
  users.push("  - alias: { name: user-7, label: qa }", "    attributes: { dob: 1990-02-30 }");
  const text = lines("# header", "intended_custom_attributes: [languages]", "users:", ...users, "colour: red", "intended_custom_attributes_typo: 1");
  const error = outcome(() => readDesiredState(text, "big.yaml")) as { issues?: unknown[] };
  assert.ok(error.issues !== undefined && error.issues.length >= 8, "the file has mistakes");
  assertSameReading(text, "big.yaml");
  assertSameReading(text.replace(/\n/g, "\r\n"), "big-crlf.yaml");
  assertSameReading(text.replace(/^ {2}/gm, ""), "big-column-0.yaml");
  for (const variant of [text, text.replace(/\n/g, "\r\n"), text.replace(/^ {2}/gm, "")]) {
    const fast = readPlainYaml(variant);
    assert.ok("layout" in fast && fast.layout !== undefined, "read in parts, so the mistakes are placed item by item");
  }
});

readings("every example users.yaml: both readings give the same state, and the fast one is taken", () => {
  const examples = readdirSync(join(root, "examples")).filter((name) => {
    try {
      readFileSync(join(root, "examples", name, "users.yaml"));
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(examples.length >= 2, "examples found");
  for (const example of examples) {
    const text = readFileSync(join(root, "examples", example, "users.yaml"), "utf8");
    assert.is(assertSameReading(text, `${example}/users.yaml`), "fast", `${example}/users.yaml takes the fast reading`);
  }
});

readings("an ordinary valid file takes the fast reading and gives the positioned reading's state", () => {
  const text = lines(
    "users:",
    "  - key: qa-ada",
    "    alias: { name: ada, label: qa }",
    "    attributes:",
    "      first_name: Ada",
    '      phone: "+15043277269"',
    "      dob: '1990-12-10'",
    "      favorite_genres: [sci-fi, drama]",
    "      loyalty: { tier: gold, points: 1200, since: { $time: '2019-05-01T00:00:00Z' } }",
    "    subscription_groups:",
    "      5e1f0a2c-newsletter: subscribed",
  );
  const result = readDesiredState(text, "users.yaml");
  assert.is(result.reading, "fast");
  assert.equal(result.state, parsePositioned(text, "users.yaml"));
});

readings("a valid file with an anchor takes the positioned reading", () => {
  assert.is(readDesiredState(TRICKY["anchors and aliases"], "users.yaml").reading, "positioned");
});

const MUTATION_BASES = [
  lines(
    "# personas",
    "users:",
    "  - key: qa-ada",
    "    alias: { name: ada, label: qa }",
    "    attributes:",
    "      first_name: Ada",
    "      email: 'ada@example.com'",
    '      phone: "+15043277269"',
    "      lifetime_orders: 12",
    "      tags: [a, b]",
    "      loyalty: { tier: gold, points: 1200 }",
    "      list:",
    "        - x",
    "        - { y: 1 }",
    "    subscription_groups:",
    "      5e1f0a2c-newsletter: subscribed",
    "  - alias: { name: bob, label: qa }",
  ),
  lines(
    "intended_custom_attributes: [firstname]",
    "users:",
    "- alias: { name: ada, label: qa }",
    "  attributes: { firstname: Ada, n: 1 }",
    "# between",
    "- alias:",
    "    name: bob",
    "    label: qa",
    "other: [1, 2]",
  ),
];
const INSERTS = [
  ":",
  "-",
  " ",
  "  ",
  "\n",
  "#",
  "'",
  '"',
  "[",
  "]",
  "{",
  "}",
  ",",
  "?",
  "&a ",
  "*a",
  "!",
  "|",
  ">",
  "\t",
  "\r",
  "%",
  "@",
  "`",
  "---",
  "...",
  "\\",
  "~",
  "0x",
  ".",
  ": ",
  "- ",
  "\n  ",
  "\n-",
];

readings("mutated files: whatever the fast reading reads, yaml reads the same, without an error", () => {
  const random = seededRandom(20_261_201);
  let readFast = 0;
  for (let round = 0; round < 3000; round++) {
    let text = MUTATION_BASES[round % MUTATION_BASES.length];
    const mutations = 1 + Math.floor(random() * 3);
    for (let step = 0; step < mutations; step++) {
      const at = Math.floor(random() * (text.length + 1));
      if (random() < 0.25) text = text.slice(0, at) + text.slice(at + 1);
      else text = text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
    }
    const fast = readPlainYaml(text);
    if (!("data" in fast)) continue;
    readFast += 1;
    const positioned = positionedData(text);
    assert.ok(positioned !== undefined, `the fast reading read a file yaml refuses:\n${JSON.stringify(text)}`);
    assert.ok(
      isDeepStrictEqual(fast.data, positioned.data),
      `data differs for ${JSON.stringify(text)}\nfast: ${JSON.stringify(fast.data)}\nyaml: ${JSON.stringify(positioned.data)}`,
    );
  }
  assert.ok(readFast > 500, `only ${readFast} mutations were read fast: the test no longer exercises the fast reading`);
});

readings("mutated files, most of them invalid: both readings report the same issues, at the same places", () => {
  const random = seededRandom(20_261_202);
  const values = ["x", "1", "~", "null", "true", "firstname: a", "$", "é", "0", "'", ": ", "\n  - alias: { name: z, label: qa }\n", "{", "]"];
  let invalid = 0;
  for (let round = 0; round < 600; round++) {
    let text = MUTATION_BASES[round % MUTATION_BASES.length];
    const at = Math.floor(random() * (text.length + 1));
    text = text.slice(0, at) + values[Math.floor(random() * values.length)] + text.slice(at);
    if ("issues" in (outcome(() => readDesiredState(text, "f.yaml")) as object)) invalid += 1;
    assertSameReading(text, `mutation ${round}`);
  }
  assert.ok(invalid > 200, `only ${invalid} mutations were invalid`);
});

readings.run();
