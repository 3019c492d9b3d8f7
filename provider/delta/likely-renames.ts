// Pairs of a deleted and a created user that look like one user renamed
// without a stable key: the same alias name under another label, or the same
// attributes under another alias. Planned as they are, the old profile, its
// attributes and its logged history are deleted and the new one logs its
// events again, so the plan names each pair and says how to keep the user.
// Pure: users in, notes out.
import groupBy from "lodash/groupBy";
import isEqual from "lodash/isEqual";
import { aliasKey, type ManagedUser } from "../model/managed-user";
import type { SetPlan } from "./plan-set";

export interface LikelyRename {
  /** The key of the recorded user the plan deletes. */
  deleted: string;
  /** The key of the desired user the plan creates. */
  created: string;
  /** `relabel`: the same alias name under another label; `rename`: the same attributes under another alias. */
  kind: "relabel" | "rename";
  /** The stable key to give the user, as its line in the desired-state file. */
  keyLine: string;
  /** One sentence: what looks renamed, and what to do to keep the user. */
  note: string;
}

/** A user of a pair: its key in the set and its values. */
export interface KeyedUser {
  key: string;
  user: ManagedUser;
}

/** The likely renames of a set's plan: among its deletes and creates. */
export function likelyRenamesOf(plan: SetPlan): LikelyRename[] {
  const deleted: KeyedUser[] = [];
  const created: KeyedUser[] = [];
  for (const change of plan.changes) {
    if (change.action === "delete") deleted.push({ key: change.key, user: change.from });
    else if (change.action === "create") created.push({ key: change.key, user: change.user });
  }
  return likelyRenames(deleted, created);
}

/**
 * Pairs each created user with at most one deleted user, in the created
 * users' order: a deleted user with the same alias name (under another label)
 * first, else one with the same attributes, at least one (under another
 * alias). Only alias-only users pair: an identified user is matched by its
 * external_id whatever its key, so it is never deleted and created for a rename.
 */
export function likelyRenames(deleted: readonly KeyedUser[], created: readonly KeyedUser[]): LikelyRename[] {
  const candidates = deleted.filter(({ user }) => isAliasOnly(user));
  if (candidates.length === 0) return [];
  const byName = groupBy(candidates, ({ user }: KeyedUser) => user.alias!.name);
  const byAttributeNames = groupBy(candidates, ({ user }: KeyedUser) => attributeNamesOf(user));
  const paired = new Set<string>();
  const renames: LikelyRename[] = [];
  for (const next of created) {
    if (!isAliasOnly(next.user)) continue;
    const alias = next.user.alias!;
    const relabelled = byName[alias.name]?.find(({ key, user }) => !paired.has(key) && user.alias!.label !== alias.label);
    const renamed =
      relabelled ??
      (Object.keys(next.user.attributes).length === 0
        ? undefined
        : byAttributeNames[attributeNamesOf(next.user)]?.find(({ key, user }) => !paired.has(key) && isEqual(user.attributes, next.user.attributes)));
    if (renamed === undefined) continue;
    paired.add(renamed.key);
    renames.push(noteOf(renamed, next, relabelled !== undefined ? "relabel" : "rename"));
  }
  return renames;
}

function noteOf(old: KeyedUser, next: KeyedUser, kind: LikelyRename["kind"]): LikelyRename {
  const keyLine = `key: ${stableKeyFor(old.user.alias!.name)}`;
  const from = aliasKey(old.user.alias!);
  const to = aliasKey(next.user.alias!);
  const why = kind === "relabel" ? "the same alias name under another label" : "the same attributes under another alias";
  const outcome =
    kind === "relabel"
      ? "Braze cannot relabel an alias, so under a key it is one replaced user, said as such"
      : "under a key its alias is renamed in place (/users/alias/update), keeping its profile and logged history";
  return {
    deleted: old.key,
    created: next.key,
    kind,
    keyLine,
    note:
      `looks like a rename: ${from} is deleted and ${to} created, ${why}; ` +
      `to keep one user, put the old alias back, add "${keyLine}" to its entry and run "pulumi up" (the user only moves to that key), ` +
      `then change its alias under that key: ${outcome}`,
  };
}

/** A key the desired-state schema accepts (letters, digits, '.', '_' and '-', from a letter or digit), made from the alias name. */
export function stableKeyFor(aliasName: string): string {
  const key = aliasName
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 255);
  return key === "" ? "user" : key;
}

function isAliasOnly(user: ManagedUser): boolean {
  return user.externalId === undefined && user.alias !== undefined;
}

function attributeNamesOf(user: ManagedUser): string {
  return JSON.stringify(Object.keys(user.attributes).sort());
}
