// Turns ajv's errors into one plain-words finding per problem. ajv reports a
// failed `anyOf` as the errors of every branch plus "must match a schema in
// anyOf"; here the branch meant by the value's type is validated alone instead,
// so `dob: 1990-13-01` gives one line, not six.
import type { AnySchemaObject, ErrorObject } from "ajv";
import { withHint } from "./hints";
import { EXPECTED_KEYWORD, MAX_JSON_BYTES_KEYWORD, jsonBytes, pointerOf, validatorFor } from "./validator";

export type Segment = string | number;

/** A problem at a place in the document: the value at `segments`, or its key. */
export interface Finding {
  segments: Segment[];
  target: "value" | "key";
  message: string;
  /**
   * Another place the problem involves (the first of two equal ids): where the
   * finding is placed in a file, RELATED_PLACE in the message becomes
   * ` (file:line:column)` of it; elsewhere it is dropped.
   */
  related?: Segment[];
}

/** Where a finding's message gives the place of its `related` value, when it has one. */
export const RELATED_PLACE = "{related}";

export function findingsFromErrors(errors: readonly ErrorObject[], root: unknown, base: Segment[] = []): Finding[] {
  const findings: KeywordFinding[] = [];
  const explained: string[] = [];
  const anyOfs = errors.filter((error) => error.keyword === "anyOf").sort((a, b) => a.instancePath.split("/").length - b.instancePath.split("/").length);
  for (const error of anyOfs) {
    if (explained.some((path) => isWithin(error.instancePath, path))) continue;
    explained.push(error.instancePath);
    const explanation = explainAnyOf(error, root, [...base, ...segmentsOf(error.instancePath, dataAt(root, base))]);
    findings.push(...explanation.map((finding) => ({ finding, keyword: "anyOf" })));
  }
  for (const error of errors) {
    // An `if` error only says its `then` or `else` failed, which has its own error.
    if (error.keyword === "anyOf" || error.keyword === "propertyNames" || error.keyword === "if") continue;
    if (explained.some((path) => isWithin(error.instancePath, path))) continue;
    findings.push({ finding: explain(error, [...base, ...segmentsOf(error.instancePath, dataAt(root, base))]), keyword: error.keyword });
  }
  return dedupe(withoutConsequences(findings)).map((finding) => withHint(finding, dataAt(root, finding.segments)));
}

interface KeywordFinding {
  finding: Finding;
  /** The ajv keyword the finding comes from ("anyOf" for an explained anyOf). */
  keyword: string;
}

/** Findings that say what kind of value (or key) is wanted: once one is given, finer rules only repeat it. */
const isShape = ({ finding, keyword }: KeywordFinding): boolean => keyword === "type" || finding.message === "must not be empty";

/** Rules about a value's content, which only mean something once its kind is right. */
const CONTENT_KEYWORDS = new Set(["minLength", "pattern", "format", "enum", "const", "not"]);

/**
 * One mistake, one finding: ajv checks `enum` whatever the type (`email_subscribe:
 * true` fails type and enum) and `pattern` on an empty string (`key: ""` fails
 * minLength and pattern), so content rules are dropped on a value or key that
 * already has a type or "must not be empty" finding.
 */
function withoutConsequences(findings: KeywordFinding[]): Finding[] {
  const placeOf = ({ finding }: KeywordFinding) => JSON.stringify([finding.segments, finding.target]);
  const shaped = new Set(findings.filter(isShape).map(placeOf));
  return findings.filter((item) => isShape(item) || !CONTENT_KEYWORDS.has(item.keyword) || !shaped.has(placeOf(item))).map(({ finding }) => finding);
}

function explain(error: ErrorObject, segments: Segment[]): Finding {
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined) {
    // A bad key (propertyNames): the path names the key, so the key is not repeated.
    return { segments: [...segments, error.propertyName], target: "key", message: keywordMessage(error, false) };
  }
  switch (error.keyword) {
    case "required":
      return { segments: [...segments, String(params.missingProperty)], target: "value", message: "is required" };
    case "additionalProperties": {
      // Fields declared only to be refused with a reason (`not: {}`) are not offered.
      const properties = (error.parentSchema?.properties as Record<string, AnySchemaObject> | undefined) ?? {};
      const known = Object.keys(properties).filter((name) => !isRefusedField(properties[name]));
      const hint = known.length > 0 ? ` (expected one of ${known.join(", ")})` : "";
      return { segments: [...segments, String(params.additionalProperty)], target: "key", message: `is not a known field${hint}` };
    }
    case "uniqueItems":
      return {
        segments: [...segments, Number(params.i)],
        target: "value",
        message: `repeats item ${String(params.j)}${got((error.data as unknown[])[Number(params.i)])}: list values must be unique (Braze keeps each value once)`,
      };
    default:
      return { segments, target: "value", message: keywordMessage(error, true) };
  }
}

function isRefusedField(schema: AnySchemaObject | boolean): boolean {
  return typeof schema === "object" && typeof schema.not === "object" && schema.not !== null && Object.keys(schema.not).length === 0;
}

function keywordMessage(error: ErrorObject, showValue: boolean): string {
  const params = error.params as Record<string, unknown>;
  const value = showValue ? got(error.data) : "";
  switch (error.keyword) {
    case "type":
      // ajv's number type excludes Infinity and NaN (YAML's .inf and .nan), which JSON cannot carry.
      if (typeof error.data === "number" && !Number.isFinite(error.data)) return `must be a finite number${value}`;
      // A value from a fixed list: the list says more than its type (`email_subscribe: true`).
      if (Array.isArray(error.parentSchema?.enum)) return `${expectation(error.parentSchema) ?? fallbackEnum(error.parentSchema.enum)}${value}`;
      return `must be ${typeWords(params.type)}${value}`;
    case "minLength":
      return params.limit === 1 ? "must not be empty" : `must be at least ${String(params.limit)} characters`;
    case "maxLength":
      return `must be at most ${String(params.limit)} characters${showValue ? ` (got ${(error.data as string).length})` : ""}`;
    case "minItems":
      return params.limit === 1 ? "must not be empty" : `must have at least ${String(params.limit)} items`;
    case "maxItems":
      return `must have at most ${String(params.limit)} items (got ${(error.data as unknown[]).length})`;
    case "maxProperties":
      // Only event and purchase properties have a count limit (docs/braze-rules.md).
      return `must have at most ${String(params.limit)} properties (got ${Object.keys(error.data as object).length}): Braze drops the others`;
    case "minimum":
    case "maximum":
      return `must be ${error.keyword === "minimum" ? "at least" : "at most"} ${String(params.limit)}${value}`;
    case "pattern":
    case "format":
    case "enum":
    case "not":
    case "const":
      return `${expectation(error.parentSchema) ?? fallback(error)}${value}`;
    case MAX_JSON_BYTES_KEYWORD:
      // The schema node may say why (event properties); nested attributes are the first user of the limit.
      return `must be at most ${String(error.schema)} bytes as JSON (got ${jsonBytes(error.data)}): ${
        typeof error.parentSchema?.[EXPECTED_KEYWORD] === "string"
          ? error.parentSchema[EXPECTED_KEYWORD]
          : "Braze silently drops a nested attribute over 100 KB"
      }`;
    default:
      return `${error.message ?? error.keyword}${value}`;
  }
}

/** The schema node's plain-words expectation, as a phrase that can follow the path. */
function expectation(schema: AnySchemaObject | undefined): string | undefined {
  const text = schema?.[EXPECTED_KEYWORD];
  if (typeof text !== "string") return undefined;
  return /^(must|cannot|is)\b/.test(text) ? text : `must be ${text}`;
}

function fallbackEnum(values: unknown[]): string {
  return `must be one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
}

function fallback(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "enum":
      return fallbackEnum(params.allowedValues as unknown[]);
    case "pattern":
      return `must match ${String(params.pattern)}`;
    case "format":
      return `must be a ${String(params.format)}`;
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Explains a failed anyOf by the one branch the value's JSON type points at
 * (a list of strings for a list whose items are strings, `{ $time }` for a
 * mapping with `$time`…), validated alone; when no branch takes that type, by
 * the anyOf's own expectation.
 */
function explainAnyOf(error: ErrorObject, root: unknown, segments: Segment[]): Finding[] {
  const branches = ((error.parentSchema?.anyOf as AnySchemaObject[] | undefined) ?? []).map(resolveBranch);
  const data = error.data;
  const candidates = branches.filter((branch) => acceptsType(branch.schema, data));
  if (candidates.length === 0) {
    return [{ segments, target: "value", message: `${expectation(error.parentSchema) ?? "must match one of the allowed shapes"}${got(data)}` }];
  }
  // On a tie the earlier branch is kept, so the choice never depends on more than the schema's order.
  const best = candidates.reduce((chosen, branch) => (fit(branch.schema, data) > fit(chosen.schema, data) ? branch : chosen));
  const validate = best.pointer === undefined ? undefined : validatorFor(best.pointer);
  if (!validate || validate(data)) {
    return [{ segments, target: "value", message: `${expectation(error.parentSchema) ?? "must match one of the allowed shapes"}${got(data)}` }];
  }
  return findingsFromErrors(validate.errors ?? [], root, segments);
}

interface Branch {
  /** `/definitions/<name>` for a `$ref` branch, the branch's own place (`/definitions/nestedValue/anyOf/0`) for an inline one. */
  pointer?: string;
  schema: AnySchemaObject;
}

function resolveBranch(schema: AnySchemaObject): Branch {
  const ref = schema.$ref;
  if (typeof ref !== "string") return { pointer: pointerOf(schema), schema };
  const pointer = ref.replace(/^#/, "");
  return { pointer, schema: validatorFor(pointer).schema as AnySchemaObject };
}

function acceptsType(schema: AnySchemaObject, data: unknown): boolean {
  const declared = schema.type;
  if (declared === undefined) return true;
  const types: unknown[] = Array.isArray(declared) ? declared : [declared];
  const actual = jsonType(data);
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

/**
 * How well a branch of the right type fits: required keys present; for a list,
 * how many items are of the item type, a tie going to the reading of the first
 * item (`[{ id: 1 }, o-2]` is a list of mappings with one stray string).
 */
function fit(schema: AnySchemaObject, data: unknown): number {
  if (Array.isArray(data)) {
    const items = resolveItems(schema.items);
    if (!items) return 0;
    const accepted = data.filter((item) => acceptsType(items, item)).length;
    return accepted * 2 + (data.length > 0 && acceptsType(items, data[0]) ? 1 : 0);
  }
  if (typeof data === "object" && data !== null) {
    const required = (schema.required as string[] | undefined) ?? [];
    if (required.length === 0) return 1;
    return required.every((key) => Object.hasOwn(data, key)) ? 2 : 0;
  }
  return 0;
}

function resolveItems(items: unknown): AnySchemaObject | undefined {
  if (typeof items !== "object" || items === null) return undefined;
  return resolveBranch(items as AnySchemaObject).schema;
}

function jsonType(data: unknown): string {
  if (data === null) return "null";
  if (Array.isArray(data)) return "array";
  if (typeof data === "number") return Number.isInteger(data) ? "integer" : "number";
  return typeof data;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  null: "null",
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(",");
  return types.map((name: string) => TYPE_WORDS[name] ?? name).join(" or ");
}

const PREVIEW_LIMIT = 60;

/** ` (got <value>)`, shortened; empty when there is no value to show. */
function got(data: unknown): string {
  if (data === undefined) return "";
  const text = JSON.stringify(data) ?? String(data);
  const shown = Number.isNaN(data) || data === Infinity || data === -Infinity ? String(data) : text;
  return ` (got ${shown.length > PREVIEW_LIMIT ? `${shown.slice(0, PREVIEW_LIMIT - 1)}…` : shown})`;
}

/** Decodes a JSON pointer, turning indexes into numbers where the data holds a list. */
function segmentsOf(pointer: string, data: unknown): Segment[] {
  if (pointer === "") return [];
  const segments: Segment[] = [];
  let current = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const segment: Segment = Array.isArray(current) && /^\d+$/.test(key) ? Number(key) : key;
    segments.push(segment);
    current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}

function dataAt(root: unknown, segments: Segment[]): unknown {
  let current = root;
  for (const segment of segments) {
    current = current !== null && typeof current === "object" ? (current as Record<string | number, unknown>)[segment] : undefined;
  }
  return current;
}

function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const id = JSON.stringify([finding.segments, finding.target, finding.message]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
