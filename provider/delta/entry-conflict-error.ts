import { BrazeProfilesError } from "../../errors/braze-profiles-error";
import type { EntryConflict } from "./plan-entries";

/**
 * The file changed events or purchases Braze already logged: Braze can neither
 * change nor delete a logged event, so the whole up is refused before anything
 * is sent. Names each entry by user key and id.
 */
export class EntryConflictError extends BrazeProfilesError {
  override readonly name = "EntryConflictError";

  constructor(
    /** e.g. `BrazeUserSet "users"`. */
    readonly resource: string,
    readonly conflicts: readonly EntryConflict[],
  ) {
    super({
      where: resource,
      what: `nothing was sent: ${conflicts.length === 1 ? "1 event or purchase" : `${conflicts.length} events or purchases`} changed after Braze logged them`,
      // Each detail says what to do with its entry (restore it, or give it a new id).
      details: conflicts.map((conflict) => `users[${JSON.stringify(conflict.key)}].${conflict.ref}: ${conflict.reason}`),
    });
  }
}
