// The diff between what Pulumi recorded for a user and what the desired state
// declares. Pure: no I/O, no clock, no Braze. Every property lands in exactly one
// case of a closed union, over the sorted union of keys from both sides;
// differences that must not be pushed to Braze are hints, kept apart from changes.
import { isDeepStrictEqual } from "node:util";
import type { AttributeValue, ManagedUser, SubscriptionState } from "../model/managed-user";
import { standardAttribute } from "../model/standard-attributes";

export type PropertyChange<T> =
  | { kind: "added"; key: string; to: T }
  | { kind: "removed"; key: string; from: T }
  | { kind: "modified"; key: string; from: T; to: T }
  | { kind: "unchanged"; key: string; value: T };

/**
 * A difference that is not work to do: Braze has no way to express it, so the
 * plan sends nothing for it and the desired state simply stops managing it.
 */
export type Hint =
  | {
      /** Removed from subscription_groups: Braze has no "unknown" state to return to, so the user keeps this one. */
      kind: "subscription-group-released";
      groupId: string;
      lastState: SubscriptionState;
    }
  | {
      /**
       * A standard field Braze cannot unset, removed: email_subscribe / push_subscribe (only opted_in,
       * subscribed and unsubscribed exist) or push_tokens (no call removes a token), so Braze keeps the last value.
       */
      kind: "subscription-attribute-released";
      key: string;
      lastValue: AttributeValue;
    };

export interface UserDiff {
  /** undefined on a side that has none: from undefined is an id given, to undefined an id taken away. */
  externalId: PropertyChange<string | undefined>;
  /** A side without an alias has an undefined name and label. */
  alias: { name: PropertyChange<string | undefined>; label: PropertyChange<string | undefined> };
  /** Every attribute key of either side, sorted; removals Braze cannot express are in `hints` instead. */
  attributes: Array<PropertyChange<AttributeValue>>;
  /** Every subscription group of either side, sorted; removals are in `hints` instead. */
  subscriptionGroups: Array<PropertyChange<SubscriptionState>>;
  hints: Hint[];
}

export function diffUser(recorded: ManagedUser, desired: ManagedUser): UserDiff {
  const hints: Hint[] = [];

  const attributes = diffRecords(recorded.attributes, desired.attributes).filter((change) => {
    if (change.kind === "removed" && standardAttribute(change.key)?.unsettable === false) {
      hints.push({ kind: "subscription-attribute-released", key: change.key, lastValue: change.from });
      return false;
    }
    return true;
  });

  const subscriptionGroups = diffRecords(recorded.subscriptionGroups, desired.subscriptionGroups).filter((change) => {
    if (change.kind === "removed") {
      hints.push({ kind: "subscription-group-released", groupId: change.key, lastState: change.from });
      return false;
    }
    return true;
  });

  return {
    externalId: compare("external_id", recorded.externalId, desired.externalId),
    alias: {
      name: compare("name", recorded.alias?.name, desired.alias?.name),
      label: compare("label", recorded.alias?.label, desired.alias?.label),
    },
    attributes,
    subscriptionGroups,
    hints,
  };
}

/** True when the change is work to do (not `unchanged`). Exhaustive over the union. */
export function isChange<T>(change: PropertyChange<T>): boolean {
  switch (change.kind) {
    case "added":
    case "removed":
    case "modified":
      return true;
    case "unchanged":
      return false;
    default:
      return assertNever(change);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unexpected case ${JSON.stringify(value)}`);
}

function diffRecords<T>(from: Readonly<Record<string, T>>, to: Readonly<Record<string, T>>): Array<PropertyChange<T>> {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return keys.map((key) => {
    const inFrom = Object.hasOwn(from, key);
    const inTo = Object.hasOwn(to, key);
    if (!inFrom) return { kind: "added", key, to: to[key] };
    if (!inTo) return { kind: "removed", key, from: from[key] };
    return compare(key, from[key], to[key]);
  });
}

function compare<T>(key: string, from: T, to: T): PropertyChange<T> {
  return isDeepStrictEqual(from, to) ? { kind: "unchanged", key, value: to } : { kind: "modified", key, from, to };
}
