// Small pure helpers over parsed JSON values, shared by every validator.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

/** Nesting depth of a parsed JSON value, walked without recursion so no input can overflow the stack. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (typeof current !== "object" || current === null) continue;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Size in bytes of a value as Braze receives it (UTF-8 JSON). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** A deep copy of a parsed JSON value (stored profiles never share structure with a request). */
export function cloneJson<T>(value: T): T {
  // Most attribute values are strings, numbers and booleans: nothing to copy.
  return typeof value !== "object" || value === null ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A copy of `record` with its keys in sorted order (answers list things sorted). */
export function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

/**
 * Length in characters (Unicode code points), how Braze's "255 characters"
 * limits are read here: an emoji is one character, not two UTF-16 units.
 */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The first `max` characters (code points) of `text`; never splits a surrogate pair. */
export function firstCharacters(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("");
}

/**
 * Sets `object[key]` as an own property. Plain assignment would make a key
 * named "__proto__" change the object's prototype instead of storing a value;
 * Braze has no such name, so braze-local must store it like any other.
 */
export function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  // Only "__proto__" needs defining: every other name assigns as an own property
  // (Object.prototype has no other setter), and a defined property is much slower to write.
  if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
