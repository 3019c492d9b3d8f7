// Refresh: a user's push tokens as Braze holds them, from the `push_tokens` of
// POST /users/export/ids: `[{app, platform, token, device_id,
// notifications_enabled}]`, where `app` is the app's name, not the app_id the
// tokens were sent with (https://www.braze.com/docs/api/endpoints/export/user_data/post_users_identifier/).
// Pure.
import type { NestedObject } from "../model/managed-user";
import { isPlainObject } from "../model/value-kinds";
import { ExportShapeError } from "./export-shape-error";

/**
 * The recorded tokens Braze still holds, in their recorded spelling and order,
 * then every token Braze holds that the record does not, sorted by token. A
 * recorded token is held when a held token has its token and, if the record
 * gives one, its device_id (Braze makes a device_id up when none is sent).
 * The app is not compared: the export names it, the file gives its id, and a
 * token belongs to one app anyway; a token the record lacks shows the app's
 * name as its app_id. Undefined when Braze holds none.
 * @throws ExportShapeError when `held` is not a list of tokens.
 */
export function observedPushTokens(recorded: readonly NestedObject[], held: unknown): NestedObject[] | undefined {
  if (held === undefined || held === null) return undefined;
  if (!Array.isArray(held) || !held.every((token) => isPlainObject(token) && typeof token.token === "string")) {
    throw new ExportShapeError("push_tokens", held, "a list of {app, token, device_id}");
  }
  const unmatched = [...(held as NestedObject[])];
  const kept: NestedObject[] = [];
  for (const token of recorded) {
    const at = unmatched.findIndex((heldToken) => samePushToken(token, heldToken));
    if (at < 0) continue;
    unmatched.splice(at, 1);
    kept.push(token);
  }
  const others = unmatched
    .map(
      (token): NestedObject => ({
        app_id: String(token.app ?? ""),
        token: token.token as string,
        ...(typeof token.device_id === "string" ? { device_id: token.device_id } : {}),
      }),
    )
    .sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
  const all = [...kept, ...others];
  return all.length > 0 ? all : undefined;
}

/** One device's token: the same token, on the same device when both name one (Braze makes a device_id up when none is sent). */
export function samePushToken(a: NestedObject, b: NestedObject): boolean {
  return a.token === b.token && (a.device_id === undefined || b.device_id === undefined || a.device_id === b.device_id);
}
