// Turns a desired-state file into resources: one BrazeUserSet holding every user
// (what the root program does), or one BrazeUser per user, named by its stable
// `key` when it has one, else by its external_id, alias or address.
import type * as pulumi from "@pulumi/pulumi";
import { aliasKey, defaultKey, type UserAlias, type UserIdentity } from "./model";
import {
  DesiredStateError,
  DesiredStateUnreadableError,
  loadDesiredState,
  parseDesiredState,
  readDesiredStateText,
  type DesiredState,
  type UserAttributes,
} from "./desired-state";
import { fileTextsInParallel } from "./desired-state/file-texts";
import type { WorkspaceLimits } from "./desired-state/string-array-findings";
import { DesiredStateRunError } from "./desired-state-run-error";
import { UserSetNeededError } from "./user-set-needed-error";
import { memberTexts, membersOfDesiredState } from "./desired-state/member-texts";
import { BrazeUser } from "./user-resource";
import { argsOfCheckedTexts, BrazeUserSet } from "./user-set-resource";

/** One BrazeUserSet named `name` holding every user of an already validated desired state (none is fine: the set then deletes what it recorded). */
export function brazeUserSetFromDesiredState(name: string, state: DesiredState, opts?: pulumi.CustomResourceOptions): BrazeUserSet {
  return new BrazeUserSet(name, { users: membersOfDesiredState(state) }, opts);
}

/**
 * loadDesiredState (or parseDesiredState, for a file already read) for a Pulumi
 * program: an unreadable or invalid file ends the run with a DesiredStateRunError,
 * which Pulumi prints as one line per problem.
 * @throws DesiredStateRunError whose `cause` is the DesiredStateError or DesiredStateUnreadableError.
 */
function loadForProgram(file: string, text?: string, limits: WorkspaceLimits = {}): DesiredState {
  return forProgram(() => (text === undefined ? loadDesiredState(file, limits) : parseDesiredState(text, file, limits)));
}

/** Runs `read`, turning the desired state's own errors into the one a Pulumi program ends with. */
function forProgram<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof DesiredStateError || error instanceof DesiredStateUnreadableError) throw new DesiredStateRunError(error);
    throw error;
  }
}

/**
 * Declares one BrazeUserSet holding every user of the file. The file is
 * validated first, so an invalid file stops the program before any resource
 * exists and nothing is sent: Pulumi prints each problem once, as
 * `file:line:col path: message` (see DesiredStateRunError). Keep `name` stable: a set declared under a new
 * name is a new resource, and the old one is deleted (its users are kept only
 * where something else in the program declares them). `limits` are the
 * workspace's settings the file is checked against (string arrays: 500 items
 * unless given).
 */
export function brazeUserSetFromFile(name: string, file: string, opts?: pulumi.CustomResourceOptions, limits: WorkspaceLimits = {}): BrazeUserSet {
  return new BrazeUserSet(name, argsOfCheckedTexts(setTextsOfFile(name, file, limits)), opts);
}

/**
 * The users of a desired-state file as the set `name` carries them (each user's
 * text, by key), as brazeUserSetFromFile reads them.
 * @throws DesiredStateRunError for an unreadable or invalid file.
 */
export function setTextsOfFile(name: string, file: string, limits: WorkspaceLimits = {}): Record<string, string> {
  const text = forProgram(() => readDesiredStateText(file));
  // A large file that reads cleanly is read on several threads; any other is read whole.
  return fileTextsInParallel(text, name, { limits }) ?? memberTexts(name, membersOfDesiredState(loadForProgram(file, text, limits)));
}

/** The resource name a user gets without a `key`: stable as long as its alias is. */
export function aliasResourceName(alias: UserAlias): string {
  return aliasKey(alias);
}

/** The resource name a user gets without a `key`: its external_id, else its alias, else its address (defaultKey). */
function resourceNameOf(user: UserIdentity): string {
  return defaultKey(user);
}

/**
 * One BrazeUser per user of an already validated desired state: identified,
 * alias-only, email-only or phone-only. BrazeUser manages attributes and subscription groups only: a file
 * with events or purchases needs a BrazeUserSet (brazeUserSetFromFile), which
 * sends each once.
 * @throws UserSetNeededError naming the users that declare events or purchases, or adopt.
 */
export function brazeUsersFromDesiredState(state: DesiredState, opts?: pulumi.CustomResourceOptions): BrazeUser[] {
  const withEntries = state.users.filter((desired) => (desired.events?.length ?? 0) + (desired.purchases?.length ?? 0) > 0);
  if (withEntries.length > 0) {
    const keys = withEntries.map((desired) => desired.key ?? defaultKey(desired.user));
    throw new UserSetNeededError(keys, "events or purchases", "which BrazeUser does not manage; a set logs each event and purchase once");
  }
  const adopted = state.users.filter((desired) => desired.adopt);
  if (adopted.length > 0) {
    const keys = adopted.map((desired) => desired.key ?? defaultKey(desired.user));
    throw new UserSetNeededError(keys, "adopt: true", "which BrazeUser does not do; a set reads adopted users from Braze before its first send");
  }
  return state.users.map(({ key, user, intendedCustomAttributes }) => {
    const byIdentity = resourceNameOf(user);
    const identity = identityArgs(user);
    const args = { ...identity, attributes: user.attributes as UserAttributes, subscriptionGroups: user.subscriptionGroups, intendedCustomAttributes };
    const name = key ?? byIdentity;
    // Giving an existing user a key later, or an external_id to a user named by
    // its alias or email, must not delete and recreate it: the resource is found
    // under its old name and updated (the user is then identified in place).
    const earlierNames = [byIdentity, ...namesBeforeIdentified(user)].filter((earlier) => earlier !== name);
    return new BrazeUser(name, args, {
      ...opts,
      aliases: earlierNames.length > 0 ? [...(opts?.aliases ?? []), ...earlierNames.map((earlier) => ({ name: earlier }))] : opts?.aliases,
    });
  });
}

/** Who the user is, as BrazeUserArgs takes it. */
function identityArgs(user: UserIdentity): { externalId: string; alias?: UserAlias } | { alias: UserAlias } | { email: string } | { phone: string } {
  if (user.externalId !== undefined) return { externalId: user.externalId, alias: user.alias };
  if (user.alias !== undefined) return { alias: user.alias };
  return user.email !== undefined ? { email: user.email } : { phone: user.phone! };
}

/**
 * The names an identified user's resource had before it was identified in
 * place: its alias (an alias-only user), or its email (an email-only user,
 * whose address is then an attribute), when it has no key.
 */
function namesBeforeIdentified(user: DesiredState["users"][number]["user"]): string[] {
  if (user.externalId === undefined) return [];
  if (user.alias) return [aliasResourceName(user.alias)];
  const email = user.attributes.email;
  return typeof email === "string" ? [email] : [];
}

/**
 * Declares one BrazeUser per user of the file. The file is validated first, so an
 * invalid file stops the program before any resource exists and nothing is sent:
 * Pulumi prints each problem once, as `file:line:col path: message`.
 */
export function brazeUsersFromFile(file: string, opts?: pulumi.CustomResourceOptions): BrazeUser[] {
  return brazeUsersFromDesiredState(loadForProgram(file), opts);
}
