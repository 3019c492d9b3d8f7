// GET /subscription/user/status: the subscription groups in which a user has a
// state (https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_groups/).
// Its answer, `{"success": true, "subscription_groups": [{"subscription_group_id":
// "g1", "subscription_status": "subscribed"}]}`, does not say whose group each
// entry is, so one request names one user; it pages by `limit` (at most 100)
// and `offset`. It takes no alias: an alias-only user cannot be read.
import type { SubscriptionState } from "../model/managed-user";
import type { BrazeClient } from "./client";
import { UnexpectedAnswerError } from "./errors/unexpected-answer-error";
import type { StatusIdentifier } from "./subscription-status";

export const USER_GROUPS_PATH = "/subscription/user/status";

/** Braze's default, and largest, `limit`: a shorter page is the last. */
export const USER_GROUPS_PAGE = 100;

/** The query of one page of one user's groups. */
export function userGroupsQuery(who: StatusIdentifier, offset: number): URLSearchParams {
  return new URLSearchParams({ [who.parameter]: who.value, limit: String(USER_GROUPS_PAGE), offset: String(offset) });
}

/**
 * The entries of one page, in order.
 * @throws UnexpectedAnswerError when the answer is not that shape, or a state is neither subscribed nor unsubscribed.
 */
export function groupsOfAnswer(answer: unknown): Array<{ groupId: string; state: SubscriptionState }> {
  const entries = (answer as { subscription_groups?: unknown } | undefined)?.subscription_groups;
  if ((answer as { success?: unknown } | undefined)?.success !== true || !Array.isArray(entries)) {
    throw new UnexpectedAnswerError(USER_GROUPS_PATH, answer, undefined, "GET");
  }
  return entries.map((entry: { subscription_group_id?: unknown; subscription_status?: unknown }) => {
    const state = typeof entry?.subscription_status === "string" ? entry.subscription_status.toLowerCase() : undefined;
    if (typeof entry?.subscription_group_id !== "string" || (state !== "subscribed" && state !== "unsubscribed")) {
      throw new UnexpectedAnswerError(
        USER_GROUPS_PATH,
        answer,
        `the entry ${JSON.stringify(entry)} is not {"subscription_group_id": "<id>", "subscription_status": "subscribed" | "unsubscribed"}`,
        "GET",
      );
    }
    return { groupId: entry.subscription_group_id, state };
  });
}

/** Every group in which the user has a state, by group id, read a page of 100 at a time. */
export async function readUserGroups(client: BrazeClient, who: StatusIdentifier): Promise<Record<string, SubscriptionState>> {
  const groups: Record<string, SubscriptionState> = {};
  for (let offset = 0; ; offset += USER_GROUPS_PAGE) {
    const page = groupsOfAnswer(await client.get<unknown>(USER_GROUPS_PATH, userGroupsQuery(who, offset)));
    for (const { groupId, state } of page) groups[groupId] = state;
    if (page.length < USER_GROUPS_PAGE) return groups;
  }
}
