// The braze-local command: options, the one ready line on stdout, logs on stderr.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseCliArgs } from "../../server/cli";

const bin = path.resolve(__dirname, "..", "..", "..", "bin", "braze-local.js");

const Args = suite("braze-local arguments");

Args("reads every option", () => {
  const options = parseCliArgs([
    "--host",
    "0.0.0.0",
    "--port",
    "0",
    "--data-dir",
    "/tmp/x",
    "--api-key",
    "a",
    "--api-key",
    "b:users.track,users.delete",
    "--request-cap",
    "combined-50",
    "--string-array-max-items",
    "25",
    "--rate-limit",
    "10/1",
    "--hourly-rate-limit",
    "1000:0:600",
    "--processing",
    "async",
    "--processing-max-delay",
    "50",
    "--processing-seed",
    "3",
    "--export-rate-limit",
    "5/60",
    "--identity-rate-limit",
    "7/60",
    "--fault-429",
    "0.1",
    "--fault-5xx",
    "0.2",
    "--fault-reset",
    "0",
    "--fault-seed",
    "9",
    "--fault-reject-attribute",
    "notes",
    "--latency",
    "5-10",
  ]);
  assert.equal(options, {
    host: "0.0.0.0",
    port: 0,
    dataDir: "/tmp/x",
    apiKeys: ["a", "b:users.track,users.delete"],
    requestCap: "combined-50",
    stringArrayMaxItems: 25,
    rateLimit: "10/1",
    hourlyRateLimit: "1000:0:600",
    processing: "async",
    asyncMaxDelayMs: 50,
    asyncSeed: 3,
    exportRateLimit: "5/60",
    identityRateLimit: "7/60",
    faults: { rate429: 0.1, rate5xx: 0.2, rateReset: 0, seed: 9, rejectAttributes: ["notes"] },
    latency: "5-10",
  });
});

Args("refuses unknown options and bad values", () => {
  for (const argv of [
    ["--nope"],
    ["--port", "x"],
    ["--fault-429", "2"],
    ["--string-array-max-items", "-1"],
    ["--request-cap", "combined-100"],
    ["--processing", "later"],
  ])
    assert.throws(() => parseCliArgs(argv), undefined, argv.join(" "));
});

Args.run();

const Command = suite("npx braze-local");

Command("prints exactly one ready line on stdout, announces the development key on stderr, answers with it and logs the request on stderr", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-local-cli-"));
  const child = spawn(process.execPath, [bin, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = /^braze-local listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const answer = await fetch(`${url}/users/track`, {
    method: "POST",
    headers: { Authorization: "Bearer braze-local-dev-key", "Content-Type": "application/json" },
    body: JSON.stringify({ attributes: [{ external_id: "u1" }] }),
  });
  assert.is(answer.status, 201);
  assert.match(stderr, /development key "braze-local-dev-key"/);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  assert.is(stdout.split("\n").filter(Boolean).length, 1, "one line on stdout");
  assert.match(stderr, /^braze-local: POST \/users\/track 201 \d+ ms$/m, "the request is logged on stderr");
  assert.ok(fs.existsSync(path.join(dataDir, "workspace.sqlite")));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

Command.run();
