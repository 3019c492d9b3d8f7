// The plan of a whole `pulumi up`, as a report: for every user set of the stack,
// the same pure planner the provider runs (provider/plan-api.ts), and from it
// the users per action, the requests per endpoint, the data points and the
// budgets' verdict. Pure: the sets, declarations and settings come in, the report
// goes out; reading them from Pulumi is ./stack-reading.ts's (and ./pulumi-commands.ts's) job.
import {
  identityKey,
  countDataPoints,
  countEntryPoints,
  createParts,
  entryParts,
  judgeBudgets,
  likelyRenamesOf,
  planGroupReads,
  planRemovedSet,
  planSet,
  requestsOf,
  SET_ENDPOINTS,
  type Budgets,
  type ChangePart,
  type EntryPlan,
  type RecordedSet,
  type SetChange,
  type SetPlan,
  type SetEndpoint,
  type ManagedUser,
  type TrackAttributesObject,
  type TrackCaps,
  type UserAlias,
  unreadGroupsText,
  updateParts,
  userOfStored,
} from "../provider/plan-api";

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
  /** The /users/track caps of braze:maxObjectsPerRequest and braze:objectCapScope (or their defaults). */
  trackCaps: TrackCaps;
  budgets: Budgets;
  unplanned: UnplannedChange[];
  /** The preview read Braze first (--refresh): the record is what Braze holds now. */
  refreshed: boolean;
}

export type ReportAction = "create" | "update" | "rename" | "identify" | "rename_external_id" | "delete" | "forget";

/** One user the run changes. A changed label (Braze cannot relabel) is two: a delete of the old alias and a create of the new. */
export interface ReportChange {
  set: string;
  key: string;
  /** The identified user's external_id; absent for an alias-only user. */
  externalId?: string;
  /** The user's alias; absent for an identified user without one. */
  alias?: UserAlias;
  /** The address of an email-only user. */
  email?: string;
  /** The number of a phone-only user. */
  phone?: string;
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
  /**
   * A create of a user declared with `adopt: true`: Braze is read first and only
   * what differs is sent, so `dataPoints` is the most it costs (a create's).
   */
  adopt?: true;
}

export const ENDPOINTS = SET_ENDPOINTS;
export type Endpoint = SetEndpoint;

export interface BudgetReport {
  maxDeletes: number;
  /** Undefined: no limit. */
  maxDataPoints?: number;
  /** Users the run deletes, a set removed from the program's too. */
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
  let likelyRenames = 0;

  for (const set of [...input.sets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const resource = `BrazeUserSet ${JSON.stringify(set.name)}`;
    const elsewhere = (id: string) => input.declarations.get(id)?.find((declarer) => declarer !== resource);
    const plan =
      set.operation === "delete"
        ? byKey(planRemovedSet(set.record, (id) => input.declarations.get(id)?.[0]))
        : planSet(set.record, set.desired, { declaredElsewhere: elsewhere });
    unchanged += plan.unchanged;
    if (set.operation === "delete") notes.push(`${resource} leaves the program: its users that nothing else declares are deleted, within braze:maxDeletes`);
    // The refresh read the groups of users with an external_id, email or phone; it could not name alias-only users.
    const unread = input.refreshed ? unreadGroupsOf(set.record) : undefined;
    if (unread) notes.push(`${resource}: ${unread}`);
    guarded.push(...plan.changes);
    const sent = requestsOf(plan, input.trackCaps);
    for (const endpoint of ENDPOINTS) requests[endpoint] += sent[endpoint];
    const renames = new Map(likelyRenamesOf(plan).map((rename) => [rename.created, rename]));
    likelyRenames += renames.size;
    for (const change of plan.changes) {
      const reported = reportChanges(set.name, change);
      const rename = change.action === "create" ? renames.get(change.key) : undefined;
      if (rename) reported[0].note = rename.note;
      changes.push(...reported);
    }
  }
  if (likelyRenames > 0) {
    notes.push(
      `likely renames: up refuses the ${likelyRenames === 1 ? "pair" : `${likelyRenames} pairs`} of a deleted and a created user marked "looks like a rename" unless braze:allowLikelyRenames is true`,
    );
  }

  const verdict = judgeBudgets({ changes: guarded, unchanged: 0, conflicts: [], refusals: [] }, input.budgets);
  const users = { create: 0, update: 0, rename: 0, identify: 0, rename_external_id: 0, delete: 0, unchanged, forget: 0 };
  for (const change of changes) users[change.action] += 1;
  if (requests["/users/alias/update"] > 0) {
    notes.push(
      "renames: /users/export/ids is counted for one check of the aliases before and one after renaming; Braze applies renames asynchronously, so a slow workspace takes further exports of the same aliases (no data points)",
    );
  }
  const adopted = changes.filter((change) => change.adopt).length;
  if (adopted > 0) {
    notes.push(
      `adopt: ${adopted} new ${adopted === 1 ? "user is" : "users are"} read from Braze first (/users/export/ids, 50 per request, at its rate limit; declared subscription groups by /subscription/status/get, one group and 50 users per request, except an alias-only user's, which are sent as declared); data points count each as a create, the most an adoption costs`,
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

/** The sentence naming the recorded users whose subscription groups a refresh cannot read, if any. */
function unreadGroupsOf(record: RecordedSet): string | undefined {
  const keys = Object.keys(record.users);
  const { unread } = planGroupReads(keys.map((key) => userOfStored(key, record.users[key])));
  return unread.length > 0 ? unreadGroupsText(unread.map((index) => keys[index])) : undefined;
}

/** A removed set's plan (in the record's order, the order its aliases are sent in) with its changes by key, as the report lists every set's. */
function byKey(plan: SetPlan): SetPlan {
  return { ...plan, changes: [...plan.changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

/** What an adopted create adds to its report: it reads Braze first, so its data points are an upper bound. */
const ADOPTED = {
  adopt: true,
  note: "read from Braze first (/users/export/ids): only what differs is sent, so its data points are the most it costs, and nothing is sent when Braze holds the same",
} as const;

/** One planner change as the report's changes: a label change becomes a delete and a create. */
function reportChanges(set: string, change: SetChange): ReportChange[] {
  const entries = (change as { entries?: EntryPlan }).entries;
  // An event or purchase to send costs its points; one checked first costs them only if it must be sent again (counted: the most).
  const entryPoints = [...(entries?.send ?? []), ...(entries?.verify ?? [])].reduce((sum, planned) => sum + countEntryPoints(planned.kind, planned.entry), 0);
  const sendsEntries = (entries?.send.length ?? 0) + (entries?.verify.length ?? 0) > 0;
  const track = (object: TrackAttributesObject | undefined) =>
    object || sendsEntries
      ? {
          dataPoints: (object ? countDataPoints(object) : 0) + entryPoints,
          sends: inEndpointOrder(["/users/track", ...(sendsEntries ? ["/users/export/ids"] : [])]),
        }
      : { dataPoints: 0, sends: [] };
  const withEntries = (parts: ChangePart[]) => [...parts, ...entryParts(entries)];
  switch (change.action) {
    case "create":
      return [
        {
          set,
          key: change.key,
          ...identity(change.user),
          action: "create",
          ...(change.adopt ? reading(attaching(track(change.object), change.attach), change.user) : attaching(track(change.object), change.attach)),
          parts: withEntries(createParts(change.user)),
          ...(change.adopt ? ADOPTED : {}),
        },
      ];
    case "update":
      return [
        {
          set,
          key: change.key,
          ...identity(change.user),
          action: "update",
          ...attaching(track(change.object), change.attach),
          parts: withEntries(updateParts(change.from, change.user, change.object)),
          ...(change.movedFrom === undefined ? {} : { movedFrom: change.movedFrom }),
        },
      ];
    case "rename":
    case "identify": {
      const sent = track(change.object);
      const renaming = change.action === "rename";
      return [
        {
          set,
          key: change.key,
          ...identity(change.user),
          action: change.action,
          dataPoints: sent.dataPoints,
          // A rename's aliases are checked before and after; an identification's external_id is read
          // first, so a user an up identified without an answer is not identified again.
          sends: inEndpointOrder([renaming ? "/users/alias/update" : "/users/identify", "/users/export/ids", ...sent.sends]),
          parts: withEntries(updateParts(renaming ? { ...change.from, alias: change.user.alias } : change.from, change.user, change.object)),
          ...(renaming
            ? { renamedFrom: change.from.alias }
            : {
                note: `the ${change.from.alias ? "alias-only" : "email-only"} user gains external_id ${JSON.stringify(change.user.externalId)} in place: the same Braze user, nothing deleted`,
              }),
          ...(change.movedFrom === undefined ? {} : { movedFrom: change.movedFrom }),
        },
      ];
    }
    case "rename_external_id": {
      const { current_external_id: from, new_external_id: to } = change.renameExternalId;
      const sent = attaching(track(change.object), change.attach);
      return [
        {
          set,
          key: change.key,
          ...identity(change.user),
          action: "rename_external_id",
          dataPoints: sent.dataPoints,
          // Both ids are read first, so an id an up renamed without an answer is not renamed again; the old id is removed after the attributes.
          sends: inEndpointOrder(["/users/external_ids/rename", "/users/external_ids/remove", "/users/export/ids", ...sent.sends]),
          parts: withEntries(updateParts({ ...change.from, externalId: change.user.externalId }, change.user, change.object)),
          note: `rename external_id ${JSON.stringify(from)} to ${JSON.stringify(to)}: the same Braze user keeps its data; the old id is then removed`,
          ...(change.movedFrom === undefined ? {} : { movedFrom: change.movedFrom }),
        },
      ];
    }
    case "replace": {
      const [from, to] = [identityKey(change.from), identityKey(change.user)];
      const created: ReportChange = {
        set,
        key: change.key,
        ...identity(change.user),
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
        ...identity(change.from),
        action: "delete",
        dataPoints: 0,
        sends: ["/users/delete"],
        parts: [],
        note: `the alias label changed (${from} to ${to}): the Braze user ${from} is deleted, with everything it holds, and a new one created`,
      };
      return [deleted, created];
    }
    case "delete":
      return [{ set, key: change.key, ...identity(change.from), action: "delete", dataPoints: 0, sends: ["/users/delete"], parts: [] }];
    case "forget":
      return [
        {
          set,
          key: change.key,
          ...identity(change.from),
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

/** How a report names a change's user: its external_id and alias, as far as it has them, else its email or phone. */
function identity(user: ManagedUser): Pick<ReportChange, "externalId" | "alias" | "email" | "phone"> {
  return {
    ...(user.externalId !== undefined ? { externalId: user.externalId } : {}),
    ...(user.alias ? { alias: user.alias } : {}),
    ...(user.email !== undefined ? { email: user.email } : {}),
    ...(user.phone !== undefined ? { phone: user.phone } : {}),
  };
}

/** A change's cost and endpoints, with /users/alias/new when it attaches an alias to an identified user. */
function attaching<T extends { sends: string[] }>(sent: T, attach: unknown): T {
  return attach ? { ...sent, sends: inEndpointOrder([...sent.sends, "/users/alias/new"]) } : sent;
}

/** An adopted user is read (/users/export/ids, and its declared groups by /subscription/status/get where it can be named) before anything is sent for it. */
function reading<T extends { sends: string[] }>(sent: T, user: ManagedUser): T {
  const groups = planGroupReads([user]).reads.length > 0 ? ["/subscription/status/get"] : [];
  return { ...sent, sends: inEndpointOrder([...sent.sends, "/users/export/ids", ...groups]) };
}

/** Endpoints once each, in ENDPOINTS' order. */
function inEndpointOrder(endpoints: string[]): string[] {
  return ENDPOINTS.filter((endpoint) => endpoints.includes(endpoint));
}
