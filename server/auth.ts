// API keys and their permissions. Keys live in memory only: they are never
// logged, written to the database or echoed in an answer.
import { OptionError } from "./errors/option-error";

/** The permissions this server checks, one per endpoint. */
export const ENDPOINT_PERMISSIONS: Readonly<Record<string, string>> = {
  "/subscription/status/get": "subscription.status.get",
  "/subscription/user/status": "subscription.groups.get",
  "/users/track": "users.track",
  "/users/export/ids": "users.export.ids",
  "/users/delete": "users.delete",
  "/users/alias/new": "users.alias.new",
  "/users/alias/update": "users.alias.update",
  "/users/identify": "users.identify",
  "/users/external_ids/rename": "users.external_ids.rename",
  "/users/external_ids/remove": "users.external_ids.remove",
};

export const ALL_PERMISSIONS: readonly string[] = Object.values(ENDPOINT_PERMISSIONS);

/** The key accepted when started without `--api-key` (defined with the facts the provider shares). */
export { DEVELOPMENT_API_KEY } from "../braze-facts/local-server";

export interface ApiKey {
  key: string;
  /** Permissions the key carries; every user-data permission when absent. */
  permissions?: readonly string[];
}

/** Reads `KEY` or `KEY:perm1,perm2` (the `--api-key` form). */
export function parseApiKey(text: string): ApiKey {
  const separator = text.indexOf(":");
  const key = separator < 0 ? text : text.slice(0, separator);
  if (key === "") throw new OptionError("--api-key", "needs a non-empty key");
  if (separator < 0) return { key };
  const permissions = text
    .slice(separator + 1)
    .split(",")
    .map((permission) => permission.trim())
    .filter(Boolean);
  const unknown = permissions.filter((permission) => !ALL_PERMISSIONS.includes(permission));
  if (unknown.length > 0) throw new OptionError("--api-key", `unknown permission ${unknown.join(", ")}`, `use a comma list of ${ALL_PERMISSIONS.join(", ")}`);
  return { key, permissions };
}

export type AuthOutcome = { ok: true } | { ok: false; status: 401 | 403; message: string };

export class ApiKeys {
  readonly #keys: Map<string, ReadonlySet<string>>;

  constructor(keys: readonly ApiKey[]) {
    this.#keys = new Map(keys.map(({ key, permissions }) => [key, new Set(permissions ?? ALL_PERMISSIONS)]));
  }

  /** Checks `Authorization: Bearer <key>` for `permission`. A quoted key is a wrong key, as at Braze. */
  check(authorization: string | undefined, permission: string): AuthOutcome {
    const key = bearerKey(authorization);
    const permissions = key === undefined ? undefined : this.#keys.get(key);
    if (!permissions) return { ok: false, status: 401, message: "Invalid API key" };
    if (!permissions.has(permission)) return { ok: false, status: 403, message: `Access Denied: the API key lacks the '${permission}' permission` };
    return { ok: true };
  }
}

export function bearerKey(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}
