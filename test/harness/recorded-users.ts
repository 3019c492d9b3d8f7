import { defaultKey, type ManagedUser, type UserAlias } from "../../provider/model";
import { userOfStored } from "../../provider/encoding/stored-text";
import { decodeRecord } from "../../provider/encoding/record-codec";
import type { ExportedState } from "./test-stack";

export const USER_TYPE = "pulumi-nodejs:dynamic/braze:User";
export const USER_SET_TYPE = "pulumi-nodejs:dynamic/braze:UserSet";

/** Every user Pulumi's state records, from BrazeUser resources and from BrazeUserSet records alike, by `label/name`. */
export function recordedUsers(state: ExportedState): Map<string, ManagedUser> {
  const users = new Map<string, ManagedUser>();
  for (const resource of state.resources) {
    if (resource.type === USER_TYPE) {
      const { alias, attributes, subscriptionGroups } = resource.outputs as unknown as ManagedUser & { alias: UserAlias };
      users.set(`${alias.label}/${alias.name}`, { alias, attributes, subscriptionGroups });
    } else if (resource.type === USER_SET_TYPE) {
      for (const [key, text] of Object.entries(decodeRecord(resource.outputs?.record).users)) {
        const user = userOfStored(key, text);
        // Alias-only users by `label/name`, identified ones by external_id.
        users.set(defaultKey(user), user);
      }
    }
  }
  return users;
}

/** The user-set resources of a state, with their outputs. */
export function userSets(state: ExportedState): Array<{ urn: string; outputs: Record<string, unknown>; inputs: Record<string, unknown> }> {
  return state.resources
    .filter((resource) => resource.type === USER_SET_TYPE)
    .map((resource) => ({ urn: resource.urn, outputs: resource.outputs ?? {}, inputs: resource.inputs ?? {} }));
}

/** Users whose record says something about them is unsure (a failed or unanswered request), by `label/name` or set key. */
export function unsureUsers(state: ExportedState): string[] {
  const unsure: string[] = [];
  for (const resource of state.resources) {
    if (resource.type === USER_TYPE && resource.outputs?.unsure !== undefined) unsure.push(String(resource.id));
    else if (resource.type === USER_SET_TYPE) unsure.push(...Object.keys(decodeRecord(resource.outputs?.record).unsure));
  }
  return unsure;
}
