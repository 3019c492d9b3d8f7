// The fix, said in the message, for the mistakes people make most with YAML
// values: `null` to remove something, a phone number YAML reads as a number, a
// time YAML reads as a number, a purchase of more units than Braze takes.
import { PURCHASE_MAX_QUANTITY } from "../../braze-facts/limits";
import { EVENT_TIME_EXPECTED, isAbsoluteEventTime } from "../model/event-time";
import type { Finding, Segment } from "./schema-issues";

/** Where a finding sits within one user: an attribute or a subscription group, by name. */
function userField(segments: readonly Segment[]): { container: string; name: Segment } | undefined {
  // A file's path starts users[i]; a user declared in TypeScript is checked on its own.
  const start = segments[0] === "users" && typeof segments[1] === "number" ? 2 : 0;
  if (segments.length !== start + 2) return undefined;
  return { container: String(segments[start]), name: segments[start + 1] };
}

/** Where a finding sits within an event or purchase: `events` or `purchases`, and the field's name. */
function entryField(segments: readonly Segment[]): { list: string; name: Segment } | undefined {
  // A file's path starts users[i]; entries declared in TypeScript are checked on their own.
  const start = segments[0] === "users" && typeof segments[1] === "number" ? 2 : 0;
  if (segments.length !== start + 3 || typeof segments[start + 1] !== "number") return undefined;
  const list = segments[start];
  return list === "events" || list === "purchases" ? { list, name: segments[start + 2] } : undefined;
}

/** The finding with the fix in its message when one is known; `value` is the value it is about. */
export function withHint(finding: Finding, value: unknown): Finding {
  if (finding.target !== "value") return finding;
  const entry = entryField(finding.segments);
  if (entry?.name === "time" && value !== undefined && typeof value !== "string") {
    // `time: -3` is a number to YAML; the schema would only say "must be a string".
    return { ...finding, message: `must be ${EVENT_TIME_EXPECTED} (got ${JSON.stringify(value)})` };
  }
  if (entry?.name === "time" && typeof value === "string" && isAbsoluteEventTime(`${value}Z`)) {
    return {
      ...finding,
      message: `needs a time zone (got ${JSON.stringify(value)}): add Z for UTC (${value}Z) or an offset such as +02:00, so the time does not depend on how it is read`,
    };
  }
  if (entry?.list === "purchases" && entry.name === "quantity" && typeof value === "number" && Number.isInteger(value) && value > PURCHASE_MAX_QUANTITY) {
    return {
      ...finding,
      message: `must be at most ${PURCHASE_MAX_QUANTITY} (got ${value}): Braze takes at most ${PURCHASE_MAX_QUANTITY} units in one purchase; split it into several purchases, each with its own id`,
    };
  }
  const field = userField(finding.segments);
  if (field === undefined) return finding;
  if (value === null && field.container === "attributes") {
    return { ...finding, message: "is null: to remove an attribute, delete its line (null is not a value here)" };
  }
  if (value === null && field.container === "subscription_groups") {
    return { ...finding, message: 'is null: to stop managing this group, delete its line; a state is "subscribed" or "unsubscribed"' };
  }
  if (field.container === "attributes" && field.name === "phone" && typeof value === "number" && Number.isSafeInteger(value) && value > 0) {
    return { ...finding, message: `must be text: YAML reads an unquoted phone number as a number; quote it: "+${value}"` };
  }
  return finding;
}
