// Push tokens on a profile: the `push_tokens` standard field of /users/track's
// attributes object, how a sent list joins the stored one, and the shape
// /users/export/ids answers. Pure: a missing device_id is made by the caller's
// generator.
import { isPlainObject, type JsonValue } from "../values";

/** As Braze's user attributes object takes it: `{app_id, token, device_id?}`. */
export interface PushToken {
  app_id: string;
  token: string;
  device_id: string;
}

const TOKEN_KEYS = new Set(["app_id", "token", "device_id"]);
const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

/**
 * The problem with a sent `push_tokens` value, or undefined when it is a list
 * of `{"app_id": string, "token": string, "device_id"?: string}`
 * (https://www.braze.com/docs/api/objects_filters/user_attributes_object/).
 * Keys Braze does not document are refused rather than dropped.
 */
export function pushTokensProblem(value: JsonValue): string | undefined {
  const shape = 'must be a list of {"app_id": string, "token": string, "device_id"?: string}';
  if (!Array.isArray(value)) return shape;
  for (const [index, entry] of value.entries()) {
    if (!isPlainObject(entry) || !nonEmpty(entry.app_id) || !nonEmpty(entry.token) || (entry.device_id !== undefined && !nonEmpty(entry.device_id))) {
      return `${shape}; entry ${index} is not`;
    }
    const unknown = Object.keys(entry).filter((key) => !TOKEN_KEYS.has(key));
    if (unknown.length > 0) return `${shape}; entry ${index} has unknown key ${unknown.map((key) => `'${key}'`).join(", ")}`;
  }
  return undefined;
}

/**
 * The stored tokens after `sent` joins them. A device holds one token per app,
 * and a token names one device: a sent token replaces a stored one of the same
 * app with the same token or the same device, and the others stay (Braze
 * documents no way to remove a token through /users/track, so leaving a token
 * out of a later request does not remove it). A token sent without a
 * device_id gets a generated one, as Braze's user attributes object describes
 * (https://www.braze.com/docs/api/objects_filters/user_attributes_object/).
 */
export function mergePushTokens(stored: JsonValue | undefined, sent: readonly JsonValue[], newDeviceId: () => string): PushToken[] {
  let tokens = (Array.isArray(stored) ? stored : []) as unknown as PushToken[];
  for (const entry of sent as unknown as Array<Partial<PushToken> & Pick<PushToken, "app_id" | "token">>) {
    const token: PushToken = { app_id: entry.app_id, token: entry.token, device_id: entry.device_id ?? newDeviceId() };
    tokens = tokens.filter((held) => held.app_id !== token.app_id || (held.token !== token.token && held.device_id !== token.device_id));
    tokens = [...tokens, token];
  }
  return tokens;
}

/**
 * `push_tokens` as /users/export/ids answers it: `[{app, platform, token,
 * device_id, notifications_enabled}]`, where `app` is the app's name
 * (https://www.braze.com/docs/api/endpoints/export/user_data/post_users_identifier/).
 * A local workspace has no apps: `app` holds the app_id the token was sent
 * with, and `platform` and `notifications_enabled`, which only Braze's app
 * settings and SDKs know, are left out ("if a field is missing from the object
 * it should be assumed to be null or empty").
 */
export function exportedPushTokens(stored: JsonValue | undefined): Array<{ app: string; token: string; device_id: string }> {
  return ((Array.isArray(stored) ? stored : []) as unknown as PushToken[]).map((token) => ({
    app: token.app_id,
    token: token.token,
    device_id: token.device_id,
  }));
}
