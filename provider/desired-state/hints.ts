// The fix, said in the message, for the mistakes people make most with YAML
// values: `null` to remove something, and a phone number YAML reads as a number.
import type { Finding, Segment } from "./schema-issues";

/** Where a finding sits within one user: an attribute or a subscription group, by name. */
function userField(segments: readonly Segment[]): { container: string; name: Segment } | undefined {
  // A file's path starts users[i]; a user declared in TypeScript is checked on its own.
  const start = segments[0] === "users" && typeof segments[1] === "number" ? 2 : 0;
  if (segments.length !== start + 2) return undefined;
  return { container: String(segments[start]), name: segments[start + 1] };
}

/** The finding with the fix in its message when one is known; `value` is the value it is about. */
export function withHint(finding: Finding, value: unknown): Finding {
  if (finding.target !== "value") return finding;
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
