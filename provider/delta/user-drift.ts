// What a refresh found a user to hold in Braze against what the file wants,
// per attribute and group, with both values, for a person to read in
// `pulumi refresh` and the nightly drift check. Pure.
import type { ManagedUser } from "../model/managed-user";
import { diffUser } from "./diff-user";
import { partPath } from "./set-changes";
import { valueText } from "./part-text";

/** Part path -> `Braze holds X, the file wants Y`. */
export type UserDrift = Record<string, string>;

/** What a refresh records for a user Braze no longer has. */
export const MISSING_USER_DRIFT: UserDrift = Object.freeze({ user: "Braze holds no such user, the file wants it" }) as UserDrift;

/**
 * Where Braze (`held`, read back) differs from the record (`wanted`, what the
 * last up applied from the file). Empty when they agree on every managed value.
 */
export function userDrift(held: ManagedUser, wanted: ManagedUser): UserDrift {
  const diff = diffUser(held, wanted);
  const drift: UserDrift = {};
  const say = (path: string, holds: string, wants: string) => (drift[path] = `Braze holds ${holds}, the file wants ${wants}`);
  for (const change of diff.attributes) {
    const path = partPath({ kind: "attribute", name: change.key, change: "modified" });
    if (change.kind === "modified") say(path, valueText(change.from), valueText(change.to));
    else if (change.kind === "added") say(path, "nothing", valueText(change.to));
    else if (change.kind === "removed") say(path, valueText(change.from), "nothing");
  }
  for (const change of diff.subscriptionGroups) {
    const path = partPath({ kind: "subscription_group", name: change.key, change: "modified" });
    if (change.kind === "modified") say(path, valueText(change.from), valueText(change.to));
    else if (change.kind === "added") say(path, "no state", valueText(change.to));
  }
  return drift;
}
