// Reading users' subscription-group states back through GET
// /subscription/status/get: one home for a set's refresh, a BrazeUser's refresh
// and an adoption, which differ only in what they do with a failed read.
import type { BrazeUsersApi } from "../braze/users-api";
import { planGroupReads, readStatesByUser } from "../delta/group-reads";
import type { ManagedUser, SubscriptionState } from "../model/managed-user";

export interface HeldGroups {
  /** By user index: the state Braze holds for each recorded group (undefined: none). Only users whose every read succeeded. */
  states: Map<number, Record<string, SubscriptionState | undefined>>;
  /** Users with recorded groups that cannot be named to the endpoint (alias-only), by index. */
  unnamed: Set<number>;
  /** Users with a read that failed, by index, with the first error. */
  failed: Map<number, Error>;
}

/** Reads the recorded groups of `users`, one group and 50 users per request. */
export async function readHeldGroups(api: BrazeUsersApi, users: readonly ManagedUser[]): Promise<HeldGroups> {
  const plan = planGroupReads(users);
  const outcomes = await api.readGroupStates(plan.reads);
  const failed = new Map<number, Error>();
  outcomes.forEach((outcome, position) => {
    const owner = plan.owners[position];
    if (!outcome.ok && !failed.has(owner)) failed.set(owner, outcome.error);
  });
  const states = readStatesByUser(
    plan,
    outcomes.map((outcome) => (outcome.ok ? outcome.value : undefined)),
  );
  for (const index of failed.keys()) states.delete(index);
  return { states, unnamed: new Set(plan.unread), failed };
}
