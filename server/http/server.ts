// The HTTP side of braze-local (node:http): routing, API keys, rate limits,
// injected faults, body parsing, the request log and a log line per API
// request. The work of each endpoint is in the modules it dispatches to; each
// API request runs in one store transaction together with its log entry.
import * as http from "node:http";
import { ApiKeys, ENDPOINT_PERMISSIONS, bearerKey } from "../auth";
import { BrazeApiError } from "../errors/braze-api-error";
import { exportIds } from "../export/export-ids";
import { FaultInjector } from "../faults";
import { STAT_COUNTERS, inspectedUser, stats } from "../local/inspection";
import { MAX_NESTING_DEPTH, type ResolvedOptions } from "../options";
import { RateLimiter, consumeHourly, initialHourlyWindow, type RateDecision } from "../rate-limit";
import type { WorkspaceStore } from "../store/workspace-store";
import { subscriptionStatus } from "../subscription/subscription-status";
import { userSubscriptionGroups } from "../subscription/user-subscription-groups";
import type { ProcessingQueue } from "../track/processing-queue";
import { TRACK_ARRAYS, applyTrack, readTrack, type ReadTrack, type TrackArray } from "../track/track-request";
import { newAliases, updateAliases } from "../users/alias-endpoints";
import { deleteUsers } from "../users/delete-users";
import { removeExternalIds, renameExternalIds } from "../users/external-id-migration";
import { identifyUsers } from "../users/identify-users";
import { nestingDepth } from "../values";
import { accessLogLine } from "./access-log";
import { readBody } from "./read-body";

/** Longest raw (non-JSON) request body kept in the log. */
const MAX_LOGGED_RAW_BODY = 64 * 1024;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * One API request as GET /_local/requests lists it, with `request_body` after
 * these fields: the JSON body as sent; the raw text (cut at 64 KiB) when it was
 * not JSON; null when absent or too large. Never holds the API key.
 */
interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  /** null when the connection was dropped on purpose (an injected fault). */
  status: number | null;
  /** null when the connection was dropped. */
  response_body: unknown;
}

interface Endpoint {
  /** Braze's user-data endpoints are POST with a JSON body; its subscription reads are GET with query parameters. */
  method: "POST" | "GET";
  run(store: WorkspaceStore, body: unknown, now: Date, query: URLSearchParams): { body: Record<string, unknown>; counters?: Record<string, number> };
}

/** `queue`: where /users/track requests wait when processing is asynchronous (options.processing). */
export function createHandler(store: WorkspaceStore, options: ResolvedOptions, queue?: ProcessingQueue): http.RequestListener {
  const keys = new ApiKeys(options.apiKeys);
  const limiter = new RateLimiter(options.rateLimits);
  const faults = new FaultInjector(options.faults);
  const rejectAttributes = new Set(options.faults.rejectAttributes ?? []);
  const trackLimits = { requestCap: options.requestCap, stringArrayMaxItems: options.stringArrayMaxItems, rejectAttributes };
  const { hourlyRateLimit } = options;
  let hourlyWindow = hourlyRateLimit ? initialHourlyWindow(hourlyRateLimit, options.now()) : undefined;
  const counted = (prefix: (array: string) => string, perArray: Record<TrackArray, number>) =>
    Object.fromEntries(TRACK_ARRAYS.map((array) => [prefix(array), perArray[array]]));
  const apply = (read: ReadTrack) => counted(STAT_COUNTERS.dataPoints, applyTrack(store, read, trackLimits, new Date(options.now())));
  const endpoints: Record<string, Endpoint> = {
    "/users/track": {
      method: "POST",
      run: (_db, body, now) => {
        const read = readTrack(body, trackLimits, now);
        const counters = counted(STAT_COUNTERS.processed, read.processed);
        if (!queue) return { body: read.body, counters: { ...counters, ...apply(read) } };
        // Applied later in a transaction of its own, with its data points counted then.
        queue.enqueue(() =>
          store.transaction(() => {
            for (const [name, amount] of Object.entries(apply(read))) store.addToCounter(name, amount);
          }),
        );
        return { body: read.body, counters };
      },
    },
    "/users/export/ids": { method: "POST", run: (db, body) => ({ body: exportIds(db, body) }) },
    "/users/delete": { method: "POST", run: (db, body) => ({ body: deleteUsers(db, body) }) },
    "/users/alias/new": { method: "POST", run: (db, body, now) => ({ body: newAliases(db, body, now) }) },
    "/users/alias/update": { method: "POST", run: (db, body, now) => ({ body: updateAliases(db, body, now) }) },
    "/users/identify": { method: "POST", run: (db, body, now) => ({ body: identifyUsers(db, body, now) }) },
    "/users/external_ids/rename": { method: "POST", run: (db, body) => ({ body: renameExternalIds(db, body) }) },
    "/users/external_ids/remove": { method: "POST", run: (db, body) => ({ body: removeExternalIds(db, body) }) },
    "/subscription/status/get": { method: "GET", run: (db, _body, _now, query) => ({ body: subscriptionStatus(db, query) }) },
    "/subscription/user/status": { method: "GET", run: (db, _body, _now, query) => ({ body: userSubscriptionGroups(db, query) }) },
  };

  /** The rate decision for one request: the key's window of the path's group and, on /users/track, the workspace's hourly window. */
  function rateDecision(path: string, key: string, now: number): RateDecision {
    const burst = limiter.consume(path, key, now);
    if (!burst.allowed || path !== "/users/track" || !hourlyRateLimit || !hourlyWindow) return burst;
    const hourly = consumeHourly(hourlyRateLimit, hourlyWindow, now);
    hourlyWindow = hourly.state;
    // On such a workspace the headers describe the hourly window.
    return hourly;
  }

  async function handleApi(request: http.IncomingMessage, response: http.ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = request.method ?? "";
    const endpoint = Object.hasOwn(endpoints, path) && endpoints[path].method === method ? endpoints[path] : undefined;
    const read = await readBody(request, options.maxBodyBytes);
    // A GET takes no body: its parameters are in the query.
    const parsed = read.kind === "ok" ? (endpoint?.method === "GET" ? ({ ok: true, value: null } as const) : parseJson(read.text)) : undefined;
    // The JSON body is logged as the text received, which parses to the same value; a GET's
    // query parameters are logged in its place, each name with its values in order.
    const loggedBodyJson =
      method === "GET" && [...query.keys()].length > 0
        ? JSON.stringify(
            // A key passed the legacy way (`api_key` in the query) is never written to the log.
            Object.fromEntries([...new Set(query.keys())].map((name) => [name, name === "api_key" ? ["[redacted]"] : query.getAll(name)])),
          )
        : read.kind === "too-large" || read.text === ""
          ? "null"
          : parsed!.ok
            ? read.text
            : JSON.stringify(read.text.slice(0, MAX_LOGGED_RAW_BODY));
    const log = (status: number | null, answer: unknown, counters: Record<string, number> = {}) => {
      const entry: LoggedRequest = { time: new Date(options.now()).toISOString(), method, path, status, response_body: answer };
      store.logRequest(entry, loggedBodyJson);
      for (const [name, amount] of Object.entries({
        ...counters,
        [STAT_COUNTERS.requests]: 1,
        [STAT_COUNTERS.status(status)]: 1,
        [STAT_COUNTERS.path(path)]: 1,
      })) {
        store.addToCounter(name, amount);
      }
    };
    const send = (answer: Answer) => {
      response.writeHead(answer.status, { "Content-Type": "application/json; charset=utf-8", ...answer.headers });
      response.end(JSON.stringify(answer.body));
    };

    const fault = faults.next();
    if (options.latency.maxMs > 0) {
      const { minMs, maxMs } = options.latency;
      await new Promise((resolve) => setTimeout(resolve, minMs + Math.floor(Math.random() * (maxMs - minMs + 1))));
    }
    const drop = (): void => void request.socket.destroy();
    if (fault.kind === "reset" && !fault.afterApplying) {
      store.transaction(() => log(null, null));
      drop();
      return;
    }
    const rate = rateDecision(path, bearerKey(request.headers.authorization) ?? "", options.now());
    const fail = (error: BrazeApiError, headers = rate.headers): void => {
      if (fault.kind === "reset") {
        store.transaction(() => log(null, null));
        drop();
        return;
      }
      store.transaction(() => log(error.status, error.body()));
      send({ status: error.status, body: error.body(), headers });
    };
    if (!rate.allowed) return fail(new BrazeApiError(429, "API rate limit reached"));
    if (fault.kind === "429")
      return fail(new BrazeApiError(429, "API rate limit reached (injected fault)"), { "X-Ratelimit-Retry-After": String(fault.retryAfterSeconds) });
    if (fault.kind === "5xx") return fail(new BrazeApiError(fault.status, `${http.STATUS_CODES[fault.status]} (injected fault)`));

    if (!endpoint) return fail(new BrazeApiError(404, `No route for ${method} ${path}`));
    const auth = keys.check(request.headers.authorization, ENDPOINT_PERMISSIONS[path]);
    if (!auth.ok) return fail(new BrazeApiError(auth.status, auth.message));
    if (read.kind === "too-large") {
      response.setHeader("Connection", "close");
      return fail(new BrazeApiError(413, `Request body larger than ${options.maxBodyBytes} bytes`));
    }
    if (!parsed!.ok) return fail(new BrazeApiError(400, parsed!.error));
    try {
      const answer = store.transaction(() => {
        const result = endpoint.run(store, parsed!.value, new Date(options.now()), query);
        // Braze answers its user-data POST endpoints with 201 on success, a GET with 200.
        const status = endpoint.method === "POST" ? 201 : 200;
        // An answer dropped after applying is logged as dropped, with its effects kept.
        const dropped = fault.kind === "reset";
        log(dropped ? null : status, dropped ? null : result.body, result.counters);
        return { status, body: result.body };
      });
      if (fault.kind === "reset") {
        drop();
        return;
      }
      send({ ...answer, headers: rate.headers });
    } catch (error) {
      if (error instanceof BrazeApiError) return fail(error);
      throw error;
    }
  }

  async function handleLocal(request: http.IncomingMessage, response: http.ServerResponse, path: string): Promise<void> {
    const route = `${request.method} ${path}`;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json; charset=utf-8" });
      response.end(JSON.stringify(body));
    };
    request.resume();
    // With asynchronous processing the views wait until every queued request is applied, so a test sees the outcome.
    if (request.method === "GET") await queue?.drained();
    switch (route) {
      case "GET /_local/requests":
        return send(200, { requests: store.requests() });
      case "GET /_local/users":
        return send(200, { users: store.allUsers().map((user) => inspectedUser(user, store.activitiesOf(user))) });
      case "GET /_local/stats":
        return send(200, stats(store.counters(), store.userCount()));
      case "POST /_local/reset":
        queue?.clear();
        store.transaction(() => store.reset());
        return send(200, { message: "success" });
      // Lets a person count the requests of one run without losing the users.
      case "POST /_local/reset-log":
        store.transaction(() => store.resetLog());
        return send(200, { message: "success" });
      default:
        return send(404, { message: `No route for ${route}`, errors: [{ type: `No route for ${route}` }] });
    }
  }

  return (request, response) => {
    const startedAt = performance.now();
    const url = new URL(request.url ?? "/", "http://braze-local");
    const path = url.pathname;
    // Logged when the exchange ends, whichever way: answered, dropped on purpose
    // (an injected reset) or failed inside. The inspection routes are not logged.
    if (!path.startsWith("/_local/")) {
      response.once("close", () => {
        const status = response.headersSent ? response.statusCode : null;
        options.log(accessLogLine({ method: request.method ?? "", path, status, durationMs: performance.now() - startedAt }));
      });
    }
    const work = path.startsWith("/_local/") ? handleLocal(request, response, path) : handleApi(request, response, path, url.searchParams);
    work.catch((error: unknown) => {
      options.log(`braze-local: internal error on ${request.method} ${path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) {
        response.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
        response.end(JSON.stringify({ message: "Internal Server Error", errors: [{ type: "Internal Server Error" }] }));
      } else response.destroy();
    });
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseJson(text: string): Parsed {
  if (text.trim() === "") return { ok: false, error: "The request body is empty; a JSON object is required" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Malformed JSON in the request body: ${(error as Error).message}` };
  }
  if (nestingDepth(value) > MAX_NESTING_DEPTH) return { ok: false, error: `The request body nests deeper than ${MAX_NESTING_DEPTH} levels` };
  return { ok: true, value };
}
