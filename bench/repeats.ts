// Figures that vary from run to run (wall time, memory, throughput) are
// measured several times and shown as a median with the range, never as one
// picked run. Counts that must not vary (requests, data points) are checked to
// be the same in every run instead.
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("spreadOf needs at least one run");
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

/** `11.7 (11.2–12.4)` with `format` applied to each number; the bare value for a single run. */
export function formatSpread(spread: Spread, format: (value: number) => string): string {
  if (spread.runs === 1) return format(spread.median);
  return `${format(spread.median)} (${format(spread.min)}–${format(spread.max)})`;
}

/**
 * The one value every run agreed on; otherwise every distinct value, so a
 * count that changed between runs shows as `14 / 15` instead of a median that
 * would hide it.
 */
export function agreed(values: readonly number[]): number | string {
  const distinct = [...new Set(values)];
  return distinct.length === 1 ? distinct[0] : distinct.join(" / ");
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
