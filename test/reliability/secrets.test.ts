// The API key is used in the Authorization header and nowhere else: not in
// Pulumi's state, not in anything the CLI prints, not in braze-local's log.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { personas } from "../harness/personas";
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

Secrets("neither key appears in what the CLI printed or in braze-local's request log and log lines", async (context) => {
  assert.ok(context.printed.length > 0, "the CLI output was captured");
  const requestLog = JSON.stringify(await context.braze.requests());
  const stored = context.stack.storedStateText();
  for (const key of [API_KEY, WRONG_KEY]) {
    assert.not.match(stored, key);
    assert.not.match(context.printed, key);
    assert.not.match(requestLog, key);
    assert.not.match(context.serverLog.join("\n"), key);
  }
});

Secrets.run();
