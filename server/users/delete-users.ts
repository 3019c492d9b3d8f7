// POST /users/delete: removes users with their aliases, events and purchases.
import { BrazeApiError } from "../errors/braze-api-error";
import { normalizeEmail, normalizePhone, readAlias } from "../identifiers";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";
import { isPlainObject } from "../values";

/** Braze's cap on identifiers per /users/delete request. */
export const MAX_DELETE_IDENTIFIERS = 50;
/**
 * The prioritization values /users/delete takes: "identified", "unidentified",
 * "most_recently_updated" (https://www.braze.com/docs/api/endpoints/user_data/post_user_delete/);
 * "least_recently_updated" is /users/identify's alone.
 */
const PRIORITIES = new Set(["identified", "unidentified", "most_recently_updated"]);
const IDENTIFIER_LISTS = ["external_ids", "user_aliases", "braze_ids", "email_addresses", "phone_numbers"] as const;

/**
 * Deletes what the request names. `deleted` counts the identifiers accepted
 * (Braze answers with the number queued for deletion, found or not); an
 * identifier naming nobody deletes nothing.
 */
export function deleteUsers(store: WorkspaceStore, body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new BrazeApiError(400, "The request body must be a JSON object");
  const { external_ids: ids = [], user_aliases: aliases = [], braze_ids: brazeIds = [], email_addresses: emails = [], phone_numbers: phones = [] } = body;
  for (const [name, list] of Object.entries({ external_ids: ids, braze_ids: brazeIds })) {
    if (!Array.isArray(list) || !list.every((id) => typeof id === "string")) throw new BrazeApiError(400, `'${name}' must be a list of strings`);
  }
  if (!Array.isArray(aliases) || !aliases.every((alias) => readAlias(alias)))
    throw new BrazeApiError(400, "'user_aliases' must be a list of {alias_name, alias_label}");
  if (!Array.isArray(emails) || !Array.isArray(phones)) throw new BrazeApiError(400, "'email_addresses' and 'phone_numbers' must be lists");
  // Braze: "Only one of external_ids, user_aliases, braze_ids, email_addresses,
  // or phone_numbers can be included in a single request."
  const sent = IDENTIFIER_LISTS.filter((key) => body[key] !== undefined);
  if (sent.length > 1)
    throw new BrazeApiError(
      400,
      `only one of ${IDENTIFIER_LISTS.map((key) => `'${key}'`).join(", ")} may be sent per request; got ${sent.map((key) => `'${key}'`).join(" and ")}`,
    );
  const total = [ids, aliases, brazeIds, emails, phones].reduce<number>((sum, list) => sum + (list as unknown[]).length, 0);
  if (total === 0) throw new BrazeApiError(400, "one of 'external_ids', 'user_aliases', 'braze_ids', 'email_addresses' or 'phone_numbers' is required");
  if (total > MAX_DELETE_IDENTIFIERS) throw new BrazeApiError(400, `at most ${MAX_DELETE_IDENTIFIERS} identifiers per request`);

  const targets = new Map<number, StoredUser>();
  const add = (user: StoredUser | undefined) => user && targets.set(user.id, user);
  for (const id of ids as string[]) add(store.findByExternalId(id));
  for (const alias of aliases as unknown[]) add(store.findByAlias(readAlias(alias)!));
  for (const id of brazeIds as string[]) add(store.findByBrazeId(id));
  for (const entry of emails as unknown[]) {
    const { value, prioritization } = readPrioritized(entry, "email", "email_addresses");
    const email = normalizeEmail(value);
    if (email === undefined) throw new BrazeApiError(400, "'email_addresses' entries need a valid 'email'");
    add(pick(store.findByEmail(email), prioritization));
  }
  for (const entry of phones as unknown[]) {
    const { value, prioritization } = readPrioritized(entry, "phone", "phone_numbers");
    const phone = normalizePhone(value);
    if (phone === undefined) throw new BrazeApiError(400, "'phone_numbers' entries need a valid phone number");
    add(pick(store.findByPhone(phone), prioritization));
  }
  for (const user of targets.values()) store.deleteUser(user);
  return { deleted: total, message: "success" };
}

/**
 * `{email|phone, prioritization}`. Braze: "If an email is specified as an
 * identifier, an additional prioritization value is required"; a phone number
 * may also be a bare string (the documented type of `phone_numbers`), taken
 * with no prioritization, so it deletes only a number held by one user.
 */
function readPrioritized(entry: unknown, key: string, list: string): { value: unknown; prioritization: string[] } {
  if (typeof entry === "string" && key === "phone") return { value: entry, prioritization: [] };
  if (!isPlainObject(entry) || (key === "email" && (!Array.isArray(entry.prioritization) || entry.prioritization.length === 0))) {
    throw new BrazeApiError(
      400,
      `'${list}' entries must be objects with '${key}' and a non-empty 'prioritization', e.g. {"${key}": ..., "prioritization": ["unidentified", "most_recently_updated"]}`,
    );
  }
  const prioritization = entry.prioritization ?? [];
  if (!Array.isArray(prioritization) || !prioritization.every((item) => typeof item === "string" && PRIORITIES.has(item))) {
    throw new BrazeApiError(400, `'prioritization' must list "identified" or "unidentified" and "most_recently_updated"`);
  }
  if (prioritization.includes("identified") && prioritization.includes("unidentified"))
    throw new BrazeApiError(400, '\'prioritization\' cannot hold both "identified" and "unidentified"');
  return { value: entry[key], prioritization: prioritization as string[] };
}

/**
 * The one user the prioritization picks among `candidates`, or none when
 * several still match: Braze deletes nothing then.
 */
export function pick(candidates: StoredUser[], prioritization: readonly string[]): StoredUser | undefined {
  let pool = candidates;
  if (prioritization.includes("identified")) pool = pool.filter((user) => user.profile.external_id !== null);
  if (prioritization.includes("unidentified")) pool = pool.filter((user) => user.profile.external_id === null);
  if (pool.length <= 1) return pool[0];
  const byRecency = [...pool].sort((a, b) => b.seq - a.seq);
  if (prioritization.includes("most_recently_updated")) return byRecency[0];
  if (prioritization.includes("least_recently_updated")) return byRecency[byRecency.length - 1];
  return undefined;
}
