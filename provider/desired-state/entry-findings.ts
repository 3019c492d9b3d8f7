// What JSON Schema cannot say about a user's events and purchases: each id
// names one entry. The id is what makes an entry be sent exactly once (the
// provider records the ids it has sent), so two entries with one id would be
// one entry sent once, or a change of an entry already sent.
import { formatPropertyPath } from "../model/property-path";
import { RELATED_PLACE, type Finding, type Segment } from "./schema-issues";

/** The kinds of entries, in the order their ids are checked. */
const ENTRY_LISTS = ["events", "purchases"] as const;

/**
 * A finding at every id used before in the same user, in its events or its
 * purchases (ids are unique across both: one entry, one id), naming the first
 * use and its place. `at` is the user's path (`["users", 3]`); entries whose id
 * is not text are left to the schema's findings.
 */
export function entryIdFindings(user: Record<string, unknown>, at: Segment[]): Finding[] {
  const findings: Finding[] = [];
  const firstUse = new Map<string, Segment[]>();
  for (const list of ENTRY_LISTS) {
    const entries = user[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, index) => {
      const id = typeof entry === "object" && entry !== null ? (entry as { id?: unknown }).id : undefined;
      if (typeof id !== "string") return;
      const segments = [...at, list, index, "id"];
      const first = firstUse.get(id);
      if (first === undefined) {
        firstUse.set(id, segments);
        return;
      }
      findings.push({
        segments,
        target: "value",
        related: first,
        message: `duplicates the id ${JSON.stringify(id)} of ${formatPropertyPath(first.slice(0, -1))}${RELATED_PLACE}: an id names one entry, unique across the user's events and purchases; give this entry a new id`,
      });
    });
  }
  return findings;
}
