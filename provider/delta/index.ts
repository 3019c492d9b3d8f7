// The delta: pure functions from recorded and desired user state to the
// minimal Braze calls. No I/O, no clock; the provider does the sending. What a
// user is lives in ../model, how users are written in state in ../encoding.
export { diffUser, isChange, type Hint, type PropertyChange, type UserDiff } from "./diff-user";
export { planCreate } from "./plan-create";
export { identifiedWhileUnsure, planUpdate, type UpdatePlan } from "./plan-update";
export { countDataPoints } from "./data-points";
export { exportFieldsFor, observedUser } from "./observed-user";
export { ExportShapeError } from "./export-shape-error";
export { aliasObject, wireIdentifier } from "./track-object";
export { attachmentOf } from "./plan-set";
export { RunDeletes } from "./run-deletes";
