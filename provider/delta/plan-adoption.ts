// Adopting users Braze may already hold (`adopt: true` in the file): a create
// of such a user is read from Braze first (/users/export/ids), and only what
// differs from what Braze holds is sent, as an update. Pure: the export's
// answers come in, the changes to send go out.
import type { ExportedUser } from "../braze/wire-types";
import type { ManagedUser, SubscriptionState } from "../model/managed-user";
import { exportFieldsFor, observedUser } from "./observed-user";
import type { SetChange, SetPlan } from "./plan-set";
import { planUpdate } from "./plan-update";

export type AdoptedChange = Extract<SetChange, { action: "create" }>;

/** The plan's creates still to read from Braze before anything is sent for them, in the plan's order. */
export function adoptionsOf(plan: SetPlan): AdoptedChange[] {
  return plan.changes.filter((change): change is AdoptedChange => change.action === "create" && change.adopt === "read first");
}

/** The `fields_to_export` that read back every declared value of the adopted users, sorted. */
export function adoptionFieldsOf(changes: readonly AdoptedChange[]): string[] {
  return [...new Set(changes.flatMap((change) => exportFieldsFor(change.user)))].sort();
}

/**
 * What an adopted create sends once Braze has answered: `exported` is the
 * user Braze holds (undefined when it holds none: then the create stands).
 * A held user gets the delta from what Braze holds to the file, with
 * `_update_existing_only: true` (it exists), and no object when nothing
 * differs. Subscription groups are not in the export: `groups` holds the
 * declared groups' states read through GET /subscription/status/get
 * (./group-reads.ts; undefined: "Unknown", no state), so only those that
 * differ are sent; without `groups` (an alias-only user, which that endpoint
 * cannot name) every declared group is sent, at no data point. Events and
 * purchases stay as planned: Braze cannot tell which of them were logged.
 */
export function adoptedChange(
  change: AdoptedChange,
  exported: ExportedUser | undefined,
  groups?: Readonly<Record<string, SubscriptionState | undefined>>,
): AdoptedChange {
  if (exported === undefined) return { ...change, adopt: "absent" };
  const observed = observedUser(change.user, exported, groups);
  const held: ManagedUser = groups ? observed : { ...observed, subscriptionGroups: {} };
  const { attributes } = planUpdate(held, change.user);
  const { object: _create, attach, ...rest } = change;
  const attached =
    attach !== undefined && (exported.user_aliases ?? []).some((alias) => alias.alias_name === attach.alias_name && alias.alias_label === attach.alias_label);
  return { ...rest, adopt: "found", ...(attributes ? { object: attributes } : {}), ...(attach && !attached ? { attach } : {}) };
}
