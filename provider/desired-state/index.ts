// The desired-state file: the YAML people write, checked against
// schema/desired-state.schema.json and turned into the domain types the delta uses.
export { loadDesiredState, parseDesiredState, readDesiredStateText } from "./load";
export { DesiredStateUnreadableError } from "./desired-state-unreadable-error";
export { DesiredStateError, formatIssue, type DesiredStateIssue } from "./desired-state-error";
export type { DesiredEvent, DesiredPurchase, DesiredState, DesiredUser } from "./desired-state";
export { EVENT_TIME_EXPECTED, isEventTime, relativeEventTimeOffset, resolveEventTime } from "../model/event-time";
export type { AttributeValue, ManagedUser, NestedObject, NestedValue, SubscriptionState, UserAlias } from "../model/managed-user";
export { entryProblems, userProblems, type UserCheckOptions, type UserProblem } from "./user-problems";
export { toManagedAttributes, type UserAttributes } from "./user-attributes";
export { STRING_ARRAY_MAX_ITEMS_KEY, type WorkspaceLimits } from "./string-array-findings";
