// The properties object of an event or purchase. Pure. Rules (Braze's event
// object, https://www.braze.com/docs/api/objects_filters/event_object/): property names are non-empty strings of at most 255 characters
// without a leading `$`; `time` and `event_name` are reserved (an error);
// values are numbers, booleans, dates, strings of at most 255 characters,
// arrays (without dates) or objects; with any array or object value the
// properties may total 100 KB.
import { parseBrazeTime } from "../dates";
import { isPlainObject, jsonBytes, type JsonObject, type JsonValue } from "../values";

export const RESERVED_PROPERTY_NAMES = ["time", "event_name"];
export const MAX_NESTED_PROPERTIES_BYTES = 100 * 1024;
const MAX_STRING = 255;
// A string that one of Braze's date formats would read as a date (they are not allowed inside arrays).
const DATE_LIKE = /^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})/;

/** The first problem with `properties`, or undefined when valid. */
export function propertiesProblem(properties: unknown): string | undefined {
  if (!isPlainObject(properties)) return "'properties' must be an object";
  let nested = false;
  for (const [name, value] of Object.entries(properties)) {
    if (name === "") return "property names must be non-empty";
    if (name.length > MAX_STRING) return `property name "${name.slice(0, 20)}…" is longer than 255 characters`;
    if (name.startsWith("$")) return `property name "${name}" must not start with "$"`;
    if (RESERVED_PROPERTY_NAMES.includes(name)) return `property name "${name}" is reserved`;
    if (typeof value === "object" && value !== null) nested = true;
    const problem = valueProblem(value, `properties.${name}`, false);
    if (problem) return problem;
  }
  if (nested && jsonBytes(properties) > MAX_NESTED_PROPERTIES_BYTES) return "properties holding arrays or objects must not exceed 100 KB";
  return undefined;
}

function valueProblem(value: JsonValue, path: string, insideArray: boolean): string | undefined {
  if (typeof value === "string") {
    if (value.length > MAX_STRING) return `${path} is longer than 255 characters`;
    if (insideArray && DATE_LIKE.test(value) && parseBrazeTime(value) !== undefined) return `${path} is a date; dates are not supported inside arrays`;
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = valueProblem(value[index], `${path}[${index}]`, true);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(value as JsonObject)) {
      const problem = valueProblem(child, `${path}.${key}`, insideArray);
      if (problem) return problem;
    }
  }
  return undefined;
}
