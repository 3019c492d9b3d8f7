// The events series: a user set whose users each log 5 events and 1 purchase,
// driven through the set provider directly (no engine: the engine's cost of a
// set is the same whatever the users hold, and `--only sets` measures it)
// against braze-local. Per step: requests by path and data points, read from
// /_local/stats, against the fewest /users/track requests and data points any
// client could send; wall time; and what a 5% fault rate (2.5% 5xx, 2.5%
// dropped connections, half of them after applying) costs, with a check that
// braze-local holds every entry exactly once.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BrazeClient } from "../provider/braze/client";
import { trackCaps } from "../provider/braze/track-packing";
import { BrazeUsersApi, TRACK_MAX_OBJECTS } from "../provider/braze/users-api";
import { countDataPoints, planCreate } from "../provider/delta";
import type { ManagedUser } from "../provider/model";
import { countEntryPoints } from "../provider/delta/data-points";
import type { EventEntry, PurchaseEntry } from "../provider/model/entries";
import { memberToText } from "../provider/encoding/user-text";
import { resetDeclarations } from "../provider/runtime/declared-aliases";
import { UserSetPartialFailure, UserSetProvider, type UserSetOutputs } from "../provider/runtime/user-set-provider";
import { DEVELOPMENT_API_KEY, startBrazeLocal } from "../server";
import { measure, type Received } from "./braze-stats";
import { generatePersonas } from "./personas";
import { BENCH_RATE_LIMIT } from "./pulumi-series";
import { LEGACY_REQUEST_CAP } from "./scenarios";

export const EVENTS_PER_USER = 5;
export const PURCHASES_PER_USER = 1;
/** The fault rate whose cost is measured: half 5xx, half dropped connections. */
export const FAULT_RATE = 0.05;
/** Ups allowed to converge under faults before the series gives up. */
const MAX_FAULTY_UPS = 5;
/** braze-local's export limit lifted like its track limit: the series measures the provider, not the pacing. */
const BENCH_EXPORT_RATE_LIMIT = BENCH_RATE_LIMIT;

export interface EventsStep {
  scenario: string;
  users: number;
  seconds: number;
  received: Received;
  /** Fewest /users/track requests and data points for the step under the caps. */
  minimum: { trackRequests: number; dataPoints: number };
  /** Ups it took (more than one only under faults). */
  ups: number;
  /** Under faults: whether braze-local holds every entry exactly once. */
  exactlyOnce?: boolean;
}

interface Member {
  user: ManagedUser;
  events: Record<string, EventEntry>;
  purchases: Record<string, PurchaseEntry>;
}

function members(count: number): Member[] {
  return generatePersonas(count).map((user, index) => ({
    user,
    events: Object.fromEntries(
      Array.from({ length: EVENTS_PER_USER }, (_, n) => [
        `e${n}`,
        { name: ["viewed_item", "rented_movie", "rated_movie"][n % 3], time: `2024-05-0${n + 1}T10:00:00Z`, properties: { n } },
      ]),
    ),
    purchases: {
      p0: { product_id: index % 2 === 0 ? "gold-plan" : "silver-plan", currency: "USD", price: 9.99, time: "-3d", properties: { coupon: "SPRING" } },
    },
  }));
}

function inputs(list: readonly Member[]): Record<string, unknown> {
  return {
    name: "users",
    users: Object.fromEntries(
      list.map((m) => [`${m.user.alias!.label}/${m.user.alias!.name}`, memberToText({ user: m.user, entries: { events: m.events, purchases: m.purchases } })]),
    ),
  };
}

/** Fewest /users/track requests (75 per array) and the data points of the objects themselves. */
function minimumOf(attributesObjects: number, events: number, purchases: number, dataPoints: number) {
  const caps = trackCaps(TRACK_MAX_OBJECTS, "per-array");
  return {
    trackRequests: Math.max(Math.ceil(attributesObjects / caps.perArray), Math.ceil(events / caps.perArray), Math.ceil(purchases / caps.perArray)),
    dataPoints,
  };
}

const entryPoints = (m: Member) =>
  Object.values(m.events).reduce((sum, e) => sum + countEntryPoints("event", e), 0) +
  Object.values(m.purchases).reduce((sum, p) => sum + countEntryPoints("purchase", p), 0);

export async function runEventsSeries(users: number, onStep?: (step: EventsStep) => void): Promise<EventsStep[]> {
  const steps: EventsStep[] = [];
  const all = members(users);
  const createPoints = all.reduce((sum, m) => sum + countDataPoints(planCreate(m.user)) + entryPoints(m), 0);

  // 1-3: create, unchanged, 1% of users log one more event; no faults.
  await withServer({}, async (url) => {
    const provider = providerFor(url);
    let outs: UserSetOutputs | undefined;
    const step = async (scenario: string, list: Member[], minimum: EventsStep["minimum"]) => {
      resetDeclarations();
      const got = await measure(url, async () => {
        outs = outs === undefined ? (await provider.create(inputs(list))).outs : (await provider.update("users", outs as never, inputs(list))).outs;
      });
      const done: EventsStep = { scenario, users, seconds: got.seconds, received: got, minimum, ups: 1 };
      steps.push(done);
      onStep?.(done);
    };
    await step("create", all, minimumOf(users, users * EVENTS_PER_USER, users * PURCHASES_PER_USER, createPoints));
    await step("unchanged", all, { trackRequests: 0, dataPoints: 0 });
    const extra = Math.max(1, Math.floor(users / 100));
    const more = all.map((m, index) => (index < extra ? { ...m, events: { ...m.events, extra: { name: "rented_movie", time: "2024-05-09T10:00:00Z" } } } : m));
    await step(`1% log one more event`, more, minimumOf(0, extra, 0, extra));
  });

  // 4: the create again on a fresh workspace with a 5% fault rate, up until converged.
  await withServer({ rate5xx: FAULT_RATE / 2, rateReset: FAULT_RATE / 2, seed: 3 }, async (url) => {
    const provider = providerFor(url);
    let outs: UserSetOutputs | undefined;
    let ups = 0;
    const got = await measure(url, async () => {
      while (ups < MAX_FAULTY_UPS && (outs === undefined || Object.keys(outs.pending).length > 0)) {
        ups += 1;
        resetDeclarations();
        try {
          outs = outs === undefined ? (await provider.create(inputs(all))).outs : (await provider.update("users", outs as never, inputs(all))).outs;
        } catch (error) {
          if (!(error instanceof UserSetPartialFailure)) throw error;
          outs = error.properties;
        }
      }
    });
    const held = ((await (await fetch(`${url}/_local/users`)).json()) as { users: Array<{ events: unknown[]; purchases: unknown[] }> }).users;
    const exactlyOnce = held.length === users && held.every((user) => user.events.length === EVENTS_PER_USER && user.purchases.length === PURCHASES_PER_USER);
    const done: EventsStep = {
      scenario: `create, ${FAULT_RATE * 100}% faults`,
      users,
      seconds: got.seconds,
      received: got,
      minimum: minimumOf(users, users * EVENTS_PER_USER, users * PURCHASES_PER_USER, createPoints),
      ups,
      exactlyOnce,
    };
    steps.push(done);
    onStep?.(done);
  });
  return steps;
}

function providerFor(url: string): UserSetProvider {
  const client = new BrazeClient({ endpoint: url, apiKey: DEVELOPMENT_API_KEY });
  return new UserSetProvider(new BrazeUsersApi(client, { maxObjectsPerRequest: TRACK_MAX_OBJECTS, capScope: "per-array" }), {
    // braze-local applies a request before it answers: no settle time needed.
    entrySettleMs: 0,
    budgets: { maxDeletes: 0 },
  });
}

async function withServer(faults: { rate5xx?: number; rateReset?: number; seed?: number }, run: (url: string) => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-events-braze-"));
  const server = await startBrazeLocal({
    port: 0,
    dataDir,
    requestCap: LEGACY_REQUEST_CAP,
    rateLimit: BENCH_RATE_LIMIT,
    exportRateLimit: BENCH_EXPORT_RATE_LIMIT,
    faults,
    log: () => {},
  });
  try {
    await run(server.url);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function eventsTable(steps: readonly EventsStep[]): string {
  const header =
    "| users | step | wall time | ups | /users/track (min) | /users/export/ids | data points (min) | exactly once |\n|---|---|---|---|---|---|---|---|";
  const rows = steps.map((step) => {
    const track = step.received.byPath["/users/track"] ?? 0;
    const exports = step.received.byPath["/users/export/ids"] ?? 0;
    return `| ${step.users} | ${step.scenario} | ${step.seconds.toFixed(1)} s | ${step.ups} | ${track} (${step.minimum.trackRequests}) | ${exports} | ${step.received.dataPoints} (${step.minimum.dataPoints}) | ${step.exactlyOnce === undefined ? "" : step.exactlyOnce ? "yes" : "NO"} |`;
  });
  return [header, ...rows].join("\n");
}
