// The decision rule for events and purchases whose request got no answer (a
// 5xx, a timeout, a dropped connection, a killed run). Pure.
//
// Braze never de-duplicates an event, so such an entry is never sent again
// blindly. Braze's export gives, per user, a count per event name and per product
// id. The record keeps `tally`: what each count is from this stack's confirmed
// sends. The entries in doubt come in groups: the entries of one user in one
// request, which reached Braze all or none. Then, per user, with
// d(name) = exported count - tally:
// - the groups that arrived are those whose occurrences add up to d for every
//   name involved; when exactly one choice of groups does, it is the answer
//   (d = 0: none arrived, send them; d = all: all arrived, record them);
// - when none does, or several do, it cannot be decided: the entries stay in
//   doubt and the user fails by name, so the next run decides again.
// This holds while nothing but this stack logs these names for these users
// (the alias-only personas it manages); events logged by others make the
// counts disagree, and the entries involved fail rather than risk a duplicate.

/** Entries of one user that reached Braze all or none. */
export interface DoubtGroup {
  id: string;
  /** Per counter (`event:<name>`, `purchase:<product_id>`): occurrences the group adds. */
  occurrences: Record<string, number>;
}

export type ArrivalVerdict = { decided: true; arrived: string[] } | { decided: false; reason: string };

/** Groups beyond which the choices are not searched (2^16): the user fails as undecidable. */
export const MAX_SEARCHED_GROUPS = 16;

export function decideArrivals(
  tally: Readonly<Record<string, number>>,
  counts: Readonly<Record<string, number>>,
  groups: readonly DoubtGroup[],
): ArrivalVerdict {
  const names = [...new Set(groups.flatMap((group) => Object.keys(group.occurrences)))].sort();
  const surplus = Object.fromEntries(names.map((name) => [name, (counts[name] ?? 0) - (tally[name] ?? 0)]));
  const explain = () => names.map((name) => `${name}: Braze holds ${counts[name] ?? 0}, this stack logged ${tally[name] ?? 0}`).join("; ");
  const sum = (chosen: readonly DoubtGroup[], name: string) => chosen.reduce((total, group) => total + (group.occurrences[name] ?? 0), 0);
  const matches = (chosen: readonly DoubtGroup[]) => names.every((name) => sum(chosen, name) === surplus[name]);
  // The two usual answers, without a search: each group adds at least one occurrence, so each is the only match.
  if (names.every((name) => surplus[name] === 0)) return { decided: true, arrived: [] };
  if (matches(groups)) return { decided: true, arrived: groups.map((group) => group.id) };
  if (groups.length > MAX_SEARCHED_GROUPS) return { decided: false, reason: `${explain()}; too many requests in doubt to tell which arrived` };
  const found: DoubtGroup[][] = [];
  for (let mask = 1; mask < 2 ** groups.length - 1 && found.length < 2; mask++) {
    const chosen = groups.filter((_, index) => mask & (1 << index));
    if (matches(chosen)) found.push(chosen);
  }
  if (found.length === 1) return { decided: true, arrived: found[0].map((group) => group.id) };
  return {
    decided: false,
    reason:
      found.length === 0
        ? `${explain()}: no choice of the entries in doubt explains the difference (were events logged outside this stack?)`
        : `${explain()}: more than one choice of the entries in doubt explains it`,
  };
}

/** Counts per counter from an export's `custom_events` and `purchases` (`[{name, count}]`). */
export function exportedCounts(customEvents: unknown, purchases: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [prefix, list] of [
    ["event:", customEvents],
    ["purchase:", purchases],
  ] as const) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list))
      throw new TypeError(`an export's ${prefix === "event:" ? "custom_events" : "purchases"} is not a list: ${JSON.stringify(list).slice(0, 200)}`);
    for (const item of list) {
      const { name, count } = (item ?? {}) as { name?: unknown; count?: unknown };
      if (typeof name !== "string" || typeof count !== "number")
        throw new TypeError(`an export's activity entry lacks name or count: ${JSON.stringify(item).slice(0, 200)}`);
      counts[prefix + name] = (counts[prefix + name] ?? 0) + count;
    }
  }
  return counts;
}

/** First and last time per counter from an export's `custom_events` and `purchases`, where given. */
export function exportedRanges(customEvents: unknown, purchases: unknown): Record<string, { first: number; last: number }> {
  const ranges: Record<string, { first: number; last: number }> = {};
  for (const [prefix, list] of [
    ["event:", customEvents],
    ["purchase:", purchases],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const { name, first, last } = (item ?? {}) as { name?: unknown; first?: unknown; last?: unknown };
      const [from, to] = [Date.parse(String(first)), Date.parse(String(last))];
      if (typeof name === "string" && Number.isFinite(from) && Number.isFinite(to)) ranges[prefix + name] = { first: from, last: to };
    }
  }
  return ranges;
}

/**
 * Whether an entry the record does not know, taken for arrived by its counts,
 * fits Braze's first and last times for its name: an event logged by someone
 * else at another time must not pass for it. Only an absolute time in the past
 * is checked (Braze logs a future time as the time of receipt, and a relative
 * time's first resolution is not known).
 */
export function fitsRange(time: number | undefined, now: number, range: { first: number; last: number } | undefined): boolean {
  if (time === undefined || !Number.isFinite(time) || time > now) return true;
  return range !== undefined && range.first <= time && time <= range.last;
}
