import type { ManagedUser } from "../delta/managed-user";

/** One user of the desired state. */
export interface DesiredUser {
  /** The optional stable key: lets the alias be renamed in place. */
  key?: string;
  user: ManagedUser;
}

/** A validated desired-state file, as domain data. */
export interface DesiredState {
  users: DesiredUser[];
}
