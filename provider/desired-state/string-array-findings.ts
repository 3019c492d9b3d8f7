// String arrays longer than the workspace keeps. The cap is a workspace setting
// (Braze's default is 500; older workspaces keep 25 or 100), so it is a
// parameter of the check rather than a fixed maxItems in the schema, which
// says the shape alone.
import { DEFAULT_STRING_ARRAY_MAX_ITEMS } from "../../braze-facts/limits";
import type { Finding, Segment } from "./schema-issues";

/** The stack config key that carries the workspace's cap. */
export const STRING_ARRAY_MAX_ITEMS_KEY = "braze:stringArrayMaxItems";

/** The workspace's settings a desired state is checked against. */
export interface WorkspaceLimits {
  /**
   * Most items a string array attribute keeps: the workspace's setting
   * (`braze:stringArrayMaxItems`).
   * @default 500, Braze's current default
   */
  stringArrayMaxItems?: number;
}

/**
 * The findings of one user's attributes (at `at`, the path of the attributes
 * mapping) whose value is a list of strings longer than `maxItems`: Braze would
 * store the newest `maxItems` and drop the rest without an error.
 */
export function stringArrayFindings(attributes: unknown, at: Segment[], maxItems = DEFAULT_STRING_ARRAY_MAX_ITEMS): Finding[] {
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) return [];
  const findings: Finding[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (!Array.isArray(value) || value.length <= maxItems || !value.every((item) => typeof item === "string")) continue;
    findings.push({
      segments: [...at, name],
      target: "value",
      message:
        `must have at most ${maxItems} items (got ${value.length}): Braze keeps at most ${maxItems} items of a string array and drops the oldest silently; ` +
        `your workspace's setting is ${STRING_ARRAY_MAX_ITEMS_KEY}. Shorten the list, or if your workspace keeps more, set ${STRING_ARRAY_MAX_ITEMS_KEY} to its setting`,
    });
  }
  return findings;
}
