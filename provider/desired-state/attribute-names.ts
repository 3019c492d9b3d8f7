// Near-misses of Braze's standard field names. Braze matches field names
// exactly, so `firstname`, `lastName` or `emial` would silently become custom
// attributes while the real field stays unset.
import { STANDARD_ATTRIBUTES } from "../model/standard-attributes";
import { editDistance } from "./edit-distance";
import { ownedCopy } from "./owned-copy";

/** A name as compared: lowercase, without underscores (`First_Name` and `firstname` are both `firstname`). */
function folded(name: string): string {
  return name.toLowerCase().replace(/_/g, "");
}

/**
 * How far a name may be from a standard one and still be taken for a slip:
 * none for short names (`dob`: `job` is a fine custom attribute), one edit up
 * to 8 letters (`emial`, `langauge`), two beyond (`frstnme`).
 */
function allowedDistance(foldedStandard: string): number {
  if (foldedStandard.length <= 4) return 0;
  return foldedStandard.length <= 8 ? 1 : 2;
}

const STANDARD_NAMES = Object.keys(STANDARD_ATTRIBUTES).map((name) => ({ name, folded: folded(name) }));

/** Answers kept per name: a large file repeats the same few names on every user. Bounded against files of made-up names. */
const answers = new Map<string, string | undefined>();
const MAX_ANSWERS = 10_000;

/**
 * The standard field name `name` is a near-miss of (`first_name` for
 * `firstName`), or undefined when `name` is a standard name itself or not
 * close to one.
 */
export function nearMissOf(name: string): string | undefined {
  if (answers.has(name)) return answers.get(name);
  const answer = findNearMiss(name);
  if (answers.size < MAX_ANSWERS) answers.set(ownedCopy(name), answer);
  return answer;
}

function findNearMiss(name: string): string | undefined {
  if (Object.hasOwn(STANDARD_ATTRIBUTES, name)) return undefined;
  const candidate = folded(name);
  let best: { name: string; distance: number } | undefined;
  for (const standard of STANDARD_NAMES) {
    const limit = allowedDistance(standard.folded);
    const distance = editDistance(candidate, standard.folded, limit);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name: standard.name, distance };
  }
  return best?.name;
}
