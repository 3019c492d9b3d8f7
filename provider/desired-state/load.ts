import { readFileSync } from "node:fs";
import { isAlias, isCollection, isPair, LineCounter, parseDocument, Scalar, visit, type Document, type Node, type YAMLError } from "yaml";
import type { DesiredStateDocument } from "../../schema/generated/desired-state";
import { aliasKey } from "../model";
import { ownAddressFindings, sameProfileFindings } from "./address-findings";
import { formatPropertyPath } from "../model/property-path";
import { describeSlip, indentationSlip } from "./indentation-slip";
import { attributeFindings } from "./attribute-findings";
import { toDesiredState } from "./convert";
import { readPlainYaml } from "./fast-read";
import { layoutLocator } from "./local-positions";
import type { DesiredState } from "./desired-state";
import { DesiredStateError, type DesiredStateIssue } from "./desired-state-error";
import { DesiredStateUnreadableError } from "./desired-state-unreadable-error";
import { entryIdFindings } from "./entry-findings";
import { findingsFromErrors, RELATED_PLACE, type Finding, type Segment } from "./schema-issues";
import { stringArrayFindings, type WorkspaceLimits } from "./string-array-findings";
import { locator, type Locate } from "./source-positions";
import { validatorFor } from "./validator";

/**
 * Aliases may expand to this many values (YAML nodes) in all before the file is refused:
 * guards against alias bombs (a few lines whose aliases expand exponentially),
 * while leaving room for any hand-written reuse of anchors.
 */
const MAX_ALIAS_COUNT = 1000;

/**
 * Reads, validates and converts a desired-state YAML file.
 * @throws DesiredStateUnreadableError when the file cannot be read.
 * @throws DesiredStateError listing every problem, each at file:line:column.
 */
export function loadDesiredState(filePath: string, limits: WorkspaceLimits = {}): DesiredState {
  return parseDesiredState(readDesiredStateText(filePath), filePath, limits);
}

/**
 * A desired-state file's text.
 * @throws DesiredStateUnreadableError when there is no file to read at `filePath`.
 */
export function readDesiredStateText(filePath: string): string {
  try {
    // Decoding the Buffer takes half the time of Node 20's own UTF-8 file read
    // (0.5 s against 1 s for a 76 MB file), with the same result.
    return readFileSync(filePath).toString("utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string") throw new DesiredStateUnreadableError(filePath, code, { cause: error });
    throw error;
  }
}

/**
 * Validates and converts desired-state YAML held in memory; `fileName` is only
 * used in messages.
 * @throws DesiredStateError listing every problem, each at file:line:column.
 */
export function parseDesiredState(text: string, fileName: string, limits: WorkspaceLimits = {}): DesiredState {
  return readDesiredState(text, fileName, limits).state;
}

/**
 * Which reading produced a desired state: `fast` (js-yaml's events, no
 * positions) for a file the fast reading vouches for and finds nothing wrong
 * with, `positioned` (`yaml`'s document, every node placed) otherwise.
 */
export type Reading = "fast" | "positioned";

/**
 * parseDesiredState, also saying which reading gave the state. A valid file
 * takes the fast reading; anything the fast reading does not vouch for sends
 * the file through the positioned one, which gives the same state for a valid
 * file. Problems are reported at file:line:column either way: placed part by
 * part when the fast reading read the users list in parts, else by the
 * positioned reading of the whole file.
 * @throws DesiredStateError listing every problem, each at file:line:column.
 */
export function readDesiredState(text: string, fileName: string, limits: WorkspaceLimits = {}): { state: DesiredState; reading: Reading } {
  const fast = readPlainYaml(text);
  if ("data" in fast) {
    const findings = findingsOf(fast.data, limits);
    // The fast reading refuses aliases, so no value is shared.
    if (findings.length === 0) return { state: toDesiredState(fast.data as DesiredStateDocument, { shared: false }), reading: "fast" };
    // Read in parts: the data is yaml's, so are the findings; only their places are
    // needed, and reading the parts they are in gives them (local-positions.ts).
    if (fast.layout) throw new DesiredStateError(fileName, toIssues(findings, fileName, layoutLocator(text, fast.layout), fast.data));
  }
  return { state: parsePositioned(text, fileName, limits), reading: "positioned" };
}

/**
 * The fast reading alone: the state of a file the fast reading vouches for and
 * finds nothing wrong with; undefined otherwise, when readDesiredState (which
 * places every problem) is the reading to use.
 */
export function readVouched(text: string, limits: WorkspaceLimits = {}): DesiredState | undefined {
  const fast = readPlainYaml(text);
  if (!("data" in fast) || findingsOf(fast.data, limits).length > 0) return undefined;
  return toDesiredState(fast.data as DesiredStateDocument, { shared: false });
}

/**
 * The positioned reading alone: `yaml`'s parseDocument with a LineCounter, so
 * that every problem is reported where it is written.
 * @throws DesiredStateError listing every problem, each at file:line:column.
 */
export function parsePositioned(text: string, fileName: string, limits: WorkspaceLimits = {}): DesiredState {
  const lineCounter = new LineCounter();
  // stringKeys: a mapping key is the text written (`0x1F:` stays "0x1F", not 31;
  // `12345678901234567890:` keeps every digit), as Braze ids and names are text.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, stringKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: fileName, line, column: col, path: "(yaml)" };
  };
  if (document.errors.length > 0) throw new DesiredStateError(fileName, syntaxIssues(text, fileName, document, lineCounter, limits));
  const aliasProblem = aliasIssue(document);
  if (aliasProblem) throw new DesiredStateError(fileName, [{ ...at(aliasProblem.offset), message: aliasProblem.message }]);

  let data: unknown;
  try {
    // aliasIssue() has checked every alias; yaml's own guard stays as a second line.
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new DesiredStateError(fileName, [{ ...at(firstAliasOffset(document)), message: (error as Error).message }]);
  }

  const findings = findingsOf(data, limits);
  if (findings.length > 0) {
    throw new DesiredStateError(fileName, toIssues(findings, fileName, locator(document, lineCounter), data));
  }
  return toDesiredState(data as DesiredStateDocument);
}

/** yaml's errors that an indentation slip causes, at the slip or on the line after it. */
const INDENTATION_CODES = new Set(["BAD_INDENT", "MISSING_CHAR", "BLOCK_AS_IMPLICIT_KEY", "MULTILINE_IMPLICIT_KEY", "UNEXPECTED_TOKEN"]);

/**
 * A file yaml could not parse: its first syntax error alone, with a hint (the
 * others mostly follow from it: one indentation slip gives several), then the
 * problems of the users the error does not touch, read from the document yaml
 * recovered, so that one slip does not hide the rest of the file.
 */
function syntaxIssues(text: string, fileName: string, document: Document, lineCounter: LineCounter, limits: WorkspaceLimits): DesiredStateIssue[] {
  const [first] = document.errors;
  const errorLine = lineCounter.linePos(first.pos[0]).line;
  const slip = INDENTATION_CODES.has(first.code) ? indentationSlip(text, errorLine + 1) : undefined;
  const place = slip ? { line: slip.line, column: slip.column } : positionOf(lineCounter, syntaxErrorOffset(first, document));
  // yaml's other messages say what to write (`Missing closing "quote`, `Map keys must be unique`).
  const syntax: DesiredStateIssue = { file: fileName, ...place, path: "(yaml)", message: slip ? `${first.message}; ${describeSlip(slip)}` : first.message };
  const touched = { from: Math.min(place.line, errorLine) - 1, to: Math.max(place.line, errorLine) };
  return [syntax, ...readableIssues(document, lineCounter, fileName, touched, limits)].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The problems of a recovered document outside the lines a syntax error touched (a user any of whose lines it touched is left out whole). */
function readableIssues(
  document: Document,
  lineCounter: LineCounter,
  fileName: string,
  touched: { from: number; to: number },
  limits: WorkspaceLimits,
): DesiredStateIssue[] {
  if (aliasIssue(document)) return [];
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return [];
  }
  const users = document.get("users", true);
  const overlaps = (from: number, to: number) => from <= touched.to && to >= touched.from;
  const kept = findingsOf(data, limits).filter((finding) => {
    const [head, index] = finding.segments;
    const item = head === "users" && typeof index === "number" && isCollection(users) ? (users.items[index] as Node | undefined) : undefined;
    // range[1] is the offset just past the item's value: often the start of the next line.
    if (item?.range) return !overlaps(lineCounter.linePos(item.range[0]).line, lineCounter.linePos(Math.max(item.range[0], item.range[1] - 1)).line);
    return false;
  });
  return toIssues(kept, fileName, locator(document, lineCounter), data);
}

function positionOf(lineCounter: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Every problem of a document's data: the schema's, then the rules JSON Schema cannot say or that depend on the workspace. */
function findingsOf(data: unknown, limits: WorkspaceLimits): Finding[] {
  const validate = validatorFor();
  const findings = validate(data) ? [] : findingsFromErrors(validate.errors ?? [], data);
  findings.push(...uniquenessFindings(data), ...attributeFindingsOf(data, limits));
  return findings;
}

/**
 * What JSON Schema cannot say: each external_id, each alias (label + name) and each key belongs
 * to one user, and each event or purchase id to one entry of its user. Checked
 * on every entry whose alias, key or id has the right shape, so these come
 * along with the schema's findings.
 */
function uniquenessFindings(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const seen = { external_id: new Map<string, number>(), alias: new Map<string, number>(), key: new Map<string, number>() };
  /** The first user to hold `id` in `field` keeps it; a later one is a finding at its field. */
  const claim = (field: keyof typeof seen, id: string, index: number, message: (first: string) => string) => {
    const first = seen[field].get(id);
    if (first === undefined) seen[field].set(id, index);
    else findings.push({ segments: ["users", index, field], target: "value", message: message(formatPropertyPath(["users", first])) });
  };
  usersOf(data).forEach((user, index) => {
    const externalId = user.external_id;
    if (typeof externalId === "string") {
      claim(
        "external_id",
        externalId,
        index,
        (first) => `duplicates the external_id of ${first} (${JSON.stringify(externalId)}): each external_id is one user`,
      );
    }
    const alias = user.alias as { name?: unknown; label?: unknown } | undefined;
    if (typeof alias?.name === "string" && typeof alias.label === "string") {
      const { name, label } = alias;
      claim(
        "alias",
        JSON.stringify([label, name]),
        index,
        (first) => `duplicates the alias of ${first} (name ${JSON.stringify(name)}, label ${JSON.stringify(label)}): each alias is one user`,
      );
    }
    // Only users with events or purchases pay for their check.
    if (user.events !== undefined || user.purchases !== undefined) findings.push(...entryIdFindings(user, ["users", index]));
    const key = user.key;
    if (typeof key === "string") claim("key", key, index, (first) => `duplicates the key of ${first} (${JSON.stringify(key)}): keys must be unique`);
    findings.push(...ownAddressFindings(user, ["users", index]));
  });
  const users = usersOf(data);
  const describe = (index: number) => {
    const label = userLabel(users[index]);
    return `${formatPropertyPath(["users", index])}${label === undefined ? "" : ` (${label})`}`;
  };
  findings.push(...sameProfileFindings(users, describe, (index) => ["users", index]));
  return findings;
}

/** How a YAML file marks a near-miss name as a custom attribute on purpose. */
const howToIntendInYaml = (name: string) =>
  `if a custom attribute is meant, list it at the top of the file: intended_custom_attributes: [${JSON.stringify(name)}]`;

/** Near-miss field names, unreadable dates and string arrays longer than the workspace keeps, user by user. */
function attributeFindingsOf(data: unknown, limits: WorkspaceLimits): Finding[] {
  const intended = intendedNames(data);
  return usersOf(data).flatMap((user, index) => {
    const at = ["users", index, "attributes"];
    return [...attributeFindings(user.attributes, at, intended, howToIntendInYaml), ...stringArrayFindings(user.attributes, at, limits.stringArrayMaxItems)];
  });
}

/** The file's intended_custom_attributes, as far as they are text (the schema reports the rest). */
function intendedNames(data: unknown): ReadonlySet<string> {
  const listed = (data as { intended_custom_attributes?: unknown } | null)?.intended_custom_attributes;
  return new Set(Array.isArray(listed) ? listed.filter((name): name is string => typeof name === "string") : []);
}

function usersOf(data: unknown): Array<Record<string, unknown>> {
  const users = (data as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return [];
  return users.map((user) => (typeof user === "object" && user !== null ? (user as Record<string, unknown>) : {}));
}

/** The key or alias of the user a finding is in, where the user has one. */
function userOf(segments: Segment[], data: unknown): string | undefined {
  const [head, index] = segments;
  return head === "users" && typeof index === "number" ? userLabel(usersOf(data)[index]) : undefined;
}

/** A user's name longer than this is left out of messages: the index alone is shorter to read. */
const MAX_USER_LABEL = 80;

/**
 * How a user of the file is named elsewhere: its key, else its alias as
 * `label/name`, else its external_id, else its email or phone; undefined when the user has none of them
 * usable (empty, not text, or too long to help).
 */
function userLabel(user: Record<string, unknown> | undefined): string | undefined {
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const alias = user?.alias as { name?: unknown; label?: unknown } | undefined;
  const name = text(alias?.name);
  const label = text(alias?.label);
  const named = text(user?.key) ?? (name && label ? aliasKey({ name, label }) : undefined) ?? text(user?.external_id) ?? text(user?.email) ?? text(user?.phone);
  return named !== undefined && named.length <= MAX_USER_LABEL ? named : undefined;
}

function toIssues(findings: Finding[], file: string, locate: Locate, data: unknown): DesiredStateIssue[] {
  const placeOf = (segments: Segment[]) => {
    const { line, column } = locate(segments, "value");
    return ` (${file}:${line}:${column})`;
  };
  return findings
    .map((finding) => {
      const user = userOf(finding.segments, data);
      return {
        file,
        ...locate(finding.segments, finding.target),
        path: formatPropertyPath(finding.segments) || "(document)",
        message: finding.related ? finding.message.replace(RELATED_PLACE, placeOf(finding.related)) : finding.message,
        ...(user === undefined ? {} : { user }),
      };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

/**
 * Where a syntax error is to be reported. yaml places a missing closing quote
 * at the end of the scalar, which runs to the end of the file: the quote that
 * opens it is where the mistake is.
 */
function syntaxErrorOffset(error: YAMLError, document: Document): number {
  const offset = error.pos[0];
  if (error.code !== "MISSING_CHAR" || !/quote/.test(error.message)) return offset;
  let opening: number | undefined;
  visit(document, {
    Scalar(_key, node) {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      if (quoted && node.range && node.range[0] < offset && offset <= node.range[2]) opening = node.range[0];
    },
  });
  return opening ?? offset;
}

/**
 * The first alias that cannot be used, checked before toJS() so the problem is
 * reported at the alias: one whose anchor is not set before it, or the one at
 * which all aliases together expand to more than MAX_ALIAS_COUNT nodes.
 */
function aliasIssue(document: Document): { offset: number; message: string } | undefined {
  const sizes = new Map<Node, number>();
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(document);
      return target ? sizeOf(target) : 1;
    }
    if (!isCollection(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, Infinity); // an anchor aliased inside itself never ends
    let size = 1;
    for (const item of node.items) size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    sizes.set(node, size);
    return size;
  };

  let expanded = 0;
  let issue: { offset: number; message: string } | undefined;
  visit(document, {
    Alias(_key, node) {
      const offset = node.range?.[0] ?? 0;
      const target = node.resolve(document);
      if (!target) {
        issue = {
          offset,
          message: `Unresolved alias *${node.source}: no anchor &${node.source} is set before it; anchor the value first (&${node.source}) or write it out`,
        };
        return visit.BREAK;
      }
      expanded += sizeOf(target);
      if (expanded > MAX_ALIAS_COUNT) {
        issue = {
          offset,
          message: `too many aliases: by here they expand to more than ${MAX_ALIAS_COUNT} values (a guard against alias bombs); write the values out or reuse fewer anchors`,
        };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return issue;
}

/** Where yaml's own alias guard is reported, should it ever go off first: the first alias. */
function firstAliasOffset(document: Document): number {
  let offset = 0;
  visit(document, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}
