// What a refresh found a user to hold in Braze against what the file wants,
// per attribute and group, with both values, for a person to read in
// `pulumi refresh` and the nightly drift check. Pure.
import type { ManagedUser, NestedObject } from "../model/managed-user";
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
    if (change.key === "push_tokens" && change.kind !== "unchanged") {
      drift[path] = pushTokenDrift(held.attributes.push_tokens as NestedObject[] | undefined, wanted.attributes.push_tokens as NestedObject[] | undefined);
      continue;
    }
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

/**
 * Push tokens by difference, each named by token, device and app (a list of
 * real tokens, 64 characters or more each, would be cut short whole):
 * `Braze holds tok-2 (device d2, app Ada Android), which the file does not declare`.
 */
function pushTokenDrift(held: readonly NestedObject[] = [], wanted: readonly NestedObject[] = []): string {
  const key = (token: NestedObject) => `${String(token.token)}\u0000${String(token.device_id ?? "")}`;
  const heldKeys = new Set(held.map(key));
  const wantedKeys = new Set(wanted.map(key));
  const name = (token: NestedObject) =>
    `${String(token.token)} (${token.device_id !== undefined ? `device ${String(token.device_id)}, ` : ""}app ${String(token.app_id)})`;
  const extra = held.filter((token) => !wantedKeys.has(key(token))).map(name);
  const missing = wanted.filter((token) => !heldKeys.has(key(token))).map(name);
  return [
    ...(extra.length > 0 ? [`Braze holds ${extra.join(", ")}, which the file does not declare`] : []),
    ...(missing.length > 0 ? [`the file wants ${missing.join(", ")}, which Braze does not hold`] : []),
  ].join("; ");
}
