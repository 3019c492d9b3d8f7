// POST /users/export/ids: users by external_ids, user_aliases, braze_id,
// email_address or phone, with the fields asked for.
import { BrazeApiError } from "../errors/braze-api-error";
import { readAlias, normalizePhone } from "../identifiers";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";
import { isPlainObject } from "../values";
import { EXPORT_FIELDS, UNMODELLED_EXPORT_FIELDS, exportedUser } from "./exported-user";

/** Braze's cap on `external_ids` and `user_aliases` per request. */
export const MAX_EXPORT_IDENTIFIERS = 50;
const KNOWN_FIELDS = new Set<string>([...EXPORT_FIELDS, ...UNMODELLED_EXPORT_FIELDS]);

export function exportIds(store: WorkspaceStore, body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new BrazeApiError(400, "The request body must be a JSON object");
  const {
    external_ids: externalIds,
    user_aliases: aliases,
    braze_id: brazeId,
    email_address: email,
    phone,
    device_id: deviceId,
    fields_to_export: fieldList,
  } = body;
  if (externalIds !== undefined && (!Array.isArray(externalIds) || !externalIds.every((id) => typeof id === "string"))) {
    throw new BrazeApiError(400, "'external_ids' must be a list of strings");
  }
  if (aliases !== undefined && (!Array.isArray(aliases) || !aliases.every((alias) => readAlias(alias)))) {
    throw new BrazeApiError(400, "'user_aliases' must be a list of {alias_name, alias_label}");
  }
  for (const [name, value] of Object.entries({ braze_id: brazeId, email_address: email, phone, device_id: deviceId })) {
    if (value !== undefined && typeof value !== "string") throw new BrazeApiError(400, `'${name}' must be a string`);
  }
  const ids = (externalIds as string[] | undefined) ?? [];
  const aliasList = ((aliases as unknown[] | undefined) ?? []).map((alias) => readAlias(alias)!);
  if (ids.length > MAX_EXPORT_IDENTIFIERS || aliasList.length > MAX_EXPORT_IDENTIFIERS) {
    throw new BrazeApiError(400, `at most ${MAX_EXPORT_IDENTIFIERS} 'external_ids' and ${MAX_EXPORT_IDENTIFIERS} 'user_aliases' per request`);
  }
  if ([deviceId, email, phone].filter((value) => value !== undefined).length > 1) {
    throw new BrazeApiError(400, "only one of 'device_id', 'email_address' or 'phone' may be given");
  }
  if (ids.length + aliasList.length === 0 && brazeId === undefined && email === undefined && phone === undefined && deviceId === undefined) {
    throw new BrazeApiError(400, "one of 'external_ids', 'user_aliases', 'braze_id', 'device_id', 'email_address' or 'phone' is required");
  }
  let fields: Set<string> | undefined;
  if (fieldList !== undefined) {
    if (!Array.isArray(fieldList) || !fieldList.every((field) => typeof field === "string"))
      throw new BrazeApiError(400, "'fields_to_export' must be a list of strings");
    const unknown = fieldList.filter((field) => !KNOWN_FIELDS.has(field as string));
    // Refused rather than silently left out, so a typo in a field name cannot read as "no value".
    if (unknown.length > 0) throw new BrazeApiError(400, `unknown 'fields_to_export': ${unknown.join(", ")}`);
    fields = new Set(fieldList as string[]);
  }

  const found = new Map<number, StoredUser>();
  const invalid: string[] = [];
  const add = (user: StoredUser | undefined, id?: string) => {
    if (user) found.set(user.id, user);
    else if (id !== undefined) invalid.push(id);
  };
  for (const id of ids) add(store.findByExternalId(id), id);
  for (const alias of aliasList) add(store.findByAlias(alias));
  if (typeof brazeId === "string") add(store.findByBrazeId(brazeId), brazeId);
  // Every profile holding the email or phone is exported.
  if (typeof email === "string") store.findByEmail(email.trim()).forEach((user) => add(user));
  if (typeof phone === "string") {
    const normalized = normalizePhone(phone);
    if (normalized) store.findByPhone(normalized).forEach((user) => add(user));
  }
  // A device_id never matches: a local workspace has no devices.
  const users = [...found.values()].map((user) => exportedUser(user, store.activitiesOf(user), fields));
  const response: Record<string, unknown> = { users, message: "success" };
  // Braze lists request ids with no match, and leaves the key out when there are none.
  if (invalid.length > 0) response.invalid_user_ids = invalid;
  return response;
}
