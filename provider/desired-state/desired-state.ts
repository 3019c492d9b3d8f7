import type { EventDeclaration, PurchaseDeclaration } from "../../schema/generated/desired-state";
import type { ManagedUser } from "../model/managed-user";

/**
 * One custom event of a user, exactly as the file declares it (validated): `id`
 * is ours and never sent; `time` is as written, an ISO 8601 date-time with a
 * zone or a relative time such as `-3d` (see event-time.ts, resolveEventTime).
 */
export type DesiredEvent = EventDeclaration;

/** One purchase of a user, exactly as the file declares it (validated); `id` and `time` as for events. */
export type DesiredPurchase = PurchaseDeclaration;

/** One user of the desired state. */
export interface DesiredUser {
  /** The optional stable key: lets the alias be renamed in place. */
  key?: string;
  user: ManagedUser;
  /**
   * Names of this user's custom attributes that are one slip away from a
   * standard field name and that the file lists in intended_custom_attributes.
   * Absent when there are none. Pass them on to userProblems (and to the
   * resource that checks the user), or the check refuses those names.
   */
  intendedCustomAttributes?: string[];
  /**
   * The user's custom events, each to be sent once (by its id, unique across
   * events and purchases), in the file's order. Absent when the file declares
   * none; present, possibly empty, when it writes `events:`.
   */
  events?: DesiredEvent[];
  /** The user's purchases, as `events`. */
  purchases?: DesiredPurchase[];
  /** The file's `adopt: true`: read from Braze before the first send (absent otherwise). */
  adopt?: true;
}

/** A validated desired-state file, as domain data. */
export interface DesiredState {
  users: DesiredUser[];
}
