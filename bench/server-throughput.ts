// Objects ingested per second by braze-local: /users/track requests of 75
// attributes objects each (alias-only users, as the provider sends them: half
// creates, half updates), sent with a few requests in flight, against the
// server running in its own process as `npx braze-local` runs it.
// Run: npx tsc -p tsconfig.json && node dist/bench/server-throughput.js
// (bench/run.ts calls measureServerThroughput for its table).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const OBJECTS_PER_REQUEST = 75;
/** Measured requests by default. */
export const SERVER_THROUGHPUT_REQUESTS = 600;
const WARMUP_REQUESTS = 40;
const IN_FLIGHT = 4;
const root = path.resolve(__dirname, "..", "..");

function batch(requestIndex: number): string {
  const attributes = Array.from({ length: OBJECTS_PER_REQUEST }, (_, index) => {
    // Requests alternate between creating users and updating the ones the previous request created.
    const user = Math.floor(requestIndex / 2) * OBJECTS_PER_REQUEST + index;
    return {
      user_alias: { alias_name: `user-${user}`, alias_label: "bench" },
      _update_existing_only: false,
      first_name: `Name ${requestIndex}`,
      email: `user-${user}@example.com`,
      plan: requestIndex % 2 === 0 ? "trial" : "pro",
      genres: { add: ["sci-fi"], remove: ["drama"] },
      loyalty: { tier: "gold", points: requestIndex },
      subscription_groups: [{ subscription_group_id: "newsletter", subscription_state: "subscribed" }],
    };
  });
  return JSON.stringify({ attributes });
}

export interface ServerThroughput {
  benchmark: "server-throughput";
  objects_per_request: number;
  requests: number;
  in_flight: number;
  objects: number;
  seconds: number;
  objects_per_second: number;
  requests_per_second: number;
  node: string;
  cpus: number;
  date: string;
}

/** Starts braze-local in its own process, sends `requests` measured batches (after a warm-up) and stops it. */
export async function measureServerThroughput(requests = SERVER_THROUGHPUT_REQUESTS): Promise<ServerThroughput> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-local-bench-"));
  const child = spawn(process.execPath, [path.join(root, "bin", "braze-local.js"), "--port", "0", "--data-dir", dataDir, "--rate-limit", "1000000/1"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`braze-local exited with ${code}`)));
  });
  const bodies = Array.from({ length: WARMUP_REQUESTS + requests }, (_, index) => batch(index));
  const send = async (body: string) => {
    const response = await fetch(`${url}/users/track`, {
      method: "POST",
      headers: { Authorization: "Bearer braze-local-dev-key", "Content-Type": "application/json" },
      body,
    });
    if (response.status !== 201) throw new Error(`status ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  const run = async (list: string[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < list.length) await send(list[next++]);
      }),
    );
  };
  await run(bodies.slice(0, WARMUP_REQUESTS));
  const started = process.hrtime.bigint();
  await run(bodies.slice(WARMUP_REQUESTS));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  child.kill("SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });

  const objects = requests * OBJECTS_PER_REQUEST;
  return {
    benchmark: "server-throughput",
    objects_per_request: OBJECTS_PER_REQUEST,
    requests,
    in_flight: IN_FLIGHT,
    objects,
    seconds: Number(seconds.toFixed(3)),
    objects_per_second: Math.round(objects / seconds),
    requests_per_second: Math.round(requests / seconds),
    node: process.version,
    cpus: os.cpus().length,
    date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const result = await measureServerThroughput();
  console.table([{ objects: result.objects, seconds: result.seconds, "objects/s": result.objects_per_second, "requests/s": result.requests_per_second }]);
  const out = path.join(root, "bench", "results", "server-throughput.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written to ${path.relative(root, out)}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
