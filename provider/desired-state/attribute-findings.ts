// Mistakes in a user's attributes that the schema cannot see: a name one slip
// away from a standard field, and text that looks like a date Braze cannot
// read. Shared by the YAML loader and by the check of users declared in
// TypeScript, so both refuse the same things.
import { STANDARD_ATTRIBUTES } from "../model/standard-attributes";
import { nearMissOf } from "./attribute-names";
import { isBrazeDate } from "./formats";
import type { Finding, Segment } from "./schema-issues";

/** How the person reading the message marks a near-miss name as a custom attribute on purpose. */
export type HowToIntend = (name: string) => string;

/**
 * Starts like a date: Braze types a custom attribute string in one of its date
 * formats as a time, and leaves anything else as text.
 */
const LOOKS_LIKE_DATE = /^\d{4}-\d{1,2}-\d{1,2}(?:$|[T ])|^\d{1,2}\/\d{1,2}\/\d{4}(?:$| )/;

/** The formats Braze reads as dates, in the words of the error message. */
export const BRAZE_DATE_FORMATS =
  "yyyy-MM-dd (2024-05-01), ISO 8601 date-times (2024-05-01T09:30:00Z, 2024-05-01T09:30:00.000+02:00), yyyy-MM-dd HH:mm:ss, MM/dd/yyyy (05/01/2024) and ddd MM dd HH:mm:ss.TZD YYYY, with a year up to 3000";

/**
 * The findings of one user's attributes, at `at` (the path of the attributes
 * mapping). Names listed in `intended` are custom attributes on purpose.
 */
export function attributeFindings(attributes: unknown, at: Segment[], intended: ReadonlySet<string>, howToIntend: HowToIntend): Finding[] {
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) return [];
  const findings: Finding[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    const standard = nearMissOf(name);
    if (standard !== undefined && !intended.has(name)) {
      findings.push({
        segments: [...at, name],
        target: "key",
        message: `did you mean "${standard}"? Braze matches field names exactly and would store ${JSON.stringify(name)} as a custom attribute; ${howToIntend(name)}`,
      });
    }
    const isStandard = Object.hasOwn(STANDARD_ATTRIBUTES, name);
    if (!isStandard && typeof value === "string" && LOOKS_LIKE_DATE.test(value) && !isBrazeDate(value)) {
      findings.push({
        segments: [...at, name],
        target: "value",
        message: `looks like a date but is not one Braze reads (got ${JSON.stringify(value)}): Braze would store it as text, so date filters would not match it. Braze reads ${BRAZE_DATE_FORMATS}`,
      });
    }
  }
  return findings;
}

/** Near-miss names of `attributes` that `intended` lists: what a user must carry for its own check to accept them. */
export function intendedNearMisses(attributes: object, intended: ReadonlySet<string>): string[] {
  if (intended.size === 0) return [];
  return Object.keys(attributes).filter((name) => intended.has(name) && nearMissOf(name) !== undefined);
}
