// What to send with `_merge_objects: true` so that Braze's deep merge turns the
// recorded nested object into the desired one, or undefined when no merge can.
import { isDeepStrictEqual } from "node:util";
import type { NestedObject } from "../model/managed-user";
import { isMergeableObject } from "../model/value-kinds";

/**
 * The keys of `to` that differ from `from`, nested as deep as the difference,
 * so that deep-merging the result into `from` yields exactly `to`. Undefined when
 * that is impossible or unproven:
 * - a key removed at any depth: `null` inside a nested attribute is an invalid
 *   value (Braze then drops every nested update of the request) and a merge
 *   cannot delete a key, so only a whole replacement removes it;
 * - an array that changed inside the object: Braze does not document how a deep
 *   merge treats arrays, so arrays are only ever replaced with their object;
 * - an object turned into a scalar or the reverse: the merge result is not documented.
 * A `{ $time }` date is a leaf: it is compared and sent whole.
 */
export function mergePatch(from: NestedObject, to: NestedObject): NestedObject | undefined {
  const patch: NestedObject = {};
  for (const key of Object.keys(from)) {
    if (!Object.hasOwn(to, key)) return undefined;
  }
  for (const key of Object.keys(to).sort()) {
    const next = to[key];
    const hadKey = Object.hasOwn(from, key);
    const previous = from[key];
    if (hadKey && isDeepStrictEqual(previous, next)) continue;
    if (Array.isArray(next) || (hadKey && Array.isArray(previous))) return undefined;
    if (!hadKey) {
      patch[key] = next; // a new key, however deep, merges in whole
    } else if (isMergeableObject(previous) && isMergeableObject(next)) {
      const inner = mergePatch(previous, next);
      if (inner === undefined) return undefined;
      patch[key] = inner;
    } else if (isMergeableObject(previous) || isMergeableObject(next)) {
      return undefined;
    } else {
      patch[key] = next; // leaf to leaf (scalars and $time dates)
    }
  }
  return patch;
}
