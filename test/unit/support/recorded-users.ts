// A set's record and desired texts built from users, as the provider stores them.
import type { RecordedSet } from "../../../provider/encoding/recorded-set";
import { storedText } from "../../../provider/encoding/stored-text";
import { memberToText } from "../../../provider/encoding/user-text";
import type { ManagedUser } from "../../../provider/model";
import { NO_ENTRIES } from "../../../provider/model/entries";

/** A record holding `users` by key, without entries, nothing unsure. */
export const recordOf = (users: Record<string, ManagedUser>): RecordedSet => ({
  users: Object.fromEntries(Object.entries(users).map(([key, user]) => [key, storedText(key, memberToText({ user, entries: NO_ENTRIES }))])),
  unsure: {},
  logs: {},
});

/** The desired texts of `users` by key. */
export const desiredOf = (users: Record<string, ManagedUser>) => recordOf(users).users;
