// The four ups of the task, in order, each with the least any client could send:
// ceil(changed users / cap) requests and the changed values only.
import { countDataPoints } from "../provider/delta";
import type { ManagedUser } from "../provider/model";
import { IDENTIFIERS_PER_REQUEST, TRACK_MAX_OBJECTS } from "../provider/braze/users-api";
import { fullStateObject } from "./baselines";
import { changeOneAttribute, generatePersonas, removeUsers, type PersonaIdentity } from "./personas";

export type ScenarioName = string;

export interface Scenario {
  name: ScenarioName;
  /** The desired users after this step. */
  users: ManagedUser[];
  /** Users removed by this step (deleted by every client). */
  removed: ManagedUser[];
  minimum: { requests: number; objects: number; dataPoints: number };
}

/** braze-local as a workspace on a legacy contract (75 objects per array), so figures stay comparable across releases. */
export const LEGACY_REQUEST_CAP = "per-array-75";
/** The stack config of the benchmarks' stacks: 75 objects per array, LEGACY_REQUEST_CAP's caps, so the provider sends at the minimum counted here. */
export const LEGACY_CAPS = { "braze:maxObjectsPerRequest": { value: String(TRACK_MAX_OBJECTS) }, "braze:objectCapScope": { value: "per-array" } };

export const CHANGED_FRACTION = 0.1;
export const REMOVED_FRACTION = 0.05;

/**
 * The four ups; `changedFraction` of the users change one attribute in the
 * second. Identifiers are free and /users/delete takes 50 external_ids as it
 * takes 50 aliases, so the minimum is the same however the personas are identified.
 */
export function buildScenarios(userCount: number, changedFraction = CHANGED_FRACTION, identity: PersonaIdentity = "alias"): Scenario[] {
  const initial = generatePersonas(userCount, undefined, identity);
  const { users: changedUsers, changed } = changeOneAttribute(initial, changedFraction);
  const { users: remaining, removed } = removeUsers(changedUsers, REMOVED_FRACTION);
  // Every value of a new user is new: its full object is the least that creates it.
  const createPoints = initial.reduce((sum, user) => sum + countDataPoints(fullStateObject(user)), 0);
  return [
    {
      name: "create",
      users: initial,
      removed: [],
      minimum: { requests: Math.ceil(userCount / TRACK_MAX_OBJECTS), objects: userCount, dataPoints: createPoints },
    },
    // Each changed user changed one scalar: one object and one data point each.
    {
      name: `update ${changedFraction * 100}%`,
      users: changedUsers,
      removed: [],
      minimum: { requests: Math.ceil(changed / TRACK_MAX_OBJECTS), objects: changed, dataPoints: changed },
    },
    { name: "no change", users: changedUsers, removed: [], minimum: { requests: 0, objects: 0, dataPoints: 0 } },
    // Deletes are not data points; /users/delete takes 50 aliases per request.
    {
      name: "remove 5%",
      users: remaining,
      removed,
      minimum: { requests: Math.ceil(removed.length / IDENTIFIERS_PER_REQUEST), objects: removed.length, dataPoints: 0 },
    },
  ];
}
