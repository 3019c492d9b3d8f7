import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEVELOPMENT_API_KEY, startBrazeLocal, type BrazeLocalOptions } from "../../server";
import { ACCESS_LOG_LINE } from "../../server/http/access-log";

/** One API request as braze-local logged it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number | null;
  body: unknown;
  response: unknown;
}

/** A user as braze-local stores it, in the provider's terms: Braze attribute names and group states. */
export interface StoredUserView {
  attributes: Record<string, unknown>;
  subscriptionGroups: Record<string, string>;
  raw: Record<string, unknown>;
}

export interface LocalBraze {
  url: string;
  dataDir: string;
  requests(): Promise<LoggedRequest[]>;
  /** The requests logged since the previous call (all of them, the first time): what one step sent. */
  newRequests(): Promise<LoggedRequest[]>;
  users(): Promise<Array<Record<string, unknown>>>;
  findUserByAlias(label: string, name: string): Promise<StoredUserView | undefined>;
  /** Like findUserByAlias, but fails the test when there is no such user. */
  userByAlias(label: string, name: string): Promise<StoredUserView>;
  stats(): Promise<Record<string, unknown>>;
  /** Every line braze-local logged so far: one per API request, and any internal error. */
  logLines(): string[];
  /** An API call from another client (an out-of-band change), with the development key. */
  post(path: string, body: unknown): Promise<unknown>;
  /** A /users/track call from another client. */
  track(body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** braze-local on a free port with a fresh data folder: the real HTTP peer of every end-to-end test. */
export async function startLocalBraze(options: Partial<BrazeLocalOptions> = {}): Promise<LocalBraze> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-local-"));
  const logLines: string[] = [];
  // Kept for the test to search; a test's own sink gets every line too. Request
  // lines stay off the terminal (an end-to-end run makes hundreds); anything
  // else, such as an internal error with its stack, still reaches stderr.
  const log = (line: string) => {
    logLines.push(line);
    if (options.log) options.log(line);
    else if (!ACCESS_LOG_LINE.test(line)) process.stderr.write(`${line}\n`);
  };
  const server = await startBrazeLocal({ port: 0, dataDir, ...options, log });
  const getJson = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${server.url}${route}`);
    if (!response.ok) throw new Error(`GET ${route}: ${response.status}`);
    return (await response.json()) as T;
  };
  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${server.url}${route}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEVELOPMENT_API_KEY}` },
      body: JSON.stringify(body),
    });
    return response.json();
  };
  const users = async () => (await getJson<{ users: Array<Record<string, unknown>> }>("/_local/users")).users;
  const findUserByAlias = async (label: string, name: string) => {
    const found = (await users()).find((user) =>
      (user.user_aliases as Array<{ alias_label: string; alias_name: string }>).some((a) => a.alias_label === label && a.alias_name === name),
    );
    return found ? view(found) : undefined;
  };
  const requests = async () =>
    (await getJson<{ requests: Array<Record<string, unknown>> }>("/_local/requests")).requests.map((entry) => ({
      method: entry.method as string,
      path: entry.path as string,
      status: entry.status as number | null,
      body: entry.request_body,
      response: entry.response_body,
    }));
  let seen = 0;
  return {
    url: server.url,
    dataDir,
    requests,
    async newRequests() {
      const all = await requests();
      // A log reset (POST /_local/reset-log) starts the count again.
      const fresh = all.slice(all.length < seen ? 0 : seen);
      seen = all.length;
      return fresh;
    },
    users,
    findUserByAlias,
    async userByAlias(label, name) {
      const found = await findUserByAlias(label, name);
      if (!found) throw new Error(`braze-local holds no user with alias ${name} (label ${label})`);
      return found;
    },
    stats: () => getJson("/_local/stats"),
    logLines: () => [...logLines],
    post,
    track: (body) => post("/users/track", body),
    async close() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function view(user: Record<string, unknown>): StoredUserView {
  const attributes: Record<string, unknown> = {
    ...(user.standard as Record<string, unknown>),
    ...(user.custom as Record<string, unknown>),
  };
  if (user.email_subscribe !== undefined) attributes.email_subscribe = user.email_subscribe;
  if (user.push_subscribe !== undefined) attributes.push_subscribe = user.push_subscribe;
  return { attributes, subscriptionGroups: user.subscription_groups as Record<string, string>, raw: user };
}
