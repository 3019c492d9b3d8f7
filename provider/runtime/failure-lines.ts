// The lines a partly failed set send reports, one per reason the engine prints.
// The engine prints each reason as an item of `N errors occurred:`, so users
// failed for one cause (Braze unreachable: every user, the same message) are one
// line naming how many and which, not one line per user repeating the cause.
import { formatPropertyPath } from "../model/property-path";
import type { SendFailure } from "./user-set-send";

/** Users a grouped line names before `and N more`: enough to find them, short enough to read. */
const USERS_NAMED_PER_LINE = 3;

/**
 * One line per distinct message, in the order of the failures (so what Braze
 * refused first stays first): `users["qa/ada"]: <message>` for one user,
 * `25 users (users["qa/u0"], users["qa/u1"], users["qa/u2"] and 22 more): <message>` for several.
 * At most `max` lines; a last line says how many more and where to find them.
 */
export function failureLines(failures: readonly SendFailure[], max: number): string[] {
  const byMessage = new Map<string, string[]>();
  for (const failure of failures) {
    const keys = byMessage.get(failure.message);
    if (keys) keys.push(failure.key);
    else byMessage.set(failure.message, [failure.key]);
  }
  const lines = [...byMessage].map(([message, keys]) => `${usersNamed(keys)}: ${message}`);
  if (lines.length <= max) return lines;
  return [...lines.slice(0, max), `… and ${lines.length - max} more (see the set's "pending" output)`];
}

function usersNamed(keys: readonly string[]): string {
  const paths = keys.map((key) => formatPropertyPath(["users", key]));
  if (paths.length === 1) return paths[0];
  const named = paths.slice(0, USERS_NAMED_PER_LINE).join(", ");
  const rest = paths.length - USERS_NAMED_PER_LINE;
  return `${paths.length} users (${rest > 0 ? `${named} and ${rest} more` : named})`;
}
