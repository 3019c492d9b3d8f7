// What `braze-profiles plan` (plan/) uses of the provider, and the only module
// of provider/ it imports (test/unit/layering.test.ts checks this): the planner
// the provider runs, the plan of a removed set its delete carries out, the
// requests its sends take, the budgets, the likely renames it refuses, how sets and records are read from
// state, and the settings it reads from config. The plan counts with the
// provider's own functions, so a change to how the provider plans or sends
// changes the plan with it.
export type { TrackAttributesObject } from "./braze/wire-types";
export { trackCaps, type TrackCaps } from "./braze/track-packing";
export { diffUser, type PropertyChange } from "./delta/diff-user";
export { createParts, entryParts, updateParts, type ChangePart, type PartKind } from "./delta/change-parts";
export { partText, valueText } from "./delta/part-text";
export { judgeBudgets, PLAN_PREVIEW_VARIABLE, type Budgets } from "./delta/budgets";
export { likelyRenamesOf, type LikelyRename } from "./delta/likely-renames";
export { countDataPoints, countEntryPoints } from "./delta/data-points";
export type { EntryPlan } from "./delta/plan-entries";
export { planRemovedSet, planSet, type SetChange, type SetPlan } from "./delta/plan-set";
export { requestsOf, SET_ENDPOINTS, type SetEndpoint } from "./delta/set-sends";
export { decodeRecord } from "./encoding/record-codec";
export { EMPTY_RECORD, type RecordedSet } from "./encoding/recorded-set";
export { identityKeyOfStored, userOfStored } from "./encoding/stored-text";
export { planGroupReads, unreadGroupsText } from "./delta/group-reads";
export { textsOfShards } from "./encoding/user-shards";
export { aliasKey, identityKey, type ManagedUser, type UserAlias } from "./model";
export { USER_SET_TYPE, USER_TYPE } from "./resource-types";
export { resolveSettings } from "./runtime/settings";
export { SettingsError } from "./runtime/settings-error";
