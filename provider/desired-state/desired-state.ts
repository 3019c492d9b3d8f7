import type { ManagedUser } from "../delta/managed-user";

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
}

/** A validated desired-state file, as domain data. */
export interface DesiredState {
  users: DesiredUser[];
}
