// GET /subscription/status/get: the state of users in one subscription group,
// as https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_group_status/
// describes it. Query parameters: `subscription_group_id` (required) and the
// users by `external_id`, `email` or `phone`, each one value or a list
// (`external_id[]=1&external_id[]=2`), at most 50. With external_ids the
// emails and phones are ignored; emails and phones together without an
// external_id are an error. The answer maps each identifier sent to
// "Subscribed", "Unsubscribed" or "Unknown" (never set for this user, or no
// such user): `{"status": {"1": "Unsubscribed", "2": "Subscribed"}, "message": "success"}`.
import { BrazeApiError } from "../errors/braze-api-error";
import { normalizeEmail, normalizePhone } from "../identifiers";
import type { StoredUser } from "../store/profile";
import type { WorkspaceStore } from "../store/workspace-store";
import { findUser } from "../users/resolve-user";
import { setOwn } from "../values";
import { identifierLists } from "./identifier-lists";

const STATE_NAMES = { subscribed: "Subscribed", unsubscribed: "Unsubscribed" } as const;

export function subscriptionStatus(store: WorkspaceStore, query: URLSearchParams): Record<string, unknown> {
  const groupId = query.get("subscription_group_id");
  if (!groupId) throw new BrazeApiError(400, "'subscription_group_id' is required: the id of the subscription group to read");
  const { externalIds, emails, phones } = identifierLists(query);
  let users: Array<[string, StoredUser | undefined]>;
  if (externalIds.length > 0) {
    users = externalIds.map((id) => [id, store.findByExternalId(id)]);
  } else if (emails.length > 0 && phones.length > 0) {
    throw new BrazeApiError(400, "send either 'email' or 'phone' values, not both, when no 'external_id' is given");
  } else if (emails.length > 0) {
    users = emails.map((email) => {
      const normalized = normalizeEmail(email);
      return [email, normalized === undefined ? undefined : findUser(store, { kind: "email", value: normalized })];
    });
  } else if (phones.length > 0) {
    users = phones.map((phone) => {
      const normalized = normalizePhone(phone);
      return [phone, normalized === undefined ? undefined : findUser(store, { kind: "phone", value: normalized })];
    });
  } else {
    throw new BrazeApiError(400, "one of 'external_id', 'email' or 'phone' is required: the users whose state to read");
  }
  const status: Record<string, string> = {};
  for (const [identifier, user] of users) {
    const state = user?.profile.subscription_groups[groupId];
    setOwn(status, identifier, state === undefined ? "Unknown" : STATE_NAMES[state]);
  }
  return { status, message: "success" };
}
