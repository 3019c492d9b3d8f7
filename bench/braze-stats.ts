// What braze-local received, read from GET /_local/stats before and after a
// step: the benchmark never counts requests itself, for the provider runs and
// the baselines alike.

/** The part of GET /_local/stats the benchmark reads. */
interface LocalStats {
  requests: { total: number; by_path: Record<string, number> };
  data_points: { total: number };
  objects_processed: { attributes: number };
  users: number;
}

/** What one step sent, as braze-local counted it. */
export interface Received {
  requests: number;
  /** Requests per path, e.g. `{ "/users/track": 14 }`. */
  byPath: Record<string, number>;
  /** Attributes objects processed plus users deleted. */
  objects: number;
  dataPoints: number;
}

export async function fetchStats(url: string): Promise<LocalStats> {
  const response = await fetch(`${url}/_local/stats`);
  if (!response.ok) throw new Error(`GET ${url}/_local/stats: ${response.status} ${await response.text()}`);
  return (await response.json()) as LocalStats;
}

export function received(before: LocalStats, after: LocalStats): Received {
  const byPath: Record<string, number> = {};
  for (const [path, count] of Object.entries(after.requests.by_path)) {
    const delta = count - (before.requests.by_path[path] ?? 0);
    if (delta > 0) byPath[path] = delta;
  }
  return {
    requests: after.requests.total - before.requests.total,
    byPath,
    objects: after.objects_processed.attributes - before.objects_processed.attributes + Math.max(0, before.users - after.users),
    dataPoints: after.data_points.total - before.data_points.total,
  };
}

/** Runs `step` and returns what braze-local at `url` received meanwhile, and how long it took. */
export async function measure(url: string, step: () => Promise<void>): Promise<Received & { seconds: number }> {
  const before = await fetchStats(url);
  const started = process.hrtime.bigint();
  await step();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...received(before, await fetchStats(url)), seconds };
}
