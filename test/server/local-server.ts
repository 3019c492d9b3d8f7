// Starts braze-local for one test file on a free port with a fresh data folder,
// and talks to it over real HTTP.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as assert from "uvu/assert";
import { DEVELOPMENT_API_KEY, startBrazeLocal, type BrazeLocal, type BrazeLocalOptions } from "../../server";

/**
 * The request-cap regime of test servers that do not choose one. braze-local's
 * own default is Braze's current one, "combined-75", but the provider still
 * packs up to 75 objects per array (225 a request), which only the legacy
 * regime takes. Delete this constant (and its use) once the provider packs
 * within 75 objects a request; tests of the caps choose their regime.
 */
export const TEST_SERVER_REQUEST_CAP = "per-array-75";

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestServer {
  server: BrazeLocal;
  url: string;
  dataDir: string;
  post(route: string, body: unknown, key?: string | null): Promise<Answer>;
  postRaw(route: string, text: string, key?: string | null): Promise<Answer>;
  get(route: string): Promise<any>;
  /** A GET to one of Braze's read endpoints with the test key: status, headers and parsed body. */
  getApi(route: string, key?: string | null): Promise<Answer>;
  users(): Promise<any[]>;
  requests(): Promise<any[]>;
  /** The requests logged since the last call (path and request body), oldest first. */
  newRequests(): Promise<Array<{ path: string; body: any }>>;
  stats(): Promise<any>;
  reset(): Promise<void>;
  /** Exports one user by alias with every field. */
  exportAlias(label: string, name: string, fields?: string[]): Promise<any>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: BrazeLocalOptions = {},
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-local-test-")),
): Promise<TestServer> {
  const server = await startBrazeLocal({ port: 0, dataDir, log: () => {}, requestCap: TEST_SERVER_REQUEST_CAP, ...options });
  // Requests go with the first configured key unless told otherwise.
  const first = options.apiKeys?.[0];
  const defaultKey = first === undefined ? DEVELOPMENT_API_KEY : typeof first === "string" ? first.split(":")[0] : first.key;
  const postRaw = async (route: string, text: string, key: string | null = defaultKey): Promise<Answer> => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (key !== null) headers.Authorization = `Bearer ${key}`;
    const response = await fetch(`${server.url}${route}`, { method: "POST", headers, body: text });
    const raw = await response.text();
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // left as text
    }
    return { status: response.status, headers: response.headers, body };
  };
  const get = async (route: string) => (await fetch(`${server.url}${route}`)).json();
  const getApi = async (route: string, key: string | null = defaultKey): Promise<Answer> => {
    const response = await fetch(`${server.url}${route}`, { headers: key === null ? {} : { Authorization: `Bearer ${key}` } });
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  let seen = 0;
  const self: TestServer = {
    server,
    url: server.url,
    dataDir,
    postRaw,
    post: (route, body, key) => postRaw(route, JSON.stringify(body), key),
    get,
    getApi,
    users: async () => ((await get("/_local/users")) as any).users,
    requests: async () => ((await get("/_local/requests")) as any).requests,
    async newRequests() {
      const all = await self.requests();
      const fresh = all.slice(seen).map((entry: any) => ({ path: entry.path, body: entry.request_body }));
      seen = all.length;
      return fresh;
    },
    stats: () => get("/_local/stats"),
    async reset() {
      await fetch(`${server.url}/_local/reset`, { method: "POST" });
    },
    async exportAlias(label, name, fields) {
      const answer = await postRaw(
        "/users/export/ids",
        JSON.stringify({ user_aliases: [{ alias_name: name, alias_label: label }], ...(fields ? { fields_to_export: fields } : {}) }),
      );
      assert.is(answer.status, 201, JSON.stringify(answer.body));
      return answer.body.users[0];
    },
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

export const alias = (name: string, label = "qa") => ({ alias_name: name, alias_label: label });

/** An attributes object that creates or updates an alias-only user, as the provider sends it. */
export const aliasObject = (name: string, attributes: Record<string, unknown> = {}) => ({
  user_alias: alias(name),
  _update_existing_only: false,
  ...attributes,
});

/** Checks a response's non-fatal error entries field by field, naming the one that differs. */
export function assertErrorEntries(actual: unknown, expected: Array<{ input_array: string; index: number; type?: RegExp }>): void {
  assert.ok(Array.isArray(actual), `errors is an array: ${JSON.stringify(actual)}`);
  const entries = actual as Array<Record<string, unknown>>;
  assert.is(entries.length, expected.length, `number of error entries in ${JSON.stringify(entries)}`);
  expected.forEach((want, position) => {
    const entry = entries[position];
    assert.equal(Object.keys(entry).sort(), ["index", "input_array", "type"], `errors[${position}] has exactly type, input_array, index`);
    assert.is(entry.input_array, want.input_array, `errors[${position}].input_array`);
    assert.is(entry.index, want.index, `errors[${position}].index`);
    assert.type(entry.type, "string", `errors[${position}].type`);
    if (want.type) assert.match(entry.type as string, want.type, `errors[${position}].type`);
  });
}
