// The plan of a whole `pulumi up`, as a report: for every user set of the stack,
// the same pure planner the provider runs (provider/delta/plan-set), and from it
// the users per action, the requests per endpoint, the data points and the
// budgets' verdict. Pure: the sets, declarations and settings come in, the report
// goes out; reading them from Pulumi is ./stack-reading.ts's (and ./pulumi-commands.ts's) job.
import { packBundles, splitBundle, trackCaps, type TrackBundle } from "../provider/braze/track-packing";
import { IDENTIFIERS_PER_REQUEST, TRACK_MAX_OBJECTS } from "../provider/braze/users-api";
import type { TrackAttributesObject, TrackEventObject, TrackPurchaseObject } from "../provider/braze/wire-types";
import type { UserAlias } from "../provider/model";
import { countDataPoints, countEntryPoints } from "../provider/delta/data-points";
import type { EntryPlan } from "../provider/delta/plan-entries";
import { judgeBudgets, type Budgets } from "../provider/delta/budgets";
import { aliasKey } from "../provider/model/managed-user";
import { deletedAliasesOf, planSet, type SetChange, type SetPlan } from "../provider/delta/plan-set";
import type { RecordedSet } from "../provider/encoding/recorded-set";
import { aliasObject } from "../provider/delta/track-object";
import { userOfStored } from "../provider/encoding/stored-text";
import { createParts, entryParts, updateParts, type ChangePart } from "./change-parts";

/** What the engine does with a set's resource in this run. */
export type SetOperation = "create" | "update" | "same" | "delete";

/** One BrazeUserSet of the stack: what state records and what the program now declares. */
export interface SetToPlan {
  /** The set's name (its `name` input, the resource's name). */
  name: string;
  operation: SetOperation;
  record: RecordedSet;
  /** User key -> canonical user text; empty for a set the program no longer declares. */
  desired: Record<string, string>;
}

/** A Braze resource of another type the engine changes in this run: not planned here, only named. */
export interface UnplannedChange {
  /** `BrazeUser "release-manager"`. */
  resource: string;
  operation: string;
}

export interface PlanInput {
  /** The stack's name, for the heading. */
  stack: string;
  sets: SetToPlan[];
  /** Alias key (`label/name`) -> every resource that declares it once the run is over (`BrazeUserSet "users"`, `BrazeUser "x"`). */
  declarations: ReadonlyMap<string, readonly string[]>;
  /** braze:maxObjectsPerRequest (or its default). */
  maxObjectsPerRequest: number;
  budgets: Budgets;
  unplanned: UnplannedChange[];
  /** The preview read Braze first (--refresh): the record is what Braze holds now. */
  refreshed: boolean;
}

export type ReportAction = "create" | "update" | "rename" | "delete" | "forget";

/** One user the run changes. A changed label (Braze cannot relabel) is two: a delete of the old alias and a create of the new. */
export interface ReportChange {
  set: string;
  key: string;
  alias: UserAlias;
  action: ReportAction;
  /** Data points the user's /users/track object costs (0 when none is sent). */
  dataPoints: number;
  /** The endpoints that carry this user in this run. */
  sends: string[];
  parts: ChangePart[];
  /** A rename: the alias the user had. */
  renamedFrom?: UserAlias;
  /** The key the user was recorded under before (moved within the set). */
  movedFrom?: string;
  /** Something a reviewer must read: a label change deletes a Braze user, a forget names who declares the alias now. */
  note?: string;
}

export const ENDPOINTS = ["/users/track", "/users/delete", "/users/alias/update", "/users/export/ids"] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export interface BudgetReport {
  maxDeletes: number;
  /** Undefined: no limit. */
  maxDataPoints?: number;
  /** Users the guarded sets delete (a set removed from the program is not guarded). */
  deletes: number;
  dataPoints: number;
  /** One sentence per budget exceeded; empty when the plan fits. */
  exceeded: string[];
  /** One sentence: what `up` does with this plan. */
  verdict: string;
}

export interface PlanReport {
  stack: string;
  users: Record<Exclude<ReportAction, "forget">, number> & { unchanged: number; forget: number };
  requests: Record<Endpoint, number>;
  dataPoints: number;
  budgets: BudgetReport;
  changes: ReportChange[];
  unplanned: UnplannedChange[];
  notes: string[];
  /** Would `up` change anything (exit code 2), or nothing (0). */
  changesAnything: boolean;
}

export function buildReport(input: PlanInput): PlanReport {
  const changes: ReportChange[] = [];
  const requests = Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, 0])) as Record<Endpoint, number>;
  const notes: string[] = [];
  let unchanged = 0;
  const guarded: SetChange[] = [];

  for (const set of [...input.sets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const resource = `BrazeUserSet ${JSON.stringify(set.name)}`;
    const elsewhere = (id: string) => input.declarations.get(id)?.find((declarer) => declarer !== resource);
    const plan = set.operation === "delete" ? planRemovedSet(set.record, (id) => input.declarations.get(id)?.[0]) : planSet(set.record, set.desired, { declaredElsewhere: elsewhere });
    unchanged += plan.unchanged;
    if (set.operation === "delete") {
      notes.push(
        `${resource} leaves the program: its users that nothing else declares are deleted, and braze:maxDeletes does not limit that (a removed resource is deleted like a destroy)`,
      );
    } else guarded.push(...plan.changes);
    addRequests(requests, plan, input.maxObjectsPerRequest);
    for (const change of plan.changes) changes.push(...reportChanges(set.name, change));
  }

  const verdict = judgeBudgets({ changes: guarded, unchanged: 0, conflicts: [] }, input.budgets);
  const users = { create: 0, update: 0, rename: 0, delete: 0, unchanged, forget: 0 };
  for (const change of changes) users[change.action] += 1;
  if (requests["/users/alias/update"] > 0) {
    notes.push(
      "renames: /users/export/ids is counted for one check of the aliases before and one after renaming; Braze applies renames asynchronously, so a slow workspace takes further exports of the same aliases (no data points)",
    );
  }
  if (input.unplanned.length > 0) {
    notes.push(`not planned here: ${input.unplanned.length} BrazeUser resource change(s), one resource per user; see "pulumi preview --diff" for them`);
  }
  if (!input.refreshed) notes.push("planned against what state records; add --refresh to read Braze first and plan against what it holds (reads only)");

  return {
    stack: input.stack,
    users,
    requests,
    dataPoints: changes.reduce((sum, change) => sum + change.dataPoints, 0),
    budgets: {
      maxDeletes: input.budgets.maxDeletes,
      maxDataPoints: input.budgets.maxDataPoints,
      deletes: verdict.deletes,
      dataPoints: verdict.dataPoints,
      exceeded: verdict.exceeded,
      verdict:
        verdict.exceeded.length === 0
          ? "within budgets: up sends this plan"
          : `over budget: up refuses this plan and sends nothing for the set that goes over (${verdict.exceeded.join("; ")})`,
    },
    changes,
    unplanned: input.unplanned,
    notes,
    changesAnything: changes.length > 0 || input.unplanned.length > 0,
  };
}

/**
 * What the provider's `delete` does with a set the program no longer declares:
 * every recorded user is deleted, unless another resource declares its alias.
 */
function planRemovedSet(record: RecordedSet, declaredBy: (aliasKey: string) => string | undefined): SetPlan {
  const changes: SetChange[] = Object.keys(record.users)
    .sort()
    .map((key) => {
      const from = userOfStored(key, record.users[key]);
      const declarer = declaredBy(aliasKey(from.alias));
      return declarer ? { action: "forget", key, from, declaredBy: declarer } : { action: "delete", key, from, alias: aliasObject(from.alias) };
    });
  return { changes, unchanged: 0, conflicts: [] };
}

/** The provider's requests for one set's plan (user-set-provider.ts #send): every batch of a set is sent at once. */
function addRequests(requests: Record<Endpoint, number>, plan: SetPlan, maxObjectsPerRequest: number): void {
  const batches = (count: number, size: number) => Math.ceil(count / size);
  const renames = plan.changes.filter((change) => change.action === "rename").length;
  const passed = trackPassOf(plan);
  const checked = passed.filter(({ entries }) => entries.length > 0).length;
  const caps = trackCaps(maxObjectsPerRequest, TRACK_MAX_OBJECTS);
  requests["/users/track"] += packBundles(
    passed.flatMap(({ object, entries }) => splitBundle(bundleShape(object, entries), caps)),
    caps,
  ).length;
  requests["/users/delete"] += batches(deletedAliasesOf(plan).length, IDENTIFIERS_PER_REQUEST);
  requests["/users/alias/update"] += batches(renames, IDENTIFIERS_PER_REQUEST);
  // Renames: before, both aliases of each (the old must exist, the new must be free); after, the new ones, until Braze shows them.
  // Entries: each user's event and purchase counts, read before any is sent (a lost answer of an earlier run is not sent twice).
  requests["/users/export/ids"] += batches(2 * renames, IDENTIFIERS_PER_REQUEST) + batches(renames, IDENTIFIERS_PER_REQUEST) + batches(checked, IDENTIFIERS_PER_REQUEST);
}

/**
 * The users of the set's /users/track pass, in the provider's order (renames,
 * then replaced users once their old alias is deleted, then the rest in key
 * order), each with its attributes object and the entries it may send: the
 * order matters, since requests are packed first fit, a user's objects together.
 */
function trackPassOf(plan: SetPlan): Array<{ object?: TrackAttributesObject; entries: Array<{ kind: "event" | "purchase" }> }> {
  const sending = (entries: EntryPlan | undefined) => [...(entries?.send ?? []), ...(entries?.verify ?? [])];
  const renamed: SetChange[] = [];
  const replaced: SetChange[] = [];
  const rest: SetChange[] = [];
  for (const change of plan.changes) {
    if (change.action === "rename") renamed.push(change);
    else if (change.action === "replace") (change.deleteAlias ? replaced : rest).push(change);
    else if (change.action === "create" || change.action === "update") rest.push(change);
  }
  return [...renamed, ...replaced, ...rest]
    .map((change) => {
      const { object, entries } = change as { object?: TrackAttributesObject; entries?: EntryPlan };
      return { object, entries: sending(entries) };
    })
    .filter(({ object, entries }) => object !== undefined || entries.length > 0);
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

/** One planner change as the report's changes: a label change becomes a delete and a create. */
function reportChanges(set: string, change: SetChange): ReportChange[] {
  const entries = (change as { entries?: EntryPlan }).entries;
  // An event or purchase to send costs its points; one checked first costs them only if it must be sent again (counted: the most).
  const entryPoints = [...(entries?.send ?? []), ...(entries?.verify ?? [])].reduce((sum, planned) => sum + countEntryPoints(planned.kind, planned.entry), 0);
  const sendsEntries = (entries?.send.length ?? 0) + (entries?.verify.length ?? 0) > 0;
  const track = (object: TrackAttributesObject | undefined) =>
    object || sendsEntries
      ? { dataPoints: (object ? countDataPoints(object) : 0) + entryPoints, sends: inEndpointOrder(["/users/track", ...(sendsEntries ? ["/users/export/ids"] : [])]) }
      : { dataPoints: 0, sends: [] };
  const withEntries = (parts: ChangePart[]) => [...parts, ...entryParts(entries)];
  switch (change.action) {
    case "create":
      return [{ set, key: change.key, alias: change.user.alias, action: "create", ...track(change.object), parts: withEntries(createParts(change.user)) }];
    case "update":
      return [
        {
          set,
          key: change.key,
          alias: change.user.alias,
          action: "update",
          ...track(change.object),
          parts: withEntries(updateParts(change.from, change.user, change.object)),
          ...(change.movedFrom === undefined ? {} : { movedFrom: change.movedFrom }),
        },
      ];
    case "rename": {
      const sent = track(change.object);
      return [
        {
          set,
          key: change.key,
          alias: change.user.alias,
          action: "rename",
          dataPoints: sent.dataPoints,
          // The aliases are checked before and after: /users/export/ids.
          sends: inEndpointOrder(["/users/alias/update", "/users/export/ids", ...sent.sends]),
          parts: withEntries(updateParts({ ...change.from, alias: change.user.alias }, change.user, change.object)),
          renamedFrom: change.from.alias,
          ...(change.movedFrom === undefined ? {} : { movedFrom: change.movedFrom }),
        },
      ];
    }
    case "replace": {
      const [from, to] = [aliasKey(change.from.alias), aliasKey(change.user.alias)];
      const created: ReportChange = {
        set,
        key: change.key,
        alias: change.user.alias,
        action: "create",
        ...track(change.object),
        parts: withEntries(createParts(change.user)),
        note: change.deleteAlias
          ? `the alias label changed (${from} to ${to}): Braze cannot relabel, so the Braze user ${from} is deleted and a new one, ${to}, created`
          : `the alias label changed (${from} to ${to}): a new Braze user ${to} is created; ${from} is kept, because another resource declares it`,
      };
      if (!change.deleteAlias) return [created];
      const deleted: ReportChange = {
        set,
        key: change.key,
        alias: change.from.alias,
        action: "delete",
        dataPoints: 0,
        sends: ["/users/delete"],
        parts: [],
        note: `the alias label changed (${from} to ${to}): the Braze user ${from} is deleted, with everything it holds, and a new one created`,
      };
      return [deleted, created];
    }
    case "delete":
      return [{ set, key: change.key, alias: change.from.alias, action: "delete", dataPoints: 0, sends: ["/users/delete"], parts: [] }];
    case "forget":
      return [
        {
          set,
          key: change.key,
          alias: change.from.alias,
          action: "forget",
          dataPoints: 0,
          sends: [],
          parts: [],
          note: `leaves this set but ${change.declaredBy} declares it: not deleted, nothing sent`,
        },
      ];
    default: {
      const never: never = change;
      throw new Error(`unknown set change ${JSON.stringify(never)}`);
    }
  }
}

/** Endpoints once each, in ENDPOINTS' order. */
function inEndpointOrder(endpoints: string[]): string[] {
  return ENDPOINTS.filter((endpoint) => endpoints.includes(endpoint));
}
