// Turns a desired-state file into BrazeUser resources: one per user, named by its
// stable `key` when it has one, else by its alias.
import type * as pulumi from "@pulumi/pulumi";
import { aliasKey, type UserAlias } from "./delta";
import { loadDesiredState, type DesiredState } from "./desired-state";
import { BrazeUser } from "./user-resource";

/** The resource name a user gets without a `key`: stable as long as its alias is. */
export function aliasResourceName(alias: UserAlias): string {
  return aliasKey(alias);
}

/** One BrazeUser per user of an already validated desired state. */
export function brazeUsersFromDesiredState(state: DesiredState, opts?: pulumi.CustomResourceOptions): BrazeUser[] {
  return state.users.map(({ key, user }) => {
    const byAlias = aliasResourceName(user.alias);
    return new BrazeUser(key ?? byAlias, user, {
      ...opts,
      // Giving an existing user a key later must not delete and recreate it.
      aliases: key ? [...(opts?.aliases ?? []), { name: byAlias }] : opts?.aliases,
    });
  });
}

/**
 * Declares one BrazeUser per user of the file. The file is validated first, so an
 * invalid file stops the program before any resource exists and nothing is sent.
 */
export function brazeUsersFromFile(file: string, opts?: pulumi.CustomResourceOptions): BrazeUser[] {
  return brazeUsersFromDesiredState(loadDesiredState(file), opts);
}
