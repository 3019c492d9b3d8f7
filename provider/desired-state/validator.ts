// The one ajv instance that checks desired-state documents against
// schema/desired-state.schema.json, with the formats and the annotation keyword
// that schema uses.
import Ajv, { type ValidateFunction } from "ajv";
import schema from "../../schema/desired-state.schema.json";
import { isEventTime } from "../model/event-time";
import { isBrazeDate, isCalendarDate, isCountryCode, isCurrencyCode, isTimeZone } from "./formats";

export const SCHEMA_ID: string = schema.$id;

/** The plain-words expectation a schema node carries for error messages. */
export const EXPECTED_KEYWORD = "x-expected";

/**
 * The largest a value may be, in bytes of its compact UTF-8 JSON (what is sent):
 * Braze's size limit on nested attributes and on event properties holding lists
 * or mappings, which JSON Schema cannot say.
 */
export const MAX_JSON_BYTES_KEYWORD = "x-max-json-bytes";

/** Size in bytes of a value as it is sent to Braze (UTF-8 JSON). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

let ajv: Ajv | undefined;

function instance(): Ajv {
  if (ajv) return ajv;
  // allErrors: report every problem of the file at once, not the first one.
  // verbose: errors carry the failing data and schema node, which the messages use.
  ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  ajv.addKeyword({ keyword: EXPECTED_KEYWORD, schemaType: "string" });
  ajv.addKeyword({ keyword: MAX_JSON_BYTES_KEYWORD, schemaType: "number", validate: (limit: number, data: unknown) => jsonBytes(data) <= limit });
  ajv.addFormat("date", { type: "string", validate: isCalendarDate });
  ajv.addFormat("time-zone", { type: "string", validate: isTimeZone });
  ajv.addFormat("braze-date", { type: "string", validate: isBrazeDate });
  ajv.addFormat("country-code", { type: "string", validate: isCountryCode });
  ajv.addFormat("currency-code", { type: "string", validate: isCurrencyCode });
  ajv.addFormat("event-time", { type: "string", validate: isEventTime });
  ajv.addSchema(schema);
  return ajv;
}

let pointers: WeakMap<object, string> | undefined;

/**
 * The JSON pointer (`/definitions/nestedValue/anyOf/0`) of a node of the
 * schema, found by identity: ajv's errors carry the schema objects themselves,
 * so an inline `anyOf` branch can be validated alone with `validatorFor`.
 */
export function pointerOf(node: object): string | undefined {
  if (!pointers) {
    const found = new WeakMap<object, string>();
    const walk = (value: unknown, pointer: string): void => {
      if (typeof value !== "object" || value === null) return;
      found.set(value, pointer);
      for (const [key, child] of Object.entries(value)) walk(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
    };
    walk(schema, "");
    pointers = found;
  }
  return pointers.get(node);
}

/** The validator of the whole document, or of one definition (`#/definitions/<name>`). */
export function validatorFor(pointer = ""): ValidateFunction {
  const validate = instance().getSchema(`${SCHEMA_ID}#${pointer}`);
  if (!validate) throw new Error(`schema has no node at #${pointer}`);
  return validate;
}
