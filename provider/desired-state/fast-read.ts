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

/** `yaml` refuses implicit keys longer than 1024 characters; the fast reading stays well below. */
const MAX_KEY_SOURCE_LENGTH = 1000;

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
export function readPlainYaml(text: string): { data: unknown } | { unvouched: string } {
  try {
    return { data: construct(text) };
  } catch (error) {
    if (error instanceof Unvouched) return { unvouched: error.reason };
    return { unvouched: `js-yaml: ${(error as Error).message.split("\n")[0]}` };
  }
}

function construct(text: string): unknown {
  const unvouched = UNVOUCHED_TEXT.exec(text);
  if (unvouched) throw new Unvouched(`character ${JSON.stringify(unvouched[0])} at offset ${unvouched.index}`);
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
  if (event.valueEnd - event.valueStart > MAX_KEY_SOURCE_LENGTH) throw new Unvouched("a very long key");
  const key = scalarText(text, event);
  // `__proto__` would set the prototype; `<<` is a merge key in YAML 1.1 readers.
  if (key === "__proto__" || key === "<<") throw new Unvouched(`the key ${key}`);
  // A key written twice: `yaml` reports it (uniqueKeys), with its position.
  if (Object.prototype.hasOwnProperty.call(mapping, key)) throw new Unvouched("a duplicate key");
  return key;
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
  return getScalarValue(text, event);
}
