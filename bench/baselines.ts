// Two clients written for the benchmark, to compare the provider against: both
// send the full state of every desired user on every run (they keep no record of
// what Braze holds) and delete the users that left the file. They POST to
// braze-local with Node's HTTP client (fetch), as any script would.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TrackAttributesObject, UserIdentifier } from "../provider/braze/wire-types";
import type { ManagedUser } from "../provider/model";
import { IDENTIFIERS_PER_REQUEST, TRACK_MAX_OBJECTS } from "../provider/braze/users-api";
import { DEVELOPMENT_API_KEY, startBrazeLocal } from "../server";
import { measure, type Received } from "./braze-stats";
import { BENCH_RATE_LIMIT } from "./pulumi-series";
import { LEGACY_REQUEST_CAP, type Scenario } from "./scenarios";

/** Requests in flight at once, as a small sync script would run: Pulumi's default parallelism on 2 cores. */
export const BASELINE_IN_FLIGHT = 8;

export type Baseline = "naive full-state sync" | "batched full-state sync";

/** Every attribute and subscription group of the user, creating it when missing. */
export function fullStateObject(user: ManagedUser): TrackAttributesObject {
  const object: Record<string, unknown> = {
    ...identifierOf(user),
    _update_existing_only: false,
    ...user.attributes,
  };
  const groups = Object.entries(user.subscriptionGroups);
  if (groups.length > 0) {
    object.subscription_groups = groups.map(([id, state]) => ({ subscription_group_id: id, subscription_state: state }));
  }
  return object as TrackAttributesObject;
}

/** How a script addresses the user: its external_id, else its alias. */
function identifierOf(user: ManagedUser): UserIdentifier {
  return user.externalId !== undefined ? { external_id: user.externalId } : { user_alias: { alias_name: user.alias!.name, alias_label: user.alias!.label } };
}

/**
 * One sync run: `naive` sends one /users/track request per user and one
 * /users/delete per removed user; `batched` packs 75 objects per track request
 * and 50 aliases per delete request.
 */
export async function fullStateSync(url: string, baseline: Baseline, users: readonly ManagedUser[], removed: readonly ManagedUser[]): Promise<void> {
  const trackCap = baseline === "naive full-state sync" ? 1 : TRACK_MAX_OBJECTS;
  const deleteCap = baseline === "naive full-state sync" ? 1 : IDENTIFIERS_PER_REQUEST;
  const bodies = [
    ...chunks(users.map(fullStateObject), trackCap).map((attributes) => ({ route: "/users/track", body: { attributes } })),
    // /users/delete takes one kind of identifier per request.
    ...chunks(
      removed.filter((user) => user.externalId !== undefined).map((user) => user.externalId!),
      deleteCap,
    ).map((ids) => ({ route: "/users/delete", body: { external_ids: ids } })),
    ...chunks(
      removed.filter((user) => user.externalId === undefined).map((user) => identifierOf(user).user_alias),
      deleteCap,
    ).map((aliases) => ({ route: "/users/delete", body: { user_aliases: aliases } })),
  ];
  let next = 0;
  await Promise.all(
    Array.from({ length: BASELINE_IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const { route, body } = bodies[next++];
        await post(url, route, body);
      }
    }),
  );
}

async function post(url: string, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${url}${route}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${DEVELOPMENT_API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${text}`);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export interface BaselineStep extends Received {
  scenario: string;
  seconds: number;
}

/** The scenarios in order against a fresh braze-local workspace (a temporary folder). */
export async function runBaselineSeries(baseline: Baseline, scenarios: readonly Scenario[]): Promise<BaselineStep[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-baseline-"));
  const server = await startBrazeLocal({ port: 0, dataDir, requestCap: LEGACY_REQUEST_CAP, rateLimit: BENCH_RATE_LIMIT, log: () => {} });
  try {
    const steps: BaselineStep[] = [];
    for (const scenario of scenarios) {
      const got = await measure(server.url, () => fullStateSync(server.url, baseline, scenario.users, scenario.removed));
      steps.push({ scenario: scenario.name, ...got });
    }
    return steps;
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
