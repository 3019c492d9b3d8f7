// How one part of a change is worded, for a person: `braze-profiles plan`'s
// table and markdown, and the set's preview (./set-changes.ts), so a change
// reads the same wherever it is shown. Pure.
import type { ChangePart } from "./change-parts";

/** Longest value shown in a part before it is cut (the plan's JSON keeps every value whole): an event or purchase with a few properties shows whole. */
const MAX_VALUE_CHARS = 120;

export function valueText(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/** What the part names: `attribute plan`, `subscription group g`, `event signup`. */
export function partSubject(part: ChangePart): string {
  return `${part.kind.replace(/_/g, " ")} ${part.name}`;
}

/** `attribute plan: "free" → "pro"`, `subscription group g: released (Braze keeps "subscribed"; nothing sent)`. */
export function partText(part: ChangePart): string {
  return `${partSubject(part)}: ${partChangeText(part)}`;
}

/** What happens to the part, without naming it: `"free" → "pro"`. */
export function partChangeText(part: ChangePart): string {
  switch (part.change) {
    case "added":
      return valueText(part.to);
    case "removed":
      return `${valueText(part.from)} → removed (sent as null)`;
    case "modified":
      return `${valueText(part.from)} → ${valueText(part.to)}`;
    case "resent":
      return `${valueText(part.to)} (sent again: its last request's outcome is unknown)`;
    case "checked":
      return `${valueText(part.to)} (an earlier request's answer was lost: sent only if Braze's counts show it did not arrive)`;
    case "released":
      return part.kind === "event" || part.kind === "purchase"
        ? "left the file (Braze keeps what it logged; nothing sent)"
        : `no longer managed (Braze keeps ${valueText(part.from)}; nothing sent)`;
    default: {
      const never: never = part.change;
      throw new Error(`unknown part change ${String(never)}`);
    }
  }
}
