// braze-profiles import's command line and input lists: what they mean, and
// that each mistake exits 2 with a message naming it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EXIT_USAGE, IMPORT_USAGE, runImport } from "../../import/cli";
import { parseImportArgs } from "../../import/import-args";
import { ImportError } from "../../import/import-error";
import { progressDrawer, progressText } from "../../import/progress-line";
import { distinctRequests, requestKey, requestsOfLines } from "../../import/requested-user";
import { brazeTarget, pulumiConfig } from "../../import/stack-config";
import { main } from "../../plan/cli";

async function run(args: string[], env: NodeJS.ProcessEnv = { PATH: "/nonexistent" }, stdin = "") {
  let stdout = "";
  let stderr = "";
  const code = await runImport(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env, readStdin: async () => stdin });
  return { code, stdout, stderr };
}

function usageError(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    assert.instance(error, ImportError);
    assert.ok((error as ImportError).usage, "a usage error");
    return error as ImportError;
  }
  return assert.unreachable("expected a usage error") as never;
}

const Args = suite("import arguments");

Args("lists keep the command line's order and kind; several of one kind are allowed", () => {
  const options = parseImportArgs([
    "--aliases",
    "a.txt",
    "--external-ids",
    "ids.txt",
    "--emails",
    "-",
    "--external-ids",
    "more.txt",
    "--phones",
    "p.txt",
    "--out",
    "users.yaml",
  ]);
  assert.equal(
    options.inputs.map((input) => [input.kind, input.file]),
    [
      ["alias", "a.txt"],
      ["external_id", "ids.txt"],
      ["email", "-"],
      ["external_id", "more.txt"],
      ["phone", "p.txt"],
    ],
  );
  assert.equal([options.out, options.resume, options.endpoint], ["users.yaml", false, undefined]);
});

Args("refuses no list, --resume without --out, two lists on standard input and unknown options", () => {
  assert.match(usageError(() => parseImportArgs(["--out", "x.yaml"])).message, /^braze-profiles import: no users to read; give at least one of --external-ids/);
  assert.match(usageError(() => parseImportArgs(["--external-ids", "a", "--resume"])).message, /^braze-profiles import --resume: needs --out; /);
  assert.match(usageError(() => parseImportArgs(["--emails", "-", "--phones", "-"])).message, /standard input \(-\) is named by more than one list/);
  assert.match(usageError(() => parseImportArgs(["--external-id", "a"])).message, /Unknown option '--external-id'/);
});

Args("--help prints the usage on stdout and exits 0; it names where lists come from and every exit code", async () => {
  assert.equal(await run(["--help"]), { code: 0, stdout: IMPORT_USAGE, stderr: "" });
  for (const words of ["CSV Export", "/users/export/segment", "BRAZE_REST_API_KEY", "--resume", "0 every user was found, 3 some were not", "2 usage error"]) {
    assert.ok(IMPORT_USAGE.includes(words), words);
  }
});

Args("braze-profiles import goes to the import command", async () => {
  let stdout = "";
  assert.equal(await main(["import", "--help"], { stdout: (text) => (stdout += text), stderr: () => undefined, env: {} }), 0);
  assert.equal(stdout, IMPORT_USAGE);
});

Args("usage errors exit 2 with the message on stderr and nothing on stdout", async () => {
  const result = await run(["--external-ids", "/nonexistent/ids.txt", "--endpoint", "http://127.0.0.1:9"]);
  assert.equal([result.code, result.stdout], [EXIT_USAGE, ""]);
  assert.match(result.stderr, /^braze-profiles import: \/nonexistent\/ids\.txt: cannot read the list: ENOENT; check the path\n$/);
  assert.equal((await run([])).code, EXIT_USAGE);
});

Args("a bad alias line exits 2 naming the list's line", async () => {
  const result = await run(["--aliases", "-", "--endpoint", "http://127.0.0.1:9"], {}, "qa,ada\nbob\n");
  assert.equal(result.code, EXIT_USAGE);
  assert.match(result.stderr, /^braze-profiles import: -:2: "bob" is not an alias; write one alias a line as label,name/);
});

const Lists = suite("import lists");

Lists("one identifier a line, trimmed; blank lines ignored; aliases split at the first comma", () => {
  assert.equal(requestsOfLines("external_id", "u-1\n\n  u-2  \r\n", "ids.txt"), [
    { kind: "external_id", external_id: "u-1" },
    { kind: "external_id", external_id: "u-2" },
  ]);
  assert.equal(requestsOfLines("alias", "qa, ada\ncrm,smith, jr\n", "a.txt"), [
    { kind: "alias", label: "qa", name: "ada" },
    { kind: "alias", label: "crm", name: "smith, jr" },
  ]);
  assert.equal(requestsOfLines("phone", "+15555550100\n", "p.txt"), [{ kind: "phone", phone: "+15555550100" }]);
});

Lists("a user asked for twice is read once", () => {
  const requests = distinctRequests([...requestsOfLines("email", "a@x.io\na@x.io\n", "e"), ...requestsOfLines("external_id", "a@x.io", "i")]);
  assert.equal(requests.map(requestKey), ["email a@x.io", "external_id a@x.io"]);
});

const Target = suite("import target");

Target("--endpoint with BRAZE_REST_API_KEY reads no stack; the key is the variable's", async () => {
  const target = await brazeTarget({
    endpoint: "https://rest.iad-01.braze.com",
    stack: "dev",
    env: { BRAZE_REST_API_KEY: "k-1" },
    readConfig: () => Promise.reject(new Error("the stack is not read")),
  });
  assert.equal(target, { endpoint: "https://rest.iad-01.braze.com", apiKey: "k-1" });
});

Target("without --endpoint, the stack's braze:restEndpoint and braze:apiKey", async () => {
  const asked: Array<string | undefined> = [];
  const target = await brazeTarget({
    stack: "dev",
    env: {},
    readConfig: async (stack) => {
      asked.push(stack);
      return { "braze:restEndpoint": "https://rest.fra-01.braze.eu", "braze:apiKey": "stack-key" };
    },
  });
  assert.equal([target, asked], [{ endpoint: "https://rest.fra-01.braze.eu", apiKey: "stack-key" }, ["dev"]]);
});

Target("reads the stack with pulumi config --json --show-secrets, for --stack in --cwd, and keeps the string values", async () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  const argsFile = path.join(bin, "args");
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    `#!/bin/sh\necho "$@" > ${argsFile}\necho '{"braze:restEndpoint":{"value":"https://rest.iad-01.braze.com","secret":false},"braze:apiKey":{"value":"s3cret","secret":true},"braze:maxDeletes":{"value":5}}'\n`,
    { mode: 0o755 },
  );
  const values = await pulumiConfig("dev", "/project", { PATH: `${bin}:${process.env.PATH}` });
  assert.equal(values, { "braze:restEndpoint": "https://rest.iad-01.braze.com", "braze:apiKey": "s3cret" });
  assert.equal(fs.readFileSync(argsFile, "utf8").trim(), "config --json --show-secrets --stack dev --cwd /project --non-interactive");
});

Target("a failing pulumi config is an error naming the stack and what to do instead", async () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  fs.writeFileSync(path.join(bin, "pulumi"), "#!/bin/sh\necho 'error: no stack named dev found' >&2\nexit 255\n", { mode: 0o755 });
  try {
    await pulumiConfig("dev", undefined, { PATH: `${bin}:${process.env.PATH}` });
    assert.unreachable("expected an error");
  } catch (error) {
    assert.instance(error, ImportError);
    assert.equal(
      (error as ImportError).message,
      "pulumi config --stack dev: failed: error: no stack named dev found; select the stack (--stack), or give --endpoint and BRAZE_REST_API_KEY",
    );
  }
});

Target("a remote endpoint without a key is a usage error naming BRAZE_REST_API_KEY, and the message holds no key", async () => {
  try {
    await brazeTarget({ endpoint: "https://rest.iad-01.braze.com", env: {}, cwd: os.tmpdir() });
    assert.unreachable("expected an error");
  } catch (error) {
    assert.instance(error, ImportError);
    assert.match((error as ImportError).message, /^BRAZE_REST_API_KEY: no Braze API key for https:\/\/rest\.iad-01\.braze\.com; set BRAZE_REST_API_KEY/);
  }
});

Target("an http endpoint off loopback is refused", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "import-target-"));
  try {
    await brazeTarget({ endpoint: "http://braze.example.com", env: { BRAZE_REST_API_KEY: "k" }, cwd: folder });
    assert.unreachable("expected an error");
  } catch (error) {
    assert.match((error as ImportError).message, /^--endpoint: "http:\/\/braze\.example\.com" does not use https/);
  }
});

const Progress = suite("import progress line");

Progress("says users read, the total and the time left at this run's pace", () => {
  assert.equal(progressText(100, 1000, 10_000, 100), "braze-profiles import: read 100/1,000 users, about 1 min 30 s left");
  assert.equal(progressText(50, 100, 0, 0), "braze-profiles import: read 50/100 users");
  assert.equal(progressText(100, 100, 5000, 100), "braze-profiles import: read 100/100 users, done");
});

Progress("is redrawn in place on a terminal and ended with a newline; draws nothing elsewhere", () => {
  const drawn: string[] = [];
  let now = 0;
  const onTerminal = progressDrawer(
    (text) => drawn.push(text),
    true,
    () => now,
  );
  onTerminal.draw(0, 100, 0);
  now = 2000;
  onTerminal.draw(50, 100, 50);
  onTerminal.finish();
  assert.equal(drawn, ["\r\x1b[Kbraze-profiles import: read 0/100 users", "\r\x1b[Kbraze-profiles import: read 50/100 users, about 2 s left", "\n"]);
  const piped: string[] = [];
  const offTerminal = progressDrawer((text) => piped.push(text), false);
  offTerminal.draw(50, 100, 50);
  offTerminal.finish();
  assert.equal(piped, []);
});

Args.run();
Lists.run();
Target.run();
Progress.run();
