// GET /subscription/user/status: the subscription groups in which users have a
// state, as https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_groups/
// describes it. Query parameters: the users by `external_id`, `email` or
// `phone`, each one value or a list (`external_id[]=1&external_id[]=2`), at
// least one and at most 50 of a kind; `limit` (default and most 100) and
// `offset` (how many results to skip). Every user an email or phone names is
// listed apart, even when several share it. Only groups with a state in a
// user's history are listed: `{"success": true, "subscription_groups":
// [{"subscription_group_id": "g1", "subscription_status": "subscribed"}]}`.
// The answer does not say whose group each entry is: braze-local lists the
// users' groups in the order the users are named (external_ids, then emails,
// then phones), each user's in the order they were first set.
import { BrazeApiError } from "../errors/braze-api-error";
import { normalizeEmail, normalizePhone } from "../identifiers";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";
import { identifierLists } from "./identifier-lists";

/** Braze's default, and largest, `limit`. */
export const MAX_USER_STATUS_LIMIT = 100;

export function userSubscriptionGroups(store: WorkspaceStore, query: URLSearchParams): Record<string, unknown> {
  const { externalIds, emails, phones } = identifierLists(query);
  if (externalIds.length + emails.length + phones.length === 0) {
    throw new BrazeApiError(400, "one of 'external_id', 'email' or 'phone' is required: the users whose subscription groups to list");
  }
  const limit = integerParameter(query, "limit", MAX_USER_STATUS_LIMIT, 1);
  if (limit > MAX_USER_STATUS_LIMIT) throw new BrazeApiError(400, `'limit' is at most ${MAX_USER_STATUS_LIMIT}, got ${limit}`);
  const offset = integerParameter(query, "offset", 0, 0);
  const users: StoredUser[] = [
    ...externalIds.flatMap((id) => store.findByExternalId(id) ?? []),
    ...emails.flatMap((email) => {
      const normalized = normalizeEmail(email);
      return normalized === undefined ? [] : store.findByEmail(normalized);
    }),
    ...phones.flatMap((phone) => {
      const normalized = normalizePhone(phone);
      return normalized === undefined ? [] : store.findByPhone(normalized);
    }),
  ];
  const groups = users.flatMap((user) =>
    Object.entries(user.profile.subscription_groups).map(([id, state]) => ({ subscription_group_id: id, subscription_status: state })),
  );
  return { success: true, subscription_groups: groups.slice(offset, offset + limit) };
}

/** A whole-number query parameter of at least `least`, or `fallback` when absent. */
function integerParameter(query: URLSearchParams, name: string, fallback: number, least: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < least) {
    throw new BrazeApiError(400, `'${name}' must be a whole number of at least ${least}, got ${JSON.stringify(text)}`);
  }
  return value;
}
