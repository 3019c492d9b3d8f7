// The few lines a set's preview and refresh say under the resource, through
// the engine's log, so that plain `pulumi preview` and the nightly
// `pulumi refresh --expect-no-changes`, which print no property values, still
// name the users: the counts of the set's plan, then the changed (or drifted)
// users, capped. Pure.
import { likelyRenamesOf } from "./likely-renames";
import { dataPointsOf, type SetPlan } from "./plan-set";
import { MORE_KEY, type SetChanges } from "./set-changes";
import type { UserDrift } from "./user-drift";

/** Users named in a summary; the rest are counted. */
export const MAX_USERS_SUMMARISED = 20;

/**
 * `users: 0 to create, 1 to update (1 data points), 0 to delete` (`, 2 to adopt (read first)` after the creates and
 * `at most` before the data points when any user is adopted; `, 1 to identify` and `, 1 to rename external_id` after
 * the updates when any), a line per likely rename, then one per listed user.
 */
export function setSummary(plan: SetPlan, changes: SetChanges | undefined): string[] {
  let create = 0;
  let update = 0;
  let deletes = 0;
  let identify = 0;
  let adopt = 0;
  let renameExternalId = 0;
  for (const change of plan.changes) {
    if (change.action === "create" && change.adopt) adopt += 1;
    else if (change.action === "create") create += 1;
    else if (change.action === "identify") identify += 1;
    else if (change.action === "rename_external_id") renameExternalId += 1;
    else if (change.action === "delete") deletes += 1;
    else if (change.action !== "forget") update += 1;
  }
  const identified = `${identify > 0 ? `, ${identify} to identify` : ""}${renameExternalId > 0 ? `, ${renameExternalId} to rename external_id` : ""}`;
  // An adopted user is read first and sends only what differs: its create's data points are the most it costs.
  const adopted = adopt > 0 ? `, ${adopt} to adopt (read first)` : "";
  const points = `${adopt > 0 ? "at most " : ""}${dataPointsOf(plan)} data points`;
  const lines = [`users: ${create} to create${adopted}, ${update} to update${identified} (${points}), ${deletes} to delete`];
  // Shown when braze:allowLikelyRenames lets such a plan through: still worth reading twice.
  for (const rename of likelyRenamesOf(plan)) lines.push(`  ? ${rename.created}: ${rename.note}`);
  const listed = Object.entries(changes ?? {}).filter(([key]) => key !== MORE_KEY);
  for (const [key, parts] of listed.slice(0, MAX_USERS_SUMMARISED)) lines.push(`  ~ ${key}: ${partsText(parts)}`);
  const hidden = listed.length - MAX_USERS_SUMMARISED;
  const more = [hidden > 0 ? `${hidden} more users (pulumi preview --diff lists them)` : undefined, changes?.[MORE_KEY] as string | undefined].filter(
    (text) => text !== undefined,
  );
  if (more.length > 0) lines.push(`  … ${more.join("; ")}`);
  return lines;
}

/** `drift: 2 users differ from the file`, then one line per user with each part's values. */
export function driftSummary(drift: Readonly<Record<string, UserDrift | string[]>>): string[] {
  const users = Object.entries(drift);
  const lines = [`drift: ${users.length} ${users.length === 1 ? "user differs" : "users differ"} from the file`];
  for (const [key, parts] of users.slice(0, MAX_USERS_SUMMARISED)) lines.push(`  ~ ${key}: ${Array.isArray(parts) ? parts.join(", ") : partsText(parts)}`);
  if (users.length > MAX_USERS_SUMMARISED) lines.push(`  … and ${users.length - MAX_USERS_SUMMARISED} more users (the set's "drift" output lists every one)`);
  return lines;
}

function partsText(parts: Record<string, string> | string): string {
  return typeof parts === "string"
    ? parts
    : Object.entries(parts)
        .map(([path, text]) => `${path}: ${text}`)
        .join("; ");
}
