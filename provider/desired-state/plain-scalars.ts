// How the positioned reader (`yaml`, YAML 1.2 core schema) reads an unquoted,
// untagged value, reused by the fast reader so both give the same value: `yes`
// and `on` stay text, `0o17` is 15, `012` is 12, `2024-05-01` stays text.
import { Document, isScalar, type ScalarTag } from "yaml";

/**
 * The core schema's scalar tags that a plain value is tested against, in the
 * schema's order (null, bool, int in octal, decimal and hex, then floats): the
 * first whose `test` matches resolves the value, and text is what none match.
 * Taken from `yaml` itself rather than copied, so the two readers cannot drift.
 */
const CORE_TAGS: readonly ScalarTag[] = (new Document().schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test instanceof RegExp);

/** Options `yaml` resolves with by default: integers as numbers, not bigints. */
const RESOLVE_OPTIONS = { intAsBigInt: false } as Parameters<ScalarTag["resolve"]>[2];

/**
 * Every core tag's pattern starts with one of these characters (or matches the
 * empty text, as null does): any other plain value is text without trying them.
 */
const MAY_NOT_BE_TEXT = /^[-+.0-9~nNtTfF]/;

/** The value `yaml` gives a plain scalar written as `source`. */
export function resolvePlainScalar(source: string): unknown {
  if (source !== "" && !MAY_NOT_BE_TEXT.test(source)) return source;
  const tag = CORE_TAGS.find((candidate) => (candidate.test as RegExp).test(source));
  if (!tag) return source;
  const resolved = tag.resolve(source, () => undefined, RESOLVE_OPTIONS);
  return isScalar(resolved) ? resolved.value : resolved;
}

/** The tags' patterns, for the test that checks MAY_NOT_BE_TEXT covers them all. */
export const corePlainPatterns: readonly RegExp[] = CORE_TAGS.map((tag) => tag.test as RegExp);
