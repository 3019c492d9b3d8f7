// The API key is used in the Authorization header and nowhere else: not in
// any file the run writes (Pulumi's state, PULUMI_HOME, the stack config, temporary
// files, braze-local's store), not in anything the CLI prints, not in braze-local's
// request log or log lines. Each search first checks that it has material.
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ACCESS_LOG_LINE } from "../../server/http/access-log";
import { personas } from "../harness/personas";
import { filesUnder, type WrittenFile } from "../harness/test-stack";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
const API_KEY = "sk-test-4f1c9e2a7b5d4c3e8f9a0b1c2d3e4f5a";
const WRONG_KEY = "sk-wrong-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";

interface Context extends YamlStack {
  serverLog: string[];
  printed: string;
}

const Secrets = suite<Context>("the API key stays secret");

Secrets.before(async (context) => {
  context.serverLog = [];
  context.printed = "";
  const yamlStack = await startYamlStack({
    projectName: "secrets",
    braze: { apiKeys: [API_KEY], log: (line) => context.serverLog.push(line) },
    config: { "braze:apiKey": { value: API_KEY, secret: true } },
  });
  Object.assign(context, yamlStack);
});

Secrets.after(async (context) => context.close?.());

async function run(context: Context, operation: () => Promise<unknown>): Promise<void> {
  try {
    await operation();
  } finally {
    context.printed += context.stack.lastOutput;
  }
}

Secrets("a full lifecycle with the key: create, change, refresh, destroy", async (context) => {
  const users = personas(3, "secrets");
  context.writeUsers(users);
  await run(context, () => context.stack.up());
  context.writeUsers(users.map((u) => ({ ...u, attributes: { ...u.attributes, plan: "pro" } })));
  await run(context, () => context.stack.up());
  await run(context, () => context.stack.refresh());
  assert.is((await context.braze.users()).length, 3);
  const stored = context.stack.storedStateText();
  assert.match(stored, "braze:apiKey", "the key is in state as a secret config value");
  assert.match(stored, "ciphertext", "and it is encrypted there");
  assert.not.match(stored, API_KEY, "state on disk never holds the key in plaintext");
  await run(context, () => context.stack.destroy());
  assert.equal(await context.braze.users(), []);
});

Secrets("a rejected key fails with 401 and the wrong key is not printed either", async (context) => {
  await context.stack.setConfig({ "braze:apiKey": { value: WRONG_KEY, secret: true } });
  context.writeUsers(personas(1, "secrets"));
  const failure = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  context.printed += context.stack.lastOutput;
  assert.ok(failure, "up must fail with a wrong key");
  assert.match(failure!.message, "POST /users/track: 401");
  assert.not.match(failure!.message, WRONG_KEY);
});

/** Every file of the run: the stack's temp folder, and braze-local's data folder under `braze-local/`. */
function filesOfTheRun(context: Context): WrittenFile[] {
  const brazeFiles = filesUnder(context.braze.dataDir).map((file) => ({
    path: `braze-local/${path.relative(context.braze.dataDir, file).split(path.sep).join("/")}`,
    text: fs.readFileSync(file, "latin1"),
  }));
  return [...context.stack.writtenFiles(), ...brazeFiles];
}

Secrets("neither key appears in any file the run wrote", async (context) => {
  const files = filesOfTheRun(context);
  const paths = files.map((file) => file.path);
  // The search has material everywhere the run writes.
  for (const folder of ["backend/", "home/", "workspace/", "braze-local/"]) {
    assert.ok(
      files.some((file) => file.path.startsWith(folder) && file.text.length > 0),
      `no non-empty file under ${folder} among: ${paths.join(", ")}`,
    );
  }
  const stackConfig = files.find((file) => file.path === "workspace/Pulumi.dev.yaml");
  assert.ok(stackConfig, `the stack config file was written: ${paths.join(", ")}`);
  assert.match(stackConfig!.text, /braze:apiKey:\s+secure: \S+/, "the stack config holds the key, encrypted");
  assert.ok(
    files.some((file) => file.path.startsWith("braze-local/") && file.text.includes("persona-0000")),
    "braze-local's store holds what it was sent",
  );
  for (const [name, key] of [
    ["API_KEY", API_KEY],
    ["WRONG_KEY", WRONG_KEY],
  ]) {
    const holding = files.filter((file) => file.text.includes(key)).map((file) => file.path);
    assert.equal(holding, [], `files holding ${name}`);
  }
});

Secrets("neither key appears in what the CLI printed or in braze-local's request log and log lines", async (context) => {
  assert.ok(context.printed.length > 0, "the CLI output was captured");
  const requests = await context.braze.requests();
  assert.ok(requests.length > 0, "braze-local logged requests");
  assert.ok(
    requests.some((entry) => entry.status === 401),
    "the rejected key's request is in the log",
  );
  // One log line per API request, the 401 included: the log is the material the key is searched in.
  assert.is(context.serverLog.length, requests.length, `log lines:\n${context.serverLog.join("\n")}`);
  // Concurrent requests may finish in another order than they were stored, so compare as sorted lists.
  const logged = context.serverLog.map((line) => {
    const match = ACCESS_LOG_LINE.exec(line);
    assert.ok(match, `not a request line: ${line}`);
    return `${match![1]} ${match![2]} ${match![3]}`;
  });
  assert.equal(logged.sort(), requests.map((entry) => `${entry.method} ${entry.path} ${entry.status ?? "dropped"}`).sort());
  const requestLog = JSON.stringify(requests);
  for (const key of [API_KEY, WRONG_KEY]) {
    assert.not.match(context.printed, key);
    assert.not.match(requestLog, key);
    assert.not.match(context.serverLog.join("\n"), key);
  }
});

Secrets.run();
