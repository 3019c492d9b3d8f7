// The fast reading of a desired-state file: js-yaml's event parser (about 15
// times faster than `yaml`'s positioned parse, and far leaner) turned into plain
// data by hand, so that mapping keys stay the text written and plain values
// resolve exactly as `yaml` resolves them.
//
// It only vouches for the plain subset of YAML a desired-state file needs:
// block and flow collections, single-line scalars, comments. On anything else
// (anchors, aliases, tags, directives, several documents, block or multi-line
// scalars, duplicate or non-text keys, `<<`, a BOM, tabs, a lone carriage
// return, a syntax error…) it gives up and the caller reads the file with the
// positioned parser, which handles (or reports) all of those.
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, COLLECTION_STYLE, type Event, type ScalarEvent } from "js-yaml";
import { resolvePlainScalar } from "./plain-scalars";

/**
 * Characters the fast reading leaves to the positioned parser wherever they
 * are: a tab (indentation rules differ between parsers), a byte-order mark, a
 * carriage return not followed by a line feed (`yaml` reads it as no line break).
 */
const UNVOUCHED_TEXT = /[\t\uFEFF]|\r(?!\n)/;

/**
 * `yaml` refuses a `:` more than 1024 characters after the start of an implicit
 * key (spaces before the `:` count); the fast reading stays well below.
 */
const MAX_KEY_SOURCE_LENGTH = 1000;
const COLON = 58;

const NO_RANGE = -1;
const LINE_FEED = 10;

/** Why the fast reading gave up (the caller then reads the file with positions). */
class Unvouched {
  constructor(readonly reason: string) {}
}

interface MappingFrame {
  kind: "mapping";
  value: Record<string, unknown>;
  /** The key read, waiting for its value. */
  key: string | undefined;
}

interface SequenceFrame {
  kind: "sequence";
  value: unknown[];
}

type Frame = MappingFrame | SequenceFrame;

/**
 * The document's data, exactly as `yaml`'s `parseDocument(text, { stringKeys:
 * true }).toJS()` gives it, or the reason the fast reading cannot vouch for it.
 */
export function readPlainYaml(text: string): { data: unknown; layout?: UsersLayout } | { unvouched: string } {
  try {
    const unvouched = UNVOUCHED_TEXT.exec(text);
    if (unvouched) throw new Unvouched(`character ${JSON.stringify(unvouched[0])} at offset ${unvouched.index}`);
    const split = splitUsers(text);
    if (!split) return { data: construct(text) };
    return { data: joinUsers(split), layout: split.layout };
  } catch (error) {
    if (error instanceof Unvouched) return { unvouched: error.reason };
    return { unvouched: `js-yaml: ${(error as Error).message.split("\n")[0]}` };
  }
}

/**
 * The file as up to `parts` documents, each the file with only a run of its
 * users items (runs of about as many characters, in order), so that the runs
 * can be read apart (file-texts.ts); undefined for a file whose users list
 * splitUsers does not cut. A document reads as the file would for its users:
 * the cuts are those the fast reading itself makes, at item starts.
 */
export function usersDocuments(text: string, parts: number): string[] | undefined {
  const split = splitUsers(text);
  if (!split) return undefined;
  const { listStart, end, itemStarts } = split.layout;
  const head = text.slice(0, listStart);
  const tail = text.slice(end);
  const documents: string[] = [];
  let from = 0;
  for (let part = 1; part <= parts && from < itemStarts.length; part++) {
    let to = itemStarts.length;
    if (part < parts) {
      const cut = listStart + ((end - listStart) * part) / parts;
      to = from + 1;
      while (to < itemStarts.length && itemStarts[to] < cut) to++;
    }
    documents.push(head + text.slice(itemStarts[from], to < itemStarts.length ? itemStarts[to] : end) + tail);
    from = to;
  }
  return documents;
}

/**
 * Where the users list of a file read in parts lies, so that a problem can be
 * placed by reading only the part it is in again (local-positions.ts).
 */
export interface UsersLayout {
  /** Offset of the line after `users:`: the skeleton is the text up to here and from `end` on. */
  listStart: number;
  /** Offset where the text after the list starts (the text's length when nothing follows it). */
  end: number;
  /** Offset of each item's first line (the one with its `-`), in order. */
  itemStarts: number[];
}

/**
 * A file cut at its users: the text around the list (`users:` left with no
 * value) and each item's text. Reading items one by one keeps js-yaml's events
 * for one user alive at a time instead of all of them: a 100,000-user file has
 * 7 million events, whose weight made the whole-file reading take 1 GB and
 * slow down with size.
 */
interface UsersSplit {
  /** The text before the `users:` line. */
  header: string;
  layout: UsersLayout;
  skeleton: string;
  /** Runs of whole items, each with how many items it holds. */
  groups: Array<{ text: string; count: number }>;
}

/**
 * Items are read in runs of about this many characters: large enough that the
 * cost of each call to js-yaml does not add up over 100,000 users, small
 * enough that the events of one run stay in the young generation.
 */
const GROUP_CHARACTERS = 64 * 1024;

/**
 * Reads the skeleton and every item, and puts the items back as the users.
 * This is the whole file's reading because every part is read by the same
 * vouching rules: no scalar or flow collection spans lines unless it is
 * refused, so a line starting with the list's `-` at its indentation can only
 * start an item, and a cut inside anything else leaves a part that fails.
 */
function joinUsers(split: UsersSplit): unknown {
  // The text before `users:` must stand alone as block content: were the line
  // inside a flow collection or a scalar left open above it, it would not.
  if (!isBlockMappingOrNothing(split.header)) throw new Unvouched("users: is not a top-level key");
  const skeleton = construct(split.skeleton);
  const isMapping = typeof skeleton === "object" && skeleton !== null && !Array.isArray(skeleton);
  if (!isMapping || !Object.hasOwn(skeleton, "users") || (skeleton as Record<string, unknown>).users !== null) {
    throw new Unvouched("the users list is not the value of a top-level users key");
  }
  const users: unknown[] = [];
  for (const group of split.groups) {
    const list = construct(group.text);
    if (!Array.isArray(list) || list.length !== group.count) throw new Unvouched("a run of users items that is not as many list items");
    for (const user of list) users.push(user);
  }
  if (users.length !== split.layout.itemStarts.length) throw new Unvouched("items counted twice");
  (skeleton as Record<string, unknown>).users = users;
  return skeleton;
}

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const CARRIAGE_RETURN = 13;

/**
 * Cuts the text at the items of a block list written under a top-level
 * `users:` line (`users:` alone, or with a comment), or returns undefined for
 * any other layout, which is then read whole.
 */
function splitUsers(text: string): UsersSplit | undefined {
  const usersLine = /^users:(?:[ ]+#[^\n]*)?[ ]*\r?$/m.exec(text);
  if (!usersLine) return undefined;
  const listStart = usersLine.index + usersLine[0].length + 1;
  const groups: UsersSplit["groups"] = [];
  let groupStart = -1;
  let groupCount = 0;
  const itemStarts: number[] = [];
  let indentation = -1;
  let end = text.length;
  for (let lineStart = listStart; lineStart < text.length; ) {
    const lineBreak = text.indexOf("\n", lineStart);
    const lineEnd = lineBreak === -1 ? text.length : lineBreak;
    let first = lineStart;
    while (first < lineEnd && text.charCodeAt(first) === SPACE) first++;
    const code = first < lineEnd ? text.charCodeAt(first) : -1;
    const significant = code !== -1 && code !== HASH && !(code === CARRIAGE_RETURN && first + 1 === lineEnd);
    if (significant) {
      const depth = first - lineStart;
      const after = first + 1 < lineEnd ? text.charCodeAt(first + 1) : -1;
      const isItem = code === DASH && (after === -1 || after === SPACE || (after === CARRIAGE_RETURN && first + 2 === lineEnd));
      if (indentation === -1) {
        if (!isItem) return undefined;
        indentation = depth;
      }
      if (depth < indentation || (depth === indentation && !isItem && indentation === 0)) {
        end = lineStart;
        break;
      }
      if (depth === indentation && isItem) {
        if (groupStart === -1) groupStart = lineStart;
        else if (lineStart - groupStart >= GROUP_CHARACTERS) {
          groups.push({ text: text.slice(groupStart, lineStart), count: groupCount });
          groupStart = lineStart;
          groupCount = 0;
        }
        groupCount += 1;
        itemStarts.push(lineStart);
      }
    }
    lineStart = lineEnd + 1;
  }
  if (groupStart === -1) return undefined;
  groups.push({ text: text.slice(groupStart, end), count: groupCount });
  return {
    header: text.slice(0, usersLine.index),
    skeleton: text.slice(0, listStart) + text.slice(end),
    groups,
    layout: { listStart, end, itemStarts },
  };
}

/** Whether the text is one document whose root is a block mapping, or only comments and blank lines. */
function isBlockMappingOrNothing(text: string): boolean {
  let rootStyle: number | undefined;
  try {
    construct(text, (style) => (rootStyle = style));
  } catch (error) {
    if (error instanceof Unvouched && error.reason === "an empty document") return true;
    throw error;
  }
  return rootStyle === COLLECTION_STYLE.BLOCK;
}

function construct(text: string, onRootMapping?: (style: number) => void): unknown {
  const events: Event[] = parseEvents(text, {});
  const frames: Frame[] = [];
  let documents = 0;
  let root: unknown;
  let hasRoot = false;

  const add = (value: unknown): void => {
    const frame = frames[frames.length - 1];
    if (frame === undefined) {
      root = value;
      hasRoot = true;
    } else if (frame.kind === "sequence") {
      frame.value.push(value);
    } else {
      // A value always follows the key read before it (keys are scalars, see below).
      frame.value[frame.key as string] = value;
      frame.key = undefined;
    }
  };

  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        documents += 1;
        if (documents > 1) throw new Unvouched("more than one document");
        if (event.directives.length > 0) throw new Unvouched("a directive");
        break;
      case EVENT_ID.SCALAR: {
        const frame = frames[frames.length - 1];
        if (frame?.kind === "mapping" && frame.key === undefined) frame.key = keyOf(text, event, frame.value);
        else add(scalarValue(text, event));
        break;
      }
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        if (event.anchorStart !== NO_RANGE) throw new Unvouched("an anchor");
        if (event.tagStart !== NO_RANGE) throw new Unvouched("a tag");
        const frame = frames[frames.length - 1];
        if (frame?.kind === "mapping" && frame.key === undefined) throw new Unvouched("a collection as a mapping key");
        if (event.style !== COLLECTION_STYLE.BLOCK && event.style !== COLLECTION_STYLE.FLOW) throw new Unvouched("an unknown collection style");
        if (frames.length === 0 && event.type === EVENT_ID.MAPPING) onRootMapping?.(event.style);
        frames.push(event.type === EVENT_ID.SEQUENCE ? { kind: "sequence", value: [] } : { kind: "mapping", value: {}, key: undefined });
        break;
      }
      case EVENT_ID.ALIAS:
        throw new Unvouched("an alias");
      case EVENT_ID.POP: {
        const frame = frames.pop();
        // The document's own POP has no frame: its content is already the root.
        if (frame === undefined) break;
        if (frame.kind === "mapping" && frame.key !== undefined) throw new Unvouched("a key without a value");
        add(frame.value);
        break;
      }
      default:
        throw new Unvouched("an unknown event");
    }
  }
  if (!hasRoot) throw new Unvouched("an empty document");
  return root;
}

/** A mapping key: the text written, as `stringKeys` reads it. */
function keyOf(text: string, event: ScalarEvent, mapping: Record<string, unknown>): string {
  if (event.valueStart === NO_RANGE) throw new Unvouched("an empty key");
  if (!colonWithin(text, event.valueEnd, event.valueStart + MAX_KEY_SOURCE_LENGTH)) throw new Unvouched("a very long key");
  const key = scalarText(text, event);
  // `__proto__` would set the prototype; `<<` is a merge key in YAML 1.1 readers.
  if (key === "__proto__" || key === "<<") throw new Unvouched(`the key ${key}`);
  // A key written twice: `yaml` reports it (uniqueKeys), with its position.
  if (Object.hasOwn(mapping, key)) throw new Unvouched("a duplicate key");
  return key;
}

/** Whether a `:` follows `from` before offset `limit` (a key's indicator, at most that far from the key's start). */
function colonWithin(text: string, from: number, limit: number): boolean {
  const end = Math.min(limit, text.length);
  for (let offset = from; offset < end; offset++) if (text.charCodeAt(offset) === COLON) return true;
  return false;
}

function scalarValue(text: string, event: ScalarEvent): unknown {
  const source = scalarText(text, event);
  return event.style === SCALAR_STYLE.PLAIN ? resolvePlainScalar(source) : source;
}

/** The scalar's text, for the single-line plain and quoted scalars the fast reading vouches for. */
function scalarText(text: string, event: ScalarEvent): string {
  if (event.anchorStart !== NO_RANGE) throw new Unvouched("an anchor");
  if (event.tagStart !== NO_RANGE) throw new Unvouched("a tag");
  const style = event.style;
  if (style !== SCALAR_STYLE.PLAIN && style !== SCALAR_STYLE.SINGLE_QUOTED && style !== SCALAR_STYLE.DOUBLE_QUOTED) {
    throw new Unvouched("a block scalar");
  }
  if (event.valueStart === NO_RANGE) return "";
  // Line folding inside a scalar is where readers differ most: only single-line ones are vouched for.
  for (let offset = event.valueStart; offset < event.valueEnd; offset++) {
    if (text.charCodeAt(offset) === LINE_FEED) throw new Unvouched("a multi-line scalar");
  }
  // js-yaml takes a \U escape past U+10FFFF (yaml refuses it): leave eight-digit escapes to yaml.
  if (style === SCALAR_STYLE.DOUBLE_QUOTED && !event.fast && text.slice(event.valueStart, event.valueEnd).includes("\\U")) {
    throw new Unvouched("a \\U escape");
  }
  return getScalarValue(text, event);
}
