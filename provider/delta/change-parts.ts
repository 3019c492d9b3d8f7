// What changes inside one user, part by part: each attribute, subscription group,
// event and purchase that the user's requests carry or that stops being managed. Pure. The formatters list parts
// generically, so a new kind of part needs a case here and nothing else. Both
// `braze-profiles plan` and the set's preview (./set-changes.ts) list changes
// with these parts, so the two never word a change differently.
import type { TrackAttributesObject } from "../braze/wire-types";
import type { ManagedUser, NestedObject } from "../model/managed-user";
import { diffUser, type PropertyChange } from "./diff-user";
import { samePushToken } from "./observed-push-tokens";
import type { EntryPlan } from "./plan-entries";

/** Kinds of part a change can hold. */
export type PartKind = "attribute" | "subscription_group" | "event" | "purchase";

export interface ChangePart {
  kind: PartKind;
  /** The attribute's name, the group's id, the event's name or the product's id. */
  name: string;
  /**
   * - added / removed / modified: the value changes (a removed attribute is sent as null);
   * - resent: the value is sent whole again because the outcome of its last request is unknown;
   * - checked: an event or purchase an earlier request may have logged (its answer was lost):
   *   Braze's counts are read first, and it is sent only if it did not arrive;
   * - released: no longer managed, and Braze has no way to express that (a removed group
   *   state, a logged event), so nothing is sent.
   */
  change: "added" | "removed" | "modified" | "resent" | "checked" | "released";
  from?: unknown;
  to?: unknown;
}

/** Keys of an attributes object that address the user or steer the request rather than set an attribute. */
const ADDRESSING_KEYS = new Set(["external_id", "user_alias", "_update_existing_only", "_merge_objects", "subscription_groups"]);

/** Every part of a create: each attribute and group of the new user. */
export function createParts(user: ManagedUser): ChangePart[] {
  return [
    ...Object.keys(user.attributes)
      .sort()
      .map((name): ChangePart => ({ kind: "attribute", name, change: "added", to: user.attributes[name] })),
    ...Object.keys(user.subscriptionGroups)
      .sort()
      .map((name): ChangePart => ({ kind: "subscription_group", name, change: "added", to: user.subscriptionGroups[name] })),
  ];
}

/**
 * Every part of an update from the record to the desired user: what differs, the
 * releases nothing is sent for, and what `object` (the request the plan sends)
 * carries again although the record says it is already there (unsure values).
 */
export function updateParts(from: ManagedUser, user: ManagedUser, object: TrackAttributesObject | undefined): ChangePart[] {
  const diff = diffUser(from, user);
  const parts: ChangePart[] = [
    ...diff.attributes.flatMap((change) => fromPropertyChange("attribute", change)),
    ...diff.subscriptionGroups.flatMap((change) => fromPropertyChange("subscription_group", change)),
  ];
  const tokens = diff.attributes.find((change) => change.key === "push_tokens");
  if (tokens?.kind === "modified") {
    const kept = tokens.to as NestedObject[];
    const dropped = (tokens.from as NestedObject[]).filter((token) => !kept.some((other) => samePushToken(token, other)));
    // /users/track cannot remove a push token: one left out of the list stays on the profile.
    if (dropped.length > 0) parts.push({ kind: "attribute", name: "push_tokens", change: "released", from: dropped });
  }
  for (const hint of diff.hints) {
    parts.push(
      hint.kind === "subscription-group-released"
        ? { kind: "subscription_group", name: hint.groupId, change: "released", from: hint.lastState }
        : { kind: "attribute", name: hint.key, change: "released", from: hint.lastValue },
    );
  }
  const listed = new Set(parts.map((part) => `${part.kind}\u0000${part.name}`));
  for (const name of Object.keys(object ?? {}).sort()) {
    if (ADDRESSING_KEYS.has(name) || listed.has(`attribute\u0000${name}`)) continue;
    parts.push({ kind: "attribute", name, change: "resent", to: user.attributes[name] ?? null });
  }
  for (const group of object?.subscription_groups ?? []) {
    if (listed.has(`subscription_group\u0000${group.subscription_group_id}`)) continue;
    parts.push({ kind: "subscription_group", name: group.subscription_group_id, change: "resent", to: group.subscription_state });
  }
  return parts.sort(byKindThenName);
}

/** The events and purchases of a change: each sent once, checked first when in doubt, forgotten (never deleted) when removed. */
export function entryParts(entries: EntryPlan | undefined): ChangePart[] {
  if (!entries) return [];
  const parts: ChangePart[] = [
    ...entries.send.map((planned): ChangePart => ({ kind: planned.kind, name: planned.id, change: "added", to: planned.entry })),
    ...entries.verify.map((planned): ChangePart => ({ kind: planned.kind, name: planned.id, change: "checked", to: planned.entry })),
    ...entries.forgotten.map((ref): ChangePart => {
      // `events.<id>` or `purchases.<id>`
      const dot = ref.indexOf(".");
      return { kind: ref.slice(0, dot) === "purchases" ? "purchase" : "event", name: ref.slice(dot + 1), change: "released" };
    }),
  ];
  return parts.sort(byKindThenName);
}

function fromPropertyChange<T>(kind: PartKind, change: PropertyChange<T>): ChangePart[] {
  switch (change.kind) {
    case "added":
      return [{ kind, name: change.key, change: "added", to: change.to }];
    case "removed":
      return [{ kind, name: change.key, change: "removed", from: change.from }];
    case "modified":
      return [{ kind, name: change.key, change: "modified", from: change.from, to: change.to }];
    case "unchanged":
      return [];
    default: {
      const never: never = change;
      throw new Error(`unknown property change ${JSON.stringify(never)}`);
    }
  }
}

const KIND_ORDER: Record<PartKind, number> = { attribute: 0, subscription_group: 1, event: 2, purchase: 3 };

function byKindThenName(a: ChangePart, b: ChangePart): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
