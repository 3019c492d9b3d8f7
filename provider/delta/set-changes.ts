// What a person reads of a user set's change in `pulumi preview --diff`: each
// changed user by its key, in file order, with only its changed attributes,
// groups, events and purchases, old → new; created and deleted users by key,
// a created one that looks like a deleted one renamed with a note saying so;
// nothing for unchanged users. Pure.
//
// The engine shows a resource's checked inputs, and prints an object's keys in
// byte order, so the set's check puts this in an input (`changes`) keyed by the
// user's zero-padded position in the file before its key: `0042 qa/ada`. The
// provider's Diff names only `changes["<key>"]` (../pulumi-wire/detailed-diff.ts),
// so the shards, which hold every user, are not printed.
import { memberOfStored } from "../encoding/stored-text";
import { isAdoptedText } from "../encoding/user-text";
import { textsOfShards } from "../encoding/user-shards";
import type { EntryKind, UserEntries } from "../model/entries";
import { aliasKey, type ManagedUser } from "../model/managed-user";
import { formatPropertyPath } from "../model/property-path";
import { updateParts, type ChangePart } from "./change-parts";
import { likelyRenames } from "./likely-renames";
import { partChangeText, valueText } from "./part-text";
import { externalIdRenameOf, identificationOf } from "./plan-update";

/** Position-and-key -> part path -> what changes; `MORE_KEY` -> how many users are not listed. */
export type SetChanges = Record<string, Record<string, string> | string>;

/**
 * Users listed; the rest are counted under MORE_KEY. A preview of a change
 * this large is a bulk edit, read through `braze-profiles plan`, and every
 * listed user is kept in state until the next up (about 80 bytes each).
 */
export const MAX_USERS_LISTED = 100;
/** Parts listed per user; the rest are counted under the user's MORE_KEY. */
export const MAX_PARTS_LISTED = 20;
/** Sorts after every position (digits), so the count comes last. */
export const MORE_KEY = "more";

/**
 * The changes from the old shards to the new ones. Only shards whose text
 * differs are split, so a one-user change at 100,000 users reads one shard
 * on each side.
 * @param order every user key of the new inputs in file order; without it, key order.
 */
export function setChangesOfShards(
  oldShards: Readonly<Record<string, string>>,
  newShards: Readonly<Record<string, string>>,
  order?: readonly string[],
): SetChanges {
  const oldChanged: Record<string, string> = {};
  const newChanged: Record<string, string> = {};
  for (const shard of new Set([...Object.keys(oldShards), ...Object.keys(newShards)])) {
    if (oldShards[shard] === newShards[shard]) continue;
    if (oldShards[shard] !== undefined) oldChanged[shard] = oldShards[shard];
    if (newShards[shard] !== undefined) newChanged[shard] = newShards[shard];
  }
  if (Object.keys(oldChanged).length === 0 && Object.keys(newChanged).length === 0) return {};
  return setChanges(textsOfShards(oldChanged), textsOfShards(newChanged), order ?? Object.keys(textsOfShards(newShards)).sort());
}

/**
 * The changes from `old` to `next` (stored texts by user key: the users of
 * the changed shards suffice).
 * @param order every user key of the new inputs in file order: it gives each user its position.
 */
export function setChanges(old: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>, order: readonly string[]): SetChanges {
  const changed: Array<{ key: string; parts: Record<string, string> }> = [];
  for (const key of Object.keys(next)) {
    if (old[key] === next[key]) continue;
    changed.push({ key, parts: old[key] === undefined ? { user: isAdoptedText(next[key]) ? ADOPTED : "created" } : userParts(old[key], next[key], key) });
  }
  const deleted = Object.keys(old)
    .filter((key) => next[key] === undefined)
    .sort();
  if (changed.length === 0 && deleted.length === 0) return {};
  for (const rename of renamesAmong(old, next, changed, deleted)) {
    const created = changed.find(({ key }) => key === rename.created)!;
    created.parts = { ...created.parts, note: rename.note };
  }
  const position = new Map<string, number>();
  order.forEach((key, index) => position.set(key, index));
  // A key missing from the order (a caller's mistake) still shows, after the file's users.
  const last = order.length;
  const listed = [
    ...changed.map(({ key, parts }) => ({ at: position.get(key) ?? last, key, parts })),
    ...deleted.map((key, index) => ({ at: last + index, key, parts: { user: "deleted" } as Record<string, string> })),
  ].sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
  const width = String(last + deleted.length).length;
  const changes: SetChanges = {};
  for (const { at, key, parts } of listed.slice(0, MAX_USERS_LISTED)) changes[`${String(at + 1).padStart(width, "0")} ${key}`] = parts;
  if (listed.length > MAX_USERS_LISTED) changes[MORE_KEY] = `${listed.length - MAX_USERS_LISTED} more users change (braze-profiles plan lists every one)`;
  return changes;
}

/** The likely renames among the created and deleted users; a set with none of either parses no user. */
function renamesAmong(
  old: Readonly<Record<string, string>>,
  next: Readonly<Record<string, string>>,
  changed: ReadonlyArray<{ key: string }>,
  deleted: readonly string[],
) {
  const created = changed.filter(({ key }) => old[key] === undefined).map(({ key }) => key);
  if (created.length === 0 || deleted.length === 0) return [];
  const users = (texts: Readonly<Record<string, string>>, keys: readonly string[]) => keys.map((key) => ({ key, user: memberOfStored(key, texts[key]).user }));
  return likelyRenames(users(old, deleted), users(next, created));
}

/** How a user new to the stack declared with `adopt: true` shows: Braze is read before anything is sent. */
export const ADOPTED = "adopt (read first): only what differs from what Braze holds is sent";

/** On create: how many users the set starts with, not each of them. */
export function createdSetChanges(userCount: number): SetChanges {
  return { [MORE_KEY]: `${userCount} users to create` };
}

/** Part path -> `old → new` of one user that is in both. */
function userParts(oldText: string, newText: string, key: string): Record<string, string> {
  const from = memberOfStored(key, oldText);
  const to = memberOfStored(key, newText);
  const all: Array<[string, string]> = [];
  if (from.user.externalId !== to.user.externalId) {
    // An alias-only user that keeps its alias is identified in place (/users/identify), an identified one's id renamed (/users/external_ids/rename).
    const identify = identificationOf(from.user, to.user)
      ? " (identify: the same Braze user, nothing deleted)"
      : externalIdRenameOf(from.user, to.user)
        ? " (rename external_id: the same Braze user, nothing deleted; the old id is removed)"
        : "";
    all.push(["external_id", `${valueText(from.user.externalId ?? null)} → ${valueText(to.user.externalId ?? null)}${identify}`]);
  }
  const aliasOf = (user: ManagedUser) => (user.alias ? aliasKey(user.alias) : null);
  if (aliasOf(from.user) !== aliasOf(to.user)) all.push(["alias", `${valueText(aliasOf(from.user))} → ${valueText(aliasOf(to.user))}`]);
  for (const part of [...updateParts(from.user, to.user, undefined), ...entryChanges(from.entries, to.entries)])
    all.push([partPath(part), partChangeText(part)]);
  // `adopt` only matters to a user new to the stack: adding or removing it later sends nothing.
  if (Boolean(from.adopt) !== Boolean(to.adopt)) all.push(["adopt", `${valueText(from.adopt ?? null)} → ${valueText(to.adopt ?? null)} (nothing sent)`]);
  const parts = Object.fromEntries(all.slice(0, MAX_PARTS_LISTED));
  if (all.length > MAX_PARTS_LISTED) parts[MORE_KEY] = `${all.length - MAX_PARTS_LISTED} more parts change`;
  // Only the texts' form changed (a canonical form of the same values): nothing to name.
  if (all.length === 0) parts.user = "rewritten, same values";
  return parts;
}

/** Where the part is in the desired-state file: `attributes.plan`, `subscription_groups["g-1"]`, `events.signup`. */
export function partPath(part: ChangePart): string {
  const section: Record<ChangePart["kind"], string> = {
    attribute: "attributes",
    subscription_group: "subscription_groups",
    event: "events",
    purchase: "purchases",
  };
  return formatPropertyPath([section[part.kind], part.name]);
}

/** Events and purchases added, changed or gone, by id. */
function entryChanges(from: UserEntries, to: UserEntries): ChangePart[] {
  const parts: ChangePart[] = [];
  for (const [kind, field] of [
    ["event", "events"],
    ["purchase", "purchases"],
  ] as Array<[EntryKind, keyof UserEntries]>) {
    const before = from[field] as Record<string, unknown>;
    const after = to[field] as Record<string, unknown>;
    for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (before[id] === undefined) parts.push({ kind, name: id, change: "added", to: after[id] });
      else if (after[id] === undefined) parts.push({ kind, name: id, change: "released" });
      else if (JSON.stringify(before[id]) !== JSON.stringify(after[id])) parts.push({ kind, name: id, change: "modified", from: before[id], to: after[id] });
    }
  }
  return parts;
}
