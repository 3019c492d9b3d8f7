// Where a path of the parsed document sits in the YAML text, so every problem
// is reported at file:line:column.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { Segment } from "./schema-issues";

export interface Position {
  line: number;
  column: number;
}

export type Locate = (segments: readonly Segment[], target: "value" | "key") => Position;

/**
 * Finds the node at `segments` (or its key, for problems with a key). When the
 * path goes further than the text (a missing field), the deepest existing node
 * is used: a missing `label` is reported where its `alias` mapping starts.
 */
export function locator(document: Document, lineCounter: LineCounter): Locate {
  const offsetOf = offsetLocator(document);
  return (segments, target) => {
    const { line, col } = lineCounter.linePos(offsetOf(segments, target));
    return { line, column: col };
  };
}

/** locator's rules, giving the offset in the parsed text rather than line and column. */
export function offsetLocator(document: Document): (segments: readonly Segment[], target: "value" | "key") => number {
  const offsetOf = (node: Node | null | undefined): number => node?.range?.[0] ?? 0;

  return (segments, target) => {
    let node = document.contents as Node | null;
    let keyNode: Node | undefined;
    let complete = true;
    for (const segment of segments) {
      if (isAlias(node)) node = node.resolve(document) ?? null;
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(segment));
        if (!pair) {
          complete = false;
          break;
        }
        keyNode = pair.key as Node;
        // `dob:` with nothing after it has no value node: point at the key.
        node = (pair.value as Node | null) ?? keyNode;
      } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
        keyNode = undefined;
        node = node.items[segment] as Node;
      } else {
        complete = false;
        break;
      }
    }
    return offsetOf(complete && target === "key" && keyNode ? keyNode : node);
  };
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
