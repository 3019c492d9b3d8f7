// POST /users/alias/new and POST /users/alias/update.
import { BrazeApiError, type ErrorEntry } from "../errors/braze-api-error";
import { readAlias } from "../identifiers";
import type { WorkspaceStore } from "../store/workspace-store";
import { isPlainObject } from "../values";

/** Braze's cap on aliases per /users/alias/new and /users/alias/update request. */
export const MAX_ALIASES_PER_REQUEST = 50;

/**
 * `user_aliases: [{alias_name, alias_label, external_id?}]`. With an
 * external_id the alias is added to that user (nothing happens when the id is
 * unknown); without one an alias-only user is created. A user holds one name
 * per label, and an alias belongs to one user: an entry breaking either is a
 * non-fatal error.
 */
export function newAliases(store: WorkspaceStore, body: unknown, now: Date): Record<string, unknown> {
  const entries = readList(body, "user_aliases");
  const errors: ErrorEntry[] = [];
  let processed = 0;
  entries.forEach((entry, index) => {
    const fail = (type: string) => errors.push({ type, input_array: "user_aliases", index });
    const alias = readAlias(entry);
    const externalId = isPlainObject(entry) ? entry.external_id : undefined;
    if (!alias) return fail("each entry needs non-empty string 'alias_name' and 'alias_label'");
    if (externalId !== undefined && typeof externalId !== "string") return fail("'external_id' must be a string");
    processed += 1;
    const holder = store.findByAlias(alias);
    if (externalId === undefined) {
      if (holder) return; // the alias-only user (or a user with this alias) already exists
      const user = store.createUser(now.toISOString());
      store.addAlias(user, alias);
      store.saveUser(user);
      return;
    }
    const user = store.findByExternalId(externalId);
    if (!user) return;
    if (holder) {
      if (holder.id !== user.id) fail(`alias ${alias.alias_label}/${alias.alias_name} already belongs to another user`);
      return;
    }
    if (user.profile.user_aliases.some((held) => held.alias_label === alias.alias_label)) {
      return fail(`the user already has an alias with label "${alias.alias_label}"`);
    }
    store.addAlias(user, alias);
    user.profile.updated_at = now.toISOString();
    store.saveUser(user);
  });
  if (processed === 0) throw new BrazeApiError(400, "no valid 'user_aliases' entry", errors);
  return { aliases_processed: processed, message: "success", ...(errors.length > 0 ? { errors } : {}) };
}

/**
 * `alias_updates: [{alias_label, old_alias_name, new_alias_name}]`: renames an
 * alias within its label. An old name nobody holds changes nothing (Braze:
 * no match is a no-op); a new name someone else holds is a non-fatal error.
 */
export function updateAliases(store: WorkspaceStore, body: unknown, now: Date): Record<string, unknown> {
  const entries = readList(body, "alias_updates");
  const errors: ErrorEntry[] = [];
  let valid = 0;
  entries.forEach((entry, index) => {
    const fail = (type: string) => errors.push({ type, input_array: "alias_updates", index });
    if (!isPlainObject(entry)) return fail("each entry must be an object");
    const { alias_label: label, old_alias_name: oldName, new_alias_name: newName } = entry;
    if (![label, oldName, newName].every((value) => typeof value === "string" && value !== "")) {
      return fail("each entry needs non-empty string 'alias_label', 'old_alias_name' and 'new_alias_name'");
    }
    valid += 1;
    const oldAlias = { alias_label: label as string, alias_name: oldName as string };
    const newAlias = { alias_label: label as string, alias_name: newName as string };
    const user = store.findByAlias(oldAlias);
    if (!user || oldName === newName) return;
    if (store.findByAlias(newAlias)) return fail(`alias ${label}/${newName} already belongs to a user`);
    store.removeAlias(user, oldAlias);
    store.addAlias(user, newAlias);
    user.profile.updated_at = now.toISOString();
    store.saveUser(user);
  });
  if (valid === 0) throw new BrazeApiError(400, "no valid 'alias_updates' entry", errors);
  // Braze does not document this endpoint's answer beyond success; non-fatal errors take the usual shape.
  return { message: "success", ...(errors.length > 0 ? { errors } : {}) };
}

export function readList(body: unknown, key: string): unknown[] {
  if (!isPlainObject(body)) throw new BrazeApiError(400, "The request body must be a JSON object");
  const list = body[key];
  if (!Array.isArray(list) || list.length === 0) throw new BrazeApiError(400, `'${key}' must be a non-empty list`);
  if (list.length > MAX_ALIASES_PER_REQUEST) throw new BrazeApiError(400, `at most ${MAX_ALIASES_PER_REQUEST} '${key}' entries per request`);
  return list;
}
