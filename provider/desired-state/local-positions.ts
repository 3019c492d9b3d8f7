// Places the problems of a file the fast reading read in parts, by reading with
// positions only the parts they are in: one user's item, or the text around the
// users list. A 100,000-user file with one mistake is then reported in seconds,
// where `yaml`'s positioned parse of the whole file takes minutes and gigabytes.
//
// The fast reading gave exactly `yaml`'s data (fast-read.ts), so the findings
// are the positioned reading's; each part is a verbatim piece of the file
// starting at a line start, so a node's offset in it, moved by the part's
// start, is its offset in the file, found by the same rules (offsetLocator).
import { LineCounter, parseDocument } from "yaml";
import type { UsersLayout } from "./fast-read";
import type { Segment } from "./schema-issues";
import { offsetLocator, type Locate } from "./source-positions";

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, stringKeys: true } as const;

export function layoutLocator(text: string, layout: UsersLayout): Locate {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let offset = text.indexOf("\n"); offset !== -1; offset = text.indexOf("\n", offset + 1)) lines.addNewLine(offset + 1);

  const items = new Map<number, ReturnType<typeof offsetLocator>>();
  const itemOffset = (index: number, segments: readonly Segment[], target: "value" | "key"): number => {
    let locate = items.get(index);
    if (!locate) {
      const start = layout.itemStarts[index];
      const end = index + 1 < layout.itemStarts.length ? layout.itemStarts[index + 1] : layout.end;
      locate = offsetLocator(parseDocument(text.slice(start, end), PARSE_OPTIONS));
      items.set(index, locate);
    }
    // The item alone is a list of one: its user is at index 0.
    return layout.itemStarts[index] + locate([0, ...segments], target);
  };

  let skeleton: ReturnType<typeof offsetLocator> | undefined;
  const skeletonOffset = (segments: readonly Segment[], target: "value" | "key"): number => {
    skeleton ??= offsetLocator(parseDocument(text.slice(0, layout.listStart) + text.slice(layout.end), PARSE_OPTIONS));
    const offset = skeleton(segments, target);
    return offset < layout.listStart ? offset : offset + (layout.end - layout.listStart);
  };

  return (segments, target) => {
    const [first, index] = segments;
    const offset =
      first === "users" && typeof index === "number" && index < layout.itemStarts.length
        ? itemOffset(index, segments.slice(2), target)
        : skeletonOffset(segments, target);
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
}
