// From what Pulumi prints to what the planner needs: the recorded state of every
// BrazeUserSet (`pulumi stack export`) and the steps `pulumi preview --json`
// plans (the desired users of each set that changes, the sets created and
// deleted), to one PlanInput. Pure: the parsed documents in, the input out.
// Preview calls only each resource's check and diff, which never contact Braze.
import {
  aliasKey,
  identityKeyOfStored,
  decodeRecord,
  EMPTY_RECORD,
  resolveSettings,
  SettingsError,
  textsOfShards,
  trackCaps,
  USER_SET_TYPE,
  USER_TYPE,
  type Budgets,
  type TrackCaps,
} from "../provider/plan-api";
import type { PlanInput, SetOperation, SetToPlan, UnplannedChange } from "./plan-report";
import { PlanError } from "./plan-error";

/** The value the engine puts where an input is not known yet during a preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** What `pulumi preview --json` prints for a secret config value. */
const SECRET_PLACEHOLDER = "[secret]";

export interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: StateResource;
  newState?: StateResource;
}

/** The parts of `pulumi preview --json` the plan reads. */
export interface PreviewDocument {
  steps?: PreviewStep[];
  /** The stack's config, secrets shown as "[secret]". */
  config?: Record<string, string>;
}

/** The parts of `pulumi stack export` the plan reads. */
export interface StateDocument {
  deployment?: { resources?: StateResource[] };
}

interface Tracked {
  type: string;
  /** State before the run (refreshed when the preview refreshed). */
  before?: StateResource;
  /** State the program declares (undefined when the resource leaves the program). */
  after?: StateResource;
  operation: SetOperation | "replace";
  stepOp?: string;
}

export function planInputOf(
  state: StateDocument,
  preview: PreviewDocument,
  options: { stack?: string; refreshed: boolean; env?: Record<string, string | undefined> },
): PlanInput {
  const tracked = new Map<string, Tracked>();
  for (const resource of state.deployment?.resources ?? []) {
    if (resource.type === USER_SET_TYPE || resource.type === USER_TYPE) {
      tracked.set(resource.urn, { type: resource.type, before: resource, after: resource, operation: "same" });
    }
  }
  const steps = preview.steps ?? [];
  // A refresh step carries what Braze holds now: the state the rest of the run starts from.
  for (const step of steps) {
    if (step.op !== "refresh" || !step.newState) continue;
    const entry = tracked.get(step.urn);
    if (entry) Object.assign(entry, { before: step.newState, after: step.newState });
  }
  for (const step of steps) {
    const type = step.newState?.type ?? step.oldState?.type;
    if ((type !== USER_SET_TYPE && type !== USER_TYPE) || step.op === "refresh" || step.op === "same") continue;
    const known = tracked.get(step.urn);
    const entry: Tracked = known ?? { type, operation: "create" };
    entry.stepOp = step.op;
    switch (step.op) {
      case "create":
        Object.assign(entry, { before: undefined, after: step.newState, operation: "create" });
        break;
      case "update":
        Object.assign(entry, { before: step.oldState ?? entry.before, after: step.newState, operation: "update" });
        break;
      case "delete":
        Object.assign(entry, { before: step.oldState ?? entry.before, after: undefined, operation: "delete" });
        break;
      default:
        // replace, create-replacement, delete-replaced, import…: a set's provider never asks for
        // these, so only a BrazeUser (whose label change is a replacement) meets them.
        Object.assign(entry, { after: step.newState ?? entry.after, operation: "replace" });
    }
    tracked.set(step.urn, entry);
  }

  const sets: SetToPlan[] = [];
  const unplanned: UnplannedChange[] = [];
  const declarations = new Map<string, string[]>();
  const declare = (id: string, declarer: string) => {
    const list = declarations.get(id) ?? [];
    if (!list.includes(declarer)) list.push(declarer);
    declarations.set(id, list);
  };
  for (const [urn, entry] of [...tracked].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = nameOf(urn, entry.after ?? entry.before);
    if (entry.type === USER_TYPE) {
      const alias = entry.after?.inputs?.alias as { name?: unknown; label?: unknown } | undefined;
      if (alias && typeof alias.name === "string" && typeof alias.label === "string" && alias.name !== UNKNOWN && alias.label !== UNKNOWN) {
        declare(aliasKey({ name: alias.name, label: alias.label }), `BrazeUser ${JSON.stringify(name)}`);
      }
      if (entry.stepOp !== undefined) unplanned.push({ resource: `BrazeUser ${JSON.stringify(name)}`, operation: entry.stepOp });
      continue;
    }
    if (entry.operation === "replace") {
      throw new PlanError({
        where: `BrazeUserSet ${JSON.stringify(name)}`,
        what: `the preview plans a "${entry.stepOp}" of the set, which a set's provider never asks for`,
        hint: `run "pulumi preview --diff" to see why`,
      });
    }
    const desired = entry.operation === "delete" ? {} : desiredUsersOf(name, entry.after);
    for (const [key, text] of Object.entries(desired)) declare(identityKeyOfStored(key, text), `BrazeUserSet ${JSON.stringify(name)}`);
    sets.push({ name, operation: entry.operation, record: entry.operation === "create" ? EMPTY_RECORD : recordOf(name, entry.before), desired });
  }

  return {
    stack: options.stack ?? stackOfUrn(steps[0]?.urn ?? state.deployment?.resources?.[0]?.urn) ?? "(current stack)",
    sets,
    declarations,
    ...settingsOf(preview.config ?? {}, options.env ?? {}),
    unplanned,
    refreshed: options.refreshed,
  };
}

function desiredUsersOf(name: string, resource: StateResource | undefined): Record<string, string> {
  const shards = resource?.inputs?.shards;
  if (shards === UNKNOWN || (typeof shards === "object" && shards !== null && Object.values(shards).includes(UNKNOWN))) {
    throw new PlanError({
      where: `BrazeUserSet ${JSON.stringify(name)}`,
      what: `its users depend on values known only during "pulumi up" (outputs of other resources), so no exact plan can be made before it`,
      hint: "build the set's users from plain values",
    });
  }
  if (typeof shards !== "object" || shards === null || Array.isArray(shards)) {
    throw new PlanError({
      where: `BrazeUserSet ${JSON.stringify(name)}`,
      what: "the preview carries no users for it",
      hint: "check that the program's pulumi-braze-profiles is the same version as this command's",
    });
  }
  try {
    return textsOfShards(shards as Record<string, unknown>);
  } catch (error) {
    throw new PlanError({ where: `BrazeUserSet ${JSON.stringify(name)}`, what: (error as Error).message, cause: error });
  }
}

function recordOf(name: string, resource: StateResource | undefined) {
  try {
    return decodeRecord(resource?.outputs?.record);
  } catch (error) {
    throw new PlanError({ where: `BrazeUserSet ${JSON.stringify(name)}`, what: (error as Error).message, cause: error });
  }
}

/** The limits and batch size the provider will read from the same config (provider/runtime/settings.ts). */
function settingsOf(config: Record<string, string>, env: Record<string, string | undefined>): { budgets: Budgets; trackCaps: TrackCaps } {
  for (const key of ["braze:maxDeletes", "braze:maxDataPoints", "braze:maxObjectsPerRequest", "braze:objectCapScope"]) {
    if (config[key] === SECRET_PLACEHOLDER)
      throw new PlanError({
        where: key,
        what: "its value is a secret, so the plan cannot read it",
        hint: `set it as plain config ("pulumi config set ${key} <n>")`,
      });
  }
  try {
    // The plan sends nothing, so it needs no key: a stand-in keeps the key out of this process.
    const settings = resolveSettings({ get: (key) => (key === "braze:apiKey" ? "not-needed-for-a-plan" : config[key]) }, env);
    return { budgets: settings.budgets, trackCaps: trackCaps(settings.maxObjectsPerRequest, settings.capScope) };
  } catch (error) {
    if (error instanceof SettingsError) throw new PlanError({ where: `stack config ${error.where}`, what: error.what, hint: error.hint, cause: error });
    throw error;
  }
}

function nameOf(urn: string, resource: StateResource | undefined): string {
  const name = resource?.inputs?.name;
  return typeof name === "string" && name !== UNKNOWN ? name : urn.slice(urn.lastIndexOf("::") + 2);
}

/** `urn:pulumi:<stack>::<project>::…` -> the stack. */
function stackOfUrn(urn: string | undefined): string | undefined {
  const match = urn === undefined ? null : /^urn:pulumi:([^:]+)::/.exec(urn);
  return match ? match[1] : undefined;
}
