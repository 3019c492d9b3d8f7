// The delta: pure functions from recorded and desired user state to the
// minimal Braze calls. No I/O, no clock; the provider does the sending.
export type { AttributeValue, ManagedUser, NestedObject, NestedValue, SubscriptionState, UserAlias } from "./managed-user";
export { aliasKey } from "./managed-user";
export { aliasObject } from "./track-object";
export { diffUser, isChange, type Hint, type PropertyChange, type UserDiff } from "./diff-user";
export { planCreate } from "./plan-create";
export { planUpdate, type UpdatePlan } from "./plan-update";
export { countDataPoints } from "./data-points";
export { exportFieldsFor, observedUser } from "./observed-user";
export { ExportShapeError } from "./export-shape-error";
export { formatPropertyPath } from "./property-path";
