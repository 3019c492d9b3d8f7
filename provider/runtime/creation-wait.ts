// Entries of a user Braze does not hold yet wait until Braze shows the user.
// Every event and purchase goes with `_update_existing_only: true` (Braze makes
// it always true for an alias, https://www.braze.com/docs/api/objects_filters/event_object/),
// so one applied before its user's creating attributes is dropped without an
// error. Braze answers /users/track once the objects are "queued to be
// processed" (https://www.braze.com/docs/api/endpoints/user_data/post_user_track/)
// and no page of its docs guarantees that attributes are processed before
// events, within a request or across requests. So a new user's attributes go
// first, alone, and its entries only once /users/export/ids shows the user.
import { SharedAddressError } from "../braze/errors/shared-address-error";
import type { BrazeUsersApi } from "../braze/users-api";
import type { TrackAttributesObject, UserIdentifier } from "../braze/wire-types";
import { RENAME_POLL_MAX_MS, RENAME_POLL_START_MS } from "./user-provider";

/**
 * How long a created user may take to show in /users/export/ids before its
 * entries are left for the next run (ms). Braze applies /users/track usually
 * within a second; a minute covers a slow queue without holding a run long.
 */
export const CREATION_VISIBILITY_TIMEOUT_MS = 60_000;

/**
 * What to do with the entries of a user, given whether Braze holds it before
 * anything is sent: `send` them (it exists), `wait` for its creating
 * attributes to be applied, or hold them as `orphaned` (nothing of this run
 * creates it: they would be dropped).
 */
export type EntryTiming = "send" | "wait" | "orphaned";

export function entryTiming(held: boolean, object: TrackAttributesObject | undefined): EntryTiming {
  if (held) return "send";
  return object?._update_existing_only === false ? "wait" : "orphaned";
}

export interface WaitOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Reads the users (50 to an export request) until each shows or the timeout
 * passes, the pause doubling between reads. Returns, per user, whether it
 * showed. The first read is at once: a synchronous-looking Braze costs one
 * export request per 50 users. A rename's new alias is waited for the same way.
 */
export async function waitUntilShown(
  api: BrazeUsersApi,
  identifiers: readonly UserIdentifier[],
  options: WaitOptions,
  timeoutMs: number,
  fields: readonly string[],
  onShared: (index: number, error: SharedAddressError) => void = () => undefined,
): Promise<boolean[]> {
  const shown = identifiers.map(() => false);
  let waiting = identifiers.map((_, index) => index);
  const deadline = options.now() + timeoutMs;
  for (let pause = RENAME_POLL_START_MS; waiting.length > 0; pause = Math.min(pause * 2, RENAME_POLL_MAX_MS)) {
    const found = await api.exportAll(
      waiting.map((index) => identifiers[index]),
      [...fields],
    );
    waiting = waiting.filter((index, position) => {
      const outcome = found[position];
      shown[index] = outcome.ok && outcome.value !== undefined;
      // Several profiles hold an email-only user's address: waiting longer cannot tell which is the user's.
      if (!outcome.ok && outcome.error instanceof SharedAddressError) {
        onShared(index, outcome.error);
        return false;
      }
      return !shown[index];
    });
    if (waiting.length === 0 || options.now() + pause > deadline) break;
    await options.sleep(pause);
  }
  return shown;
}

/** waitUntilShown for users this run creates, given CREATION_VISIBILITY_TIMEOUT_MS. */
export function waitUntilHeld(
  api: BrazeUsersApi,
  identifiers: readonly UserIdentifier[],
  options: WaitOptions,
  onShared?: (index: number, error: SharedAddressError) => void,
): Promise<boolean[]> {
  return waitUntilShown(api, identifiers, options, CREATION_VISIBILITY_TIMEOUT_MS, ["braze_id"], onShared);
}
