// Refresh: which subscription-group states can be read back, and how, through
// GET /subscription/status/get, which names a user by external_id, email or
// phone only (https://www.braze.com/docs/api/endpoints/subscription_groups/get_list_user_subscription_group_status/).
// Pure: the provider sends the reads and hands the answers to observedUser.
import type { GroupStateRead, StatusIdentifier } from "../braze/subscription-status";
import type { ManagedUser, SubscriptionState, UserIdentity } from "../model/managed-user";

/** Keys named in the line about users whose groups could not be read; the rest are counted. */
export const UNREAD_KEYS_LISTED = 5;

/**
 * How the endpoint is told who the user is, or undefined when it cannot be:
 * an alias-only user (the endpoint takes no alias). The one place that
 * chooses: by the identifier the user is addressed by, external_id first, as
 * /users/track addresses it.
 */
export function statusIdentifierOf(user: UserIdentity): StatusIdentifier | undefined {
  if (user.externalId !== undefined) return { parameter: "external_id", value: user.externalId };
  if (user.alias !== undefined) return undefined;
  if (user.email !== undefined) return { parameter: "email", value: user.email };
  if (user.phone !== undefined) return { parameter: "phone", value: user.phone };
  return undefined;
}

export interface GroupReadPlan {
  /** Every recorded group of every readable user, by group. */
  reads: GroupStateRead[];
  /** For each read, the index of its user in the list planned. */
  owners: number[];
  /** Indexes of users with recorded groups that cannot be read. */
  unread: number[];
}

/** The reads of the recorded groups of `users`; users without groups need none. */
export function planGroupReads(users: readonly ManagedUser[]): GroupReadPlan {
  const plan: GroupReadPlan = { reads: [], owners: [], unread: [] };
  users.forEach((user, index) => {
    const groups = Object.keys(user.subscriptionGroups).sort();
    if (groups.length === 0) return;
    const who = statusIdentifierOf(user);
    if (!who) {
      plan.unread.push(index);
      return;
    }
    for (const groupId of groups) {
      plan.reads.push({ groupId, who });
      plan.owners.push(index);
    }
  });
  return plan;
}

/** Group id -> the state Braze holds (undefined: "Unknown", none), per user index, from the answers in the plan's order. */
export function readStatesByUser(
  plan: GroupReadPlan,
  states: ReadonlyArray<SubscriptionState | undefined>,
): Map<number, Record<string, SubscriptionState | undefined>> {
  const byUser = new Map<number, Record<string, SubscriptionState | undefined>>();
  plan.reads.forEach((read, position) => {
    const owner = plan.owners[position];
    const held = byUser.get(owner) ?? {};
    held[read.groupId] = states[position];
    byUser.set(owner, held);
  });
  return byUser;
}

/**
 * The line refresh prints and the set's outputs keep when some users' groups
 * could not be read: how many, the first few keys, and why.
 */
export function unreadGroupsText(keys: readonly string[]): string {
  const listed = keys.slice(0, UNREAD_KEYS_LISTED).join(", ");
  const more = keys.length > UNREAD_KEYS_LISTED ? `, and ${keys.length - UNREAD_KEYS_LISTED} more` : "";
  return (
    `subscription groups of ${keys.length} alias-only user${keys.length === 1 ? "" : "s"} could not be read (${listed}${more}): ` +
    "GET /subscription/status/get names users by external_id, email or phone, never by alias, so their recorded states are kept unchecked"
  );
}
