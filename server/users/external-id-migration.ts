// POST /users/external_ids/rename and POST /users/external_ids/remove: Braze's
// external ID migration. A rename gives an identified user a new primary
// external_id and keeps the old one as a deprecated id that still addresses the
// user; a remove forgets deprecated ids, and only those.
// https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_rename/
// https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_remove/
import { BrazeApiError } from "../errors/braze-api-error";
import type { WorkspaceStore } from "../store/workspace-store";
import { isPlainObject } from "../values";

/** Braze's cap on rename objects, and on ids to remove, per request. */
export const MAX_EXTERNAL_ID_MIGRATIONS = 50;

/**
 * One refused item. Braze documents `rename_errors` and `removal_errors` as
 * "array of arrays" whose messages "reference the index of the object in the
 * array of the original request", without showing one; braze-local answers
 * each as `[index, message]`.
 */
export type MigrationError = [number, string];

/**
 * `{external_id_renames: [{current_external_id, new_external_id}]}` →
 * `{message: "success", external_ids, rename_errors}`. Braze's rules: the
 * current id must be a user's primary id, not a deprecated one; the new id must
 * not be in use as a primary or a deprecated id; the two cannot be the same.
 * A broken item is an entry of `rename_errors`; the request still succeeds.
 * Braze documents `external_ids` as "(array of strings) successful rename
 * operations" without saying which id it lists; braze-local lists the new ids.
 */
export function renameExternalIds(store: WorkspaceStore, body: unknown): Record<string, unknown> {
  const entries = readList(body, "external_id_renames");
  const renamed: string[] = [];
  const errors: MigrationError[] = [];
  entries.forEach((entry, index) => {
    const problem = renameOne(store, entry);
    if (problem === undefined) renamed.push((entry as { new_external_id: string }).new_external_id);
    else errors.push([index, problem]);
  });
  return { message: "success", external_ids: renamed, rename_errors: errors };
}

function renameOne(store: WorkspaceStore, entry: unknown): string | undefined {
  if (!isPlainObject(entry)) return "each rename must be an object {current_external_id, new_external_id}";
  const { current_external_id: current, new_external_id: next } = entry;
  if (typeof current !== "string" || current === "" || typeof next !== "string" || next === "") {
    return "'current_external_id' and 'new_external_id' must be non-empty strings";
  }
  if (current === next) return `'current_external_id' and 'new_external_id' are both "${current}"; they cannot be the same`;
  const user = store.findByPrimaryExternalId(current);
  if (!user) {
    return store.isDeprecatedExternalId(current)
      ? `"${current}" is a deprecated external_id; only a user's primary external_id can be renamed`
      : `no user has the external_id "${current}"`;
  }
  if (store.findByPrimaryExternalId(next)) return `"${next}" is already the external_id of a user`;
  if (store.isDeprecatedExternalId(next)) return `"${next}" is already a deprecated external_id of a user`;
  store.renameExternalId(user, next);
  return undefined;
}

/**
 * `{external_ids: [...]}` → `{message: "success", removed_ids, removal_errors}`.
 * Only deprecated ids can be removed: "attempting to remove a primary external
 * ID will result in an error", an item of `removal_errors`.
 */
export function removeExternalIds(store: WorkspaceStore, body: unknown): Record<string, unknown> {
  const entries = readList(body, "external_ids");
  const removed: string[] = [];
  const errors: MigrationError[] = [];
  entries.forEach((id, index) => {
    if (typeof id !== "string" || id === "") return errors.push([index, "each external_id must be a non-empty string"]);
    if (store.isDeprecatedExternalId(id)) {
      store.removeDeprecatedExternalId(id);
      return removed.push(id);
    }
    errors.push([
      index,
      store.findByPrimaryExternalId(id)
        ? `"${id}" is a primary external_id; only deprecated external_ids can be removed`
        : `"${id}" is not a deprecated external_id`,
    ]);
  });
  return { message: "success", removed_ids: removed, removal_errors: errors };
}

/** The list under `key`; Braze answers an empty list, or one over 50, with an error message instead of "success". */
function readList(body: unknown, key: string): unknown[] {
  if (!isPlainObject(body)) throw new BrazeApiError(400, "The request body must be a JSON object");
  const list = body[key];
  if (!Array.isArray(list)) throw new BrazeApiError(400, `'${key}' is required and must be a list`);
  if (list.length === 0) throw new BrazeApiError(400, `'${key}' is empty; send between 1 and ${MAX_EXTERNAL_ID_MIGRATIONS} entries`);
  if (list.length > MAX_EXTERNAL_ID_MIGRATIONS)
    throw new BrazeApiError(400, `'${key}' holds ${list.length} entries; at most ${MAX_EXTERNAL_ID_MIGRATIONS} are allowed per request`);
  return list;
}
