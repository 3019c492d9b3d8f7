import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import type { DesiredStateDocument } from "../../schema/generated/desired-state";
import { formatPropertyPath } from "../delta/property-path";
import { STANDARD_ATTRIBUTES } from "../delta/standard-attributes";
import { toDesiredState } from "./convert";
import type { DesiredState } from "./desired-state";
import { DesiredStateError, type DesiredStateIssue } from "./desired-state-error";
import { findingsFromErrors, type Finding } from "./schema-issues";
import { locator, type Locate } from "./source-positions";
import { validatorFor } from "./validator";

/** YAML anchors may be reused this many times before the file is refused (guards against alias bombs). */
const MAX_ALIAS_COUNT = 1000;

/**
 * Reads, validates and converts a desired-state YAML file.
 * @throws DesiredStateError listing every problem, each at file:line:column.
 */
export function loadDesiredState(filePath: string): DesiredState {
  return parseDesiredState(readFileSync(filePath, "utf8"), filePath);
}

/**
 * Validates and converts desired-state YAML held in memory; `fileName` is only
 * used in messages.
 * @throws DesiredStateError listing every problem, each at file:line:column.
 */
export function parseDesiredState(text: string, fileName: string): DesiredState {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new DesiredStateError(
      fileName,
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { file: fileName, line, column: col, path: "(yaml)", message: error.message };
      }),
    );
  }

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new DesiredStateError(fileName, [
      { file: fileName, line: 1, column: 1, path: "(yaml)", message: (error as Error).message },
    ]);
  }

  const validate = validatorFor();
  const findings = validate(data) ? [] : findingsFromErrors(validate.errors ?? [], data);
  findings.push(...uniquenessFindings(data), ...caseFindings(data));
  if (findings.length > 0) {
    throw new DesiredStateError(fileName, toIssues(findings, fileName, locator(document, lineCounter)));
  }
  return toDesiredState(data as DesiredStateDocument);
}

/**
 * What JSON Schema cannot say: each alias (label + name) and each key belongs
 * to one user. Checked on every entry whose alias or key has the right shape,
 * so these come along with the schema's findings.
 */
function uniquenessFindings(data: unknown): Finding[] {
  const findings: Finding[] = [];
  const aliases = new Map<string, number>();
  const keys = new Map<string, number>();
  usersOf(data).forEach((user, index) => {
    const alias = user.alias as { name?: unknown; label?: unknown } | undefined;
    if (typeof alias?.name === "string" && typeof alias.label === "string") {
      const id = JSON.stringify([alias.label, alias.name]);
      const first = aliases.get(id);
      if (first === undefined) aliases.set(id, index);
      else
        findings.push({
          segments: ["users", index, "alias"],
          target: "value",
          message: `duplicates the alias of ${formatPropertyPath(["users", first])} (name ${JSON.stringify(alias.name)}, label ${JSON.stringify(alias.label)}): each alias is one user`,
        });
    }
    if (typeof user.key === "string") {
      const first = keys.get(user.key);
      if (first === undefined) keys.set(user.key, index);
      else
        findings.push({
          segments: ["users", index, "key"],
          target: "value",
          message: `duplicates the key of ${formatPropertyPath(["users", first])} (${JSON.stringify(user.key)}): keys must be unique`,
        });
    }
  });
  return findings;
}

/**
 * Braze's standard field names are lowercase and case-sensitive: `First_Name`
 * would silently become a custom attribute next to `first_name`.
 */
function caseFindings(data: unknown): Finding[] {
  const findings: Finding[] = [];
  usersOf(data).forEach((user, index) => {
    const attributes = user.attributes;
    if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) return;
    for (const key of Object.keys(attributes)) {
      const standard = key.toLowerCase();
      if (standard !== key && Object.prototype.hasOwnProperty.call(STANDARD_ATTRIBUTES, standard)) {
        findings.push({
          segments: ["users", index, "attributes", key],
          target: "key",
          message: `must be spelled ${standard}: Braze's standard field names are lowercase, and this spelling would become a custom attribute`,
        });
      }
    }
  });
  return findings;
}

function usersOf(data: unknown): Array<Record<string, unknown>> {
  const users = (data as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return [];
  return users.map((user) => (typeof user === "object" && user !== null ? (user as Record<string, unknown>) : {}));
}

function toIssues(findings: Finding[], file: string, locate: Locate): DesiredStateIssue[] {
  return findings
    .map((finding) => ({
      file,
      ...locate(finding.segments, finding.target),
      path: formatPropertyPath(finding.segments) || "(document)",
      message: finding.message,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}
