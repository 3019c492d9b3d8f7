// The flow form user texts are written in (provider/encoding/flow-text.ts): every
// JSON value must come back exactly, and a YAML reader (the engine's diff
// display is one) must read the same value, in YAML 1.2 and in 1.1, whose
// words (`yes`, `off`, `y`) Go's yaml.v3 still knows. The `yaml` package stands
// in for the engine's reader here.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import { flowString, flowValue, parseFlowText } from "../../provider/encoding/flow-text";
import { memberToText, memberFromText } from "../../provider/encoding/user-text";

const Flow = suite("flow text");

/** Strings YAML could read as something else, or that hold its indicators and separators. */
const AWKWARD_STRINGS = [
  ...["yes", "No", "ON", "off", "y", "N", "true", "False", "NULL", "null", "~", "Yes"],
  ...["123", "-1", "1e5", "0x1F", "0o17", "1_000", "1985-11-27", "2024-01-01T00:00:00Z", ".inf", ".NaN", "12:30", "+1"],
  ...["", " lead", "trail ", "a  b", "a: b", "a:b", "a #b", "#x", "-x", "- x", "?x", "!x", "&x", "*x", "|x", ">x", "%x", "@x", "`x"],
  ...["a,b", "[x]", "{x}", "x]", "x}", "'q'", '"q"', "back\\slash", "tab\there", "new\nline", "\r", "\u007f", "\u0085", "\ufeff", "\u2028"],
  ...["é", "Zoë", "😀", "日本", "New York", "ada@example.com", "Asia/Tokyo", "sku-2210", "v1.2", "_", "e", "E10", "e-7", "e1", "e1x", "<<", "="],
];

function yamlReadings(text: string): unknown[] {
  return [parseYaml(text), parseYaml(text, { version: "1.1" })];
}

Flow("every string comes back exactly, and YAML 1.2 and 1.1 read the same string", () => {
  for (const value of AWKWARD_STRINGS) {
    const text = flowValue({ value });
    assert.equal(parseFlowText(text), { value }, text);
    for (const reading of yamlReadings(text)) assert.equal(reading, { value }, `YAML reads ${text}`);
  }
});

Flow("numbers, booleans, null, lists and nested objects come back exactly, as JSON would give them", () => {
  const value = {
    numbers: [0, -0, 1.5, -2.25, 1e21, 1e-7, 123456789012, 397.58],
    flags: [true, false],
    none: null,
    empty: { list: [], object: {} },
    deep: [{ b: [1, { d: "x", c: [] }], a: "y" }, [["z"]]],
    skipped: undefined,
    holes: [undefined, 1],
  };
  const text = flowValue(value);
  const asJson = JSON.parse(JSON.stringify(value)) as unknown;
  assert.equal(parseFlowText(text), asJson);
  for (const reading of yamlReadings(text)) assert.equal(reading, asJson, "YAML reads the same value");
});

Flow("safe strings are written plain, keys sorted at every depth, lists in their order", () => {
  assert.is(
    flowValue({ plan: "pro", city: "New York", email: "ada@example.com", tags: ["b", "a"], nested: { z: 1, a: "x" } }),
    "{city: New York, email: ada@example.com, nested: {a: x, z: 1}, plan: pro, tags: [b, a]}",
  );
  assert.is(flowString("yes"), '"yes"');
  assert.is(flowString("1985-11-27"), '"1985-11-27"');
  assert.is(flowString("\u007f"), '"\\u007f"', "YAML allows no raw DEL inside quotes");
  assert.is(flowString("a\u2028b"), '"a\\u2028b"', "YAML 1.1 reads U+2028 as a line break");
});

Flow("JSON texts read the same (stacks written before the flow form hold them)", () => {
  const value = { alias: { label: "qa", name: "ada" }, attributes: { plan: "pro", n: 1e21, list: ["a b", true, null] } };
  assert.equal(parseFlowText(JSON.stringify(value)), value);
});

Flow("values JSON cannot hold have no text and say so", () => {
  assert.throws(() => flowValue({ n: Number.NaN }), /NaN has no text form: numbers must be finite/);
  assert.throws(() => flowValue({ n: Number.POSITIVE_INFINITY }), /Infinity has no text form/);
  assert.throws(() => flowValue({ f: () => 1 }), /a function has no text form/);
  assert.throws(() => flowValue({ big: 1n }), /a bigint has no text form/);
});

Flow("a user's text: alias first, then attributes, subscription groups, events and purchases, each sorted", () => {
  const member = {
    user: {
      alias: { label: "qa", name: "ada" },
      attributes: { plan: "pro", email: "ada@example.com" },
      subscriptionGroups: { "5e1f-news": "subscribed" as const },
    },
    entries: { events: { welcome: { name: "signed_up", time: "-3d" } }, purchases: {} },
  };
  const text = memberToText(member);
  assert.is(
    text,
    '{alias: {label: qa, name: ada}, attributes: {email: ada@example.com, plan: pro}, subscription_groups: {"5e1f-news": subscribed}, events: {welcome: {name: signed_up, time: "-3d"}}}',
  );
  assert.equal(memberFromText(text), member);
});

Flow.run();
