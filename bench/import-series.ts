// The import part: `braze-profiles import` (bin/braze-profiles.js, the real
// command in its own process) reading back N identified personas from
// braze-local, once with the export limit off and once at Braze's 250 requests
// per minute, each against its floor measured in the same run. Counts come from
// braze-local's /_local/stats.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FIELDS_TO_EXPORT } from "../import/profile-document";
import { IDENTIFIERS_PER_REQUEST } from "../provider/braze/users-api";
import { DEVELOPMENT_API_KEY, startBrazeLocal } from "../server";
import { DEFAULT_RATE_LIMITS, type RateLimit } from "../server/rate-limit";
import { fullStateSync } from "./baselines";
import { measure } from "./braze-stats";
import { leastSecondsAtLimit, minimumExportRequests } from "./import-floor";
import { generatePersonas } from "./personas";
import { BENCH_RATE_LIMIT } from "./pulumi-series";
import { LEGACY_REQUEST_CAP } from "./scenarios";

/** Braze's /users/export/ids limit on workspaces onboarded since 22 August 2024 (braze-local's default). */
export const EXPORT_LIMIT: RateLimit = DEFAULT_RATE_LIMITS.export;
const EXPORT_LIMIT_TEXT = `${EXPORT_LIMIT.requests}/${EXPORT_LIMIT.perSeconds}`;

export interface ImportStep {
  users: number;
  /** "off", or the limit as `N/S` (requests per seconds). */
  exportLimit: string;
  seconds: number;
  /** /users/export/ids requests braze-local received, refused ones included. */
  exportRequests: number;
  minimumRequests: number;
  /** With the limit off: a script sending the same requests back to back. With it on: leastSecondsAtLimit. */
  floorSeconds: number;
  floor: string;
}

const BIN = path.resolve(__dirname, "..", "..", "bin", "braze-profiles.js");

/** Both runs of one size, on one seeded workspace: the limit off (with its back-to-back script), then on. */
export async function runImportSeries(users: number, onStep?: (step: ImportStep) => void): Promise<ImportStep[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-import-"));
  const dataDir = path.join(work, "braze");
  const personas = generatePersonas(users, undefined, "external_id");
  const ids = personas.map((persona) => persona.externalId!);
  fs.writeFileSync(path.join(work, "ids.txt"), `${ids.join("\n")}\n`);
  const steps: ImportStep[] = [];
  /** Opens the workspace with `exportLimit`, runs the command after `before`, and records it against the floor `floorOf` gives. */
  const timed = async (
    exportLimit: RateLimit | string,
    label: string,
    floor: string,
    before: (url: string) => Promise<void>,
    floorOf: (url: string, startMs: number) => Promise<number>,
  ) => {
    // Each open starts braze-local's export windows afresh; the users stay in dataDir.
    const server = await startBrazeLocal({
      port: 0,
      dataDir,
      requestCap: LEGACY_REQUEST_CAP,
      rateLimit: BENCH_RATE_LIMIT,
      exportRateLimit: exportLimit,
      log: () => {},
    });
    try {
      await before(server.url);
      const startMs = Date.now();
      const command = await measure(server.url, () => runImportCommand(work, server.url, users));
      const step: ImportStep = {
        users,
        exportLimit: label,
        seconds: command.seconds,
        exportRequests: command.byPath["/users/export/ids"] ?? 0,
        minimumRequests: minimumExportRequests(users),
        floorSeconds: await floorOf(server.url, startMs),
        floor,
      };
      steps.push(step);
      onStep?.(step);
    } finally {
      await server.close();
    }
  };
  try {
    let secondsPerRequest = 0;
    await timed(
      BENCH_RATE_LIMIT,
      "off",
      "script, back to back",
      (url) => fullStateSync(url, "batched full-state sync", personas, []),
      async (url) => {
        const script = await measure(url, () => exportBackToBack(url, ids));
        secondsPerRequest = script.seconds / Math.max(1, script.byPath["/users/export/ids"] ?? 0);
        return script.seconds;
      },
    );
    const requests = minimumExportRequests(users);
    await timed(
      EXPORT_LIMIT,
      EXPORT_LIMIT_TEXT,
      "least at the limit",
      async () => {},
      async (_url, startMs) => leastSecondsAtLimit({ requests, limit: EXPORT_LIMIT, startMs, secondsPerRequest }),
    );
    return steps;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** `braze-profiles import` as a user runs it; fails unless it exits 0 having written every user. */
async function runImportCommand(work: string, url: string, users: number): Promise<void> {
  const out = path.join(work, "users.yaml");
  const child = spawn(process.execPath, [BIN, "import", "--external-ids", "ids.txt", "--endpoint", url, "--out", out], {
    cwd: work,
    env: { PATH: process.env.PATH, BRAZE_REST_API_KEY: DEVELOPMENT_API_KEY },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.on("error", reject).on("close", resolve));
  if (code !== 0) throw new Error(`braze-profiles import of ${users} users exited ${code}: ${stderr}`);
  const written = fs.readFileSync(out, "utf8").match(/^ {2}- external_id: /gm)?.length ?? 0;
  if (written !== users) throw new Error(`braze-profiles import wrote ${written} users to ${out}, expected ${users}: ${stderr}`);
  fs.rmSync(out);
}

/** What any script would send: 50 external_ids per request, the command's fields_to_export, one request at a time. */
async function exportBackToBack(url: string, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += IDENTIFIERS_PER_REQUEST) {
    const externalIds = ids.slice(start, start + IDENTIFIERS_PER_REQUEST);
    const response = await fetch(`${url}/users/export/ids`, {
      method: "POST",
      headers: { Authorization: `Bearer ${DEVELOPMENT_API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ external_ids: externalIds, fields_to_export: FIELDS_TO_EXPORT }),
    });
    const answer = (await response.json()) as { message?: string; users?: unknown[] };
    if (!response.ok || answer.users?.length !== externalIds.length)
      throw new Error(
        `POST /users/export/ids: ${response.status}, ${answer.users?.length} of ${externalIds.length} users: ${JSON.stringify(answer).slice(0, 300)}`,
      );
  }
}
