// Where an indentation slip is, in the lines a YAML parser refused. yaml's own
// errors point at where parsing broke, which is often the line after the slip
// and never says which column was meant; reading the indentation of the lines
// above gives both. Pure: text in, position out.

/** A line indented to a column no block above it opened. */
export interface IndentationSlip {
  /** 1-based. */
  line: number;
  /** 1-based column where the line's content starts. */
  column: number;
  /** The columns it may have meant (1-based), nearest first: those of the blocks around it. */
  expected: number[];
}

/**
 * The first line, up to `lastLine` (1-based), whose content starts at a column
 * that no enclosing block uses: less indented than its block but not lined up
 * with an outer one, or more indented than a `key: value` line above it allows.
 * Blank lines, comments and the contents of block scalars (`|`, `>`) are skipped.
 */
export function indentationSlip(text: string, lastLine: number): IndentationSlip | undefined {
  const lines = text.split(/\r?\n/);
  /** Columns (0-based) of the open blocks, outermost first. */
  const open: number[] = [];
  let opensBlock = true;
  let scalarAt: number | undefined;
  for (let index = 0; index < Math.min(lines.length, lastLine); index++) {
    const line = lines[index];
    const content = line.trimStart();
    if (content === "" || content.startsWith("#")) continue;
    const indent = line.length - content.length;
    if (scalarAt !== undefined) {
      if (indent > scalarAt) continue;
      scalarAt = undefined;
    }
    const top = open.at(-1);
    if (top === undefined || indent > top) {
      if (top !== undefined && !opensBlock) return { line: index + 1, column: indent + 1, expected: [top + 1] };
      open.push(indent);
    } else {
      let inner = top;
      while (open.length > 0 && open.at(-1)! > indent) inner = open.pop()!;
      const outer = open.at(-1);
      if (outer !== indent) {
        // The block it left and the block it fell short of: the nearer one first.
        const expected = [inner + 1, ...(outer === undefined ? [] : [outer + 1])].sort((a, b) => Math.abs(a - 1 - indent) - Math.abs(b - 1 - indent) || a - b);
        return { line: index + 1, column: indent + 1, expected };
      }
    }
    // `- key: value` opens the item's mapping at the key's column.
    const item = /^-\s+(?=\S)/.exec(content);
    if (item) open.push(indent + item[0].length);
    const rest = item ? content.slice(item[0].length) : content;
    opensBlock = /:\s*(#.*)?$/.test(rest) || /^-\s*(#.*)?$/.test(rest) || rest === "-" || /[|>][+-]?\d*\s*(#.*)?$/.test(rest);
    if (/:\s*[|>][+-]?\d*\s*(#.*)?$/.test(rest)) scalarAt = item ? indent + item[0].length : indent;
  }
  return undefined;
}

/** How to say a slip in a message placed at it: the columns it may have meant. */
export function describeSlip(slip: IndentationSlip): string {
  const columns = slip.expected.length === 1 ? `column ${slip.expected[0]}` : `column ${slip.expected.slice(0, -1).join(", ")} or ${slip.expected.at(-1)}`;
  return `expected ${columns}, where the lines it belongs with start`;
}
