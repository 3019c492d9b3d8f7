// Markdown tables for the benchmark's printout.

export type Cell = string | number | undefined;

/** A GitHub-flavoured markdown table; numbers right-aligned. */
export function markdownTable(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const text = rows.map((row) => row.map((cell) => (cell === undefined ? "" : String(cell))));
  const numeric = headers.map(
    (_, column) =>
      rows.length > 0 && rows.every((row) => row[column] === undefined || typeof row[column] === "number" || /^[\d.,×s%() –/-]+$/.test(String(row[column]))),
  );
  const widths = headers.map((header, column) => Math.max(header.length, 3, ...text.map((row) => row[column].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (numeric[column] ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`;
  return [line(headers), rule, ...text.map(line)].join("\n");
}

/** `value / floor` as `1.23×`, or `–` when the floor is 0 (and the value too) or undefined. */
export function ratio(value: number, floor: number | undefined): string {
  if (floor === undefined) return "–";
  if (floor === 0) return value === 0 ? "1.00×" : "∞";
  return `${(value / floor).toFixed(2)}×`;
}

export function seconds(value: number): string {
  return `${value.toFixed(2)} s`;
}
