// What sending a set's plan takes, stage by stage, in the provider's order:
// 0. adopted users new to the stack (`adopt: true`) are read (/users/export/ids),
//    then the declared subscription groups of those Braze holds
//    (/subscription/status/get; not an alias-only user's), and each then sends
//    only its delta, or its create when Braze holds none (./plan-adoption.ts);
//    the plan counts the create and every group read, the most it can cost;
// 1. renames (/users/alias/update), each alias checked before and after
//    (/users/export/ids: the old must exist, the new must be free, then until
//    Braze shows the new name);
// 2. deletes (/users/delete): a delete's alias, a replaced user's old one, so a
//    replaced user's new alias is created only once its old one is gone;
// 3. identifications (/users/identify) of alias-only users that gained an
//    external_id, each checked first (/users/export/ids by external_id: a
//    user an earlier up identified without an answer is not identified again);
// 4. external_id renames (/users/external_ids/rename) of identified users,
//    each checked first (/users/export/ids by the old and by the new id: a
//    rename an earlier up sent without an answer is not sent again);
// 5. one /users/track pass: renamed users, replaced ones, identified ones,
//    users with a renamed external_id (addressed by the new id), then the rest in
//    key order, each user's objects together, packed first fit; a user with
//    events or purchases has its counts read first (/users/export/ids); a new
//    user's entries wait until Braze shows it (read again), then go in requests
//    of their own (../runtime/creation-wait.ts);
// 6. aliases attached to identified users (/users/alias/new with external_id),
//    once the pass has created their profiles, and the old ids of renamed
//    external_ids removed (/users/external_ids/remove), once the pass has
//    addressed the profiles by their new ids.
// The send path (../runtime/user-set-send.ts) walks these stages, and
// `braze-profiles plan` counts their requests with requestsOf: one place to
// change either. Pure.
import { packBundles, splitBundle, type TrackBundle, type TrackCaps } from "../braze/track-packing";
import { deleteRequestCount, exportRequestCount, IDENTIFIERS_PER_REQUEST, statusRequestCount } from "../braze/users-api";
import type { TrackAttributesObject, TrackEventObject, TrackPurchaseObject } from "../braze/wire-types";
import type { ManagedUser } from "../model/managed-user";
import { planGroupReads } from "./group-reads";
import { adoptionsOf } from "./plan-adoption";
import type { EntryPlan } from "./plan-entries";
import { wireIdentifier } from "./track-object";
import { attachmentsOf, deletedIdentifiersOf, deletionsOf, externalIdRenamesOf, identificationsOf, type SetChange, type SetPlan } from "./plan-set";

export type RenameChange = Extract<SetChange, { action: "rename" }>;

/** The endpoints a set's plan sends to, in the order a report lists them. */
export const SET_ENDPOINTS = [
  "/users/track",
  "/users/delete",
  "/users/alias/update",
  "/users/alias/new",
  "/users/identify",
  "/users/external_ids/rename",
  "/users/external_ids/remove",
  "/users/export/ids",
  "/subscription/status/get",
] as const;
export type SetEndpoint = (typeof SET_ENDPOINTS)[number];

/** Stage 1: the plan's renames, in its order. */
export function renamesOf(plan: SetPlan): RenameChange[] {
  return plan.changes.filter((change): change is RenameChange => change.action === "rename");
}

/**
 * What stage 3 does with a change: send it in the track pass, record it with
 * nothing to send, or leave it to the stage that had it (a rename, a delete, a
 * replace whose old alias is deleted first).
 */
export function lastStageOf(change: SetChange): "track" | "record" | "earlier" {
  switch (change.action) {
    case "create":
    case "update":
      return change.object || sendsEntries(change) ? "track" : "record";
    case "replace":
      return change.deleteAlias ? "earlier" : "track";
    case "forget":
      return "record";
    case "delete":
    case "rename":
    case "identify":
    case "rename_external_id":
      return "earlier";
    default: {
      const never: never = change;
      throw new Error(`unknown set change ${JSON.stringify(never)}`);
    }
  }
}

/** Whether a change has events or purchases to send or to check. */
export function sendsEntries(change: SetChange): boolean {
  const entries = (change as { entries?: EntryPlan }).entries;
  return entries !== undefined && entries.send.length + entries.verify.length > 0;
}

/**
 * The users of the track pass when every rename and delete goes through, in
 * the pass's order, each with its attributes object: the order matters, since
 * requests are packed first fit.
 */
export function trackPassOf(plan: SetPlan): Array<{ change: SetChange; object?: TrackAttributesObject }> {
  const renamed = renamesOf(plan).filter((change) => change.object || sendsEntries(change));
  const identified = identificationsOf(plan).filter((change) => change.object || sendsEntries(change));
  const replaced = deletionsOf(plan).flatMap(({ change }) => (change.action === "replace" ? [change] : []));
  const reidentified = externalIdRenamesOf(plan).filter((change) => change.object || sendsEntries(change));
  const rest = plan.changes.filter((change) => lastStageOf(change) === "track");
  return [...renamed, ...replaced, ...identified, ...reidentified, ...rest].map((change) => ({
    change,
    object: (change as { object?: TrackAttributesObject }).object,
  }));
}

/**
 * The requests per endpoint a plan's sends take under `caps` when every answer
 * comes back: every batch of a set is sent at once.
 */
export function requestsOf(plan: SetPlan, caps: TrackCaps): Record<SetEndpoint, number> {
  const batches = (count: number) => Math.ceil(count / IDENTIFIERS_PER_REQUEST);
  const renames = renamesOf(plan).length;
  const identifications = identificationsOf(plan).length;
  const idRenames = externalIdRenamesOf(plan).length;
  const passed = trackPassOf(plan)
    .map(({ change, object }) => ({ object, entries: entriesSent(change), identifier: wireIdentifier((change as { user: ManagedUser }).user) }))
    .filter(({ object, entries }) => object !== undefined || entries.length > 0);
  const checked = passed.filter(({ entries }) => entries.length > 0);
  // A user this pass creates (absent from Braze, as a plan assumes) with entries: its attributes first, its entries later.
  const waits = ({ object, entries }: (typeof passed)[number]) => entries.length > 0 && object?._update_existing_only === false;
  const packed = (users: ReadonlyArray<Pick<(typeof passed)[number], "object" | "entries">>) =>
    packBundles(
      users.flatMap(({ object, entries }) => splitBundle(bundleShape(object, entries), caps)),
      caps,
    ).length;
  const waiting = passed.filter(waits);
  return {
    "/users/track":
      packed(passed.map((user) => (waits(user) ? { object: user.object, entries: [] } : user))) +
      packed(waiting.map(({ entries }) => ({ object: undefined, entries }))),
    "/users/delete": deleteRequestCount(deletedIdentifiersOf(plan)),
    "/users/alias/update": batches(renames),
    "/users/alias/new": batches(attachmentsOf(plan).length),
    "/users/identify": batches(identifications),
    "/users/external_ids/rename": batches(idRenames),
    "/users/external_ids/remove": batches(idRenames),
    // Renames: before, both aliases of each; after, the new ones, until Braze shows them (counted once).
    // Entries: each user's event and purchase counts, read before any is sent; new users', read until Braze shows them (counted once).
    // Identifications: each external_id, read before its alias is identified. Adopted users: each read before anything is sent.
    // External_id renames: the old ids, then the new ones, read before renaming (two lookups: Braze answers an old id with its new one).
    "/users/export/ids":
      exportRequestCount(adoptionsOf(plan).map((change) => wireIdentifier(change.user))) +
      batches(2 * renames) +
      batches(renames) +
      batches(identifications) +
      2 * batches(idRenames) +
      exportRequestCount(checked.map(({ identifier }) => identifier)) +
      exportRequestCount(waiting.map(({ identifier }) => identifier)),
    // Adopted users' declared groups, read as if Braze held every adopted user (those it holds none of are not read).
    "/subscription/status/get": statusRequestCount(planGroupReads(adoptionsOf(plan).map((change) => change.user)).reads),
  };
}

/** The events and purchases a change may send: those never sent, and those checked first. */
function entriesSent(change: SetChange): Array<{ kind: "event" | "purchase" }> {
  const entries = (change as { entries?: EntryPlan }).entries;
  return [...(entries?.send ?? []), ...(entries?.verify ?? [])];
}

/** A bundle of the right sizes: packing reads only how many objects of each kind a user sends. */
function bundleShape(object: TrackAttributesObject | undefined, entries: ReadonlyArray<{ kind: "event" | "purchase" }>): TrackBundle {
  const count = (kind: string) => entries.filter((entry) => entry.kind === kind).length;
  return {
    ...(object ? { attributes: object } : {}),
    events: new Array<TrackEventObject>(count("event")),
    purchases: new Array<TrackPurchaseObject>(count("purchase")),
  };
}
