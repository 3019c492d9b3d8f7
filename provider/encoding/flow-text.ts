// The text form of a user set's users: YAML flow style on one line,
// `{attributes: {email: ada@example.com, plan: pro}, subscription_groups: {...}}`.
//
// Why not JSON: the engine stores each shard as a JSON string, so every quote of
// a JSON text is written twice (`\"`), and at the benchmark's personas quotes
// were a quarter of the state's bytes. Every checkpoint write, every gRPC trip
// and every parse of the state pays per byte (bench/results/shapes-100000.json).
// YAML flow style leaves most strings unquoted, and `pulumi preview --diff` still
// decodes a multi-line YAML string and diffs it key by key, marked `(yaml)`.
//
// The form is a strict subset of YAML flow style that is also "JSON with some
// quotes left out": a string is written plain only when it is made of letters,
// digits, `_ . @ / -` and single inner spaces, starts with a letter or `_`, and
// is no word that YAML 1.1 or 1.2 reads as something else (`yes`, `off`, `null`,
// ...). Every other string is a JSON string, which YAML reads the same way.
// Reading it back is therefore quoting the plain words again and calling
// JSON.parse: exact for every value JSON can hold, with no YAML parser involved.

/** Plain strings: nothing YAML could read as a number, a date, an indicator or a separator. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_.@/-]*(?: [A-Za-z0-9_.@/-]+)*$/;

/**
 * Words YAML reads as booleans or null in either version (1.1's `y`, `on`, `no`
 * ...; Go's yaml.v3, which the engine's diff display uses, knows both), in any
 * case: these stay quoted.
 */
const NOT_STRINGS = new Set(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]);
const LONGEST_NOT_STRING = 5;

/** An exponent alone (`E10`, `e-7`): the `yaml` package's 1.1 schema reads it as a number, so it stays quoted. */
const LIKE_AN_EXPONENT = /^[eE]-?\d/;

/**
 * Characters JSON.stringify leaves raw but YAML forbids raw inside a quoted
 * string (DEL, the C1 controls, the byte-order mark) or, in YAML 1.1, reads as
 * line breaks (U+2028, U+2029): escaped, so the engine's display reads the
 * text as written, on one line. JSON.parse reads the escapes either way.
 */
const NOT_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

/** A string as the form writes it: plain when that is safe, else a JSON string. */
export function flowString(value: string): string {
  if (PLAIN.test(value) && (value.length > LONGEST_NOT_STRING || !NOT_STRINGS.has(value.toLowerCase())) && !LIKE_AN_EXPONENT.test(value)) return value;
  const quoted = JSON.stringify(value);
  NOT_PRINTABLE.lastIndex = 0;
  return NOT_PRINTABLE.test(quoted) ? quoted.replace(NOT_PRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`) : quoted;
}

/**
 * A JSON value in the form, keys sorted at every depth (arrays keep their
 * order: it is their value). As JSON.stringify: keys holding `undefined` are
 * left out, and `undefined` in a list is `null`.
 * @throws TypeError for what JSON cannot hold (a function, a bigint, a number that is not finite).
 */
export function flowValue(value: unknown): string {
  const parts: string[] = [];
  writeValue(value, parts);
  return parts.join("");
}

/**
 * An object with its keys in the given order (sorted below it), `undefined` values left out.
 * @throws TypeError as flowValue.
 */
export function flowObject(value: Readonly<Record<string, unknown>>, keys: readonly string[]): string {
  const parts: string[] = [];
  writeObject(value, keys, parts);
  return parts.join("");
}

// Writers append to one list joined once: a text built with `+=` is a rope
// that V8 flattens on first read, and at 100,000 users that flattening and its
// garbage took longer than writing.
function writeValue(value: unknown, parts: string[]): void {
  switch (typeof value) {
    case "string":
      parts.push(flowString(value));
      return;
    case "boolean":
      parts.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no text form: numbers must be finite`);
      parts.push(JSON.stringify(value));
      return;
    case "object":
      if (value === null) parts.push("null");
      else if (Array.isArray(value)) writeArray(value, parts);
      else writeObject(value as Record<string, unknown>, Object.keys(value).sort(), parts);
      return;
    default:
      throw new TypeError(`a ${typeof value} has no text form`);
  }
}

function writeArray(items: readonly unknown[], parts: string[]): void {
  parts.push("[");
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) parts.push(", ");
    if (items[index] === undefined) parts.push("null");
    else writeValue(items[index], parts);
  }
  parts.push("]");
}

function writeObject(value: Readonly<Record<string, unknown>>, keys: readonly string[], parts: string[]): void {
  parts.push("{");
  let first = true;
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    parts.push(first ? "" : ", ", flowString(key), ": ");
    writeValue(item, parts);
    first = false;
  }
  parts.push("}");
}

/**
 * One token of the form: a JSON string (kept), a number (kept) or a plain
 * word. Numbers are matched so that the `e` of `1e+21` is not taken for a word.
 */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|[A-Za-z_](?:[A-Za-z0-9_.@/-]| (?=[A-Za-z0-9_.@/-]))*/g;

/**
 * The value of a text in the form, or of a JSON text (JSON is the form with
 * every string quoted).
 * @throws SyntaxError when the text is neither.
 */
export function parseFlowText(text: string): unknown {
  return JSON.parse(text.replace(TOKEN, quotePlainWord));
}

function quotePlainWord(token: string): string {
  const first = token.charCodeAt(0);
  if (first === QUOTE || first === MINUS || (first >= DIGIT_0 && first <= DIGIT_9)) return token;
  return token === "true" || token === "false" || token === "null" ? token : `"${token}"`;
}

const QUOTE = 0x22;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
