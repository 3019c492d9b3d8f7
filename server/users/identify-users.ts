// POST /users/identify: gives an alias-only, email-only or phone-only profile
// an external_id, merging it into the identified user when one exists.
import { BrazeApiError, type ErrorEntry } from "../errors/braze-api-error";
import { normalizeEmail, normalizePhone, readAlias } from "../identifiers";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";
import { isPlainObject } from "../values";
import { MAX_ALIASES_PER_REQUEST } from "./alias-endpoints";
import { pick } from "./delete-users";

const LISTS = ["aliases_to_identify", "emails_to_identify", "phone_numbers_to_identify"] as const;

export function identifyUsers(store: WorkspaceStore, body: unknown, now: Date): Record<string, unknown> {
  if (!isPlainObject(body)) throw new BrazeApiError(400, "The request body must be a JSON object");
  const lists = LISTS.map((key) => [key, body[key] ?? []] as const);
  for (const [key, list] of lists) if (!Array.isArray(list)) throw new BrazeApiError(400, `'${key}' must be a list`);
  const total = lists.reduce((sum, [, list]) => sum + (list as unknown[]).length, 0);
  if (total === 0) throw new BrazeApiError(400, "one of 'aliases_to_identify', 'emails_to_identify' or 'phone_numbers_to_identify' is required");
  if (total > MAX_ALIASES_PER_REQUEST) throw new BrazeApiError(400, `at most ${MAX_ALIASES_PER_REQUEST} entries per request`);
  const errors: ErrorEntry[] = [];
  let processed = 0;
  for (const [key, list] of lists) {
    (list as unknown[]).forEach((entry, index) => {
      const fail = (type: string) => errors.push({ type, input_array: key, index });
      if (!isPlainObject(entry) || typeof entry.external_id !== "string" || entry.external_id === "")
        return fail("each entry needs a non-empty string 'external_id'");
      const source = findSource(store, key, entry);
      if (typeof source === "string") return fail(source);
      processed += 1;
      if (!source || source.profile.external_id === entry.external_id) return;
      if (source.profile.external_id !== null) return fail("the profile already has an external_id");
      identify(store, source, entry.external_id, now.toISOString());
    });
  }
  if (processed === 0) throw new BrazeApiError(400, "no valid entry to identify", errors);
  return { aliases_processed: processed, message: "success", ...(errors.length > 0 ? { errors } : {}) };
}

function findSource(store: WorkspaceStore, list: (typeof LISTS)[number], entry: Record<string, unknown>): StoredUser | undefined | string {
  if (list === "aliases_to_identify") {
    const alias = readAlias(entry.user_alias);
    return alias ? store.findByAlias(alias) : "'user_alias' must be {alias_name, alias_label}";
  }
  const prioritization = Array.isArray(entry.prioritization) ? (entry.prioritization as string[]) : [];
  if (list === "emails_to_identify") {
    const email = normalizeEmail(entry.email);
    return email === undefined ? "'email' must be a valid email address" : pick(store.findByEmail(email), prioritization);
  }
  const phone = normalizePhone(entry.phone);
  return phone === undefined ? "'phone' must be a valid phone number" : pick(store.findByPhone(phone), prioritization);
}

/**
 * An unknown external_id is given to the profile. A known one absorbs it:
 * fields the identified user does not hold are copied over, with the events,
 * purchases and aliases, and the profile is removed; unless the identified
 * user already has an alias with the same label, in which case nothing merges.
 */
function identify(store: WorkspaceStore, source: StoredUser, externalId: string, stamp: string): void {
  const target = store.findByExternalId(externalId);
  if (!target) {
    source.profile.external_id = externalId;
    source.profile.updated_at = stamp;
    store.saveUser(source);
    return;
  }
  const labels = new Set(target.profile.user_aliases.map((alias) => alias.alias_label));
  if (source.profile.user_aliases.some((alias) => labels.has(alias.alias_label))) return;
  const { profile } = target;
  profile.standard = { ...source.profile.standard, ...profile.standard };
  profile.custom = { ...source.profile.custom, ...profile.custom };
  profile.subscription_groups = { ...source.profile.subscription_groups, ...profile.subscription_groups };
  profile.email_subscribe ??= source.profile.email_subscribe;
  profile.push_subscribe ??= source.profile.push_subscribe;
  const aliases = source.profile.user_aliases;
  store.moveActivities(source, target);
  store.deleteUser(source);
  for (const alias of aliases) store.addAlias(target, alias);
  profile.updated_at = stamp;
  store.saveUser(target);
}
