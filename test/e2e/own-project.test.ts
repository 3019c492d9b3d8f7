// The package as a user meets it: `npm pack` the repository, install the tarball
// into a copy of examples/own-project (a separate Pulumi project), compile its
// index.ts against the installed types, and run preview, up and destroy through
// the real engine against braze-local. Everything the program and the provider
// load comes from the installed tarball, so a file left out of `files`, a
// dependency not declared, or a type not shipped fails here.
//
// The install reaches only the npm registry, and little of it: --prefer-offline
// takes what `npm ci` of this repository left in npm's cache, optional
// dependencies (better-sqlite3, braze-local's store, built from source when no
// prebuilt binary fits) and devDependencies are left out, and install scripts do
// not run. index.ts is compiled by this repository's TypeScript rather than run
// through Pulumi's ts-node, which would need the project's devDependencies.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { assertPrintedOnce, issueLines } from "../harness/printed-issues";
import { startLocalBraze, type LocalBraze } from "../harness/local-braze";
import { createTestStack, type TestStack } from "../harness/test-stack";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const exampleDir = path.join(repoRoot, "examples", "own-project");
/** The SDK this repository is tested with, installed next to the package as a user would. */
const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[
  "@pulumi/pulumi"
];

interface Context {
  tempDir: string;
  projectDir: string;
  braze: LocalBraze;
  stack: TestStack;
}

/** Runs a command to completion; fails with its output when it exits non-zero. */
function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

const OwnProject = suite<Context>("the packed package in a Pulumi project of one's own");

OwnProject.before(async (context) => {
  context.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-own-project-"));
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", context.tempDir], repoRoot)) as Array<{
    filename: string;
  }>;
  const tarball = path.join(context.tempDir, packed.filename);

  context.projectDir = path.join(context.tempDir, "project");
  fs.cpSync(exampleDir, context.projectDir, {
    recursive: true,
    filter: (source) => !/node_modules|Pulumi\.[^.]+\.yaml$/.test(path.relative(exampleDir, source)),
  });
  run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--omit=dev", "--omit=optional", "--ignore-scripts", tarball, `@pulumi/pulumi@${pulumiVersion}`],
    context.projectDir,
  );
  // The installed package's types, with this repository's TypeScript and Node types.
  run(
    process.execPath,
    [
      path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      "tsconfig.json",
      "--outDir",
      "out",
      "--typeRoots",
      path.join(repoRoot, "node_modules", "@types"),
    ],
    context.projectDir,
  );
  // The compiled program runs as plain JavaScript; the rest of Pulumi.yaml is the example's.
  const settings = fs
    .readFileSync(path.join(context.projectDir, "Pulumi.yaml"), "utf8")
    .replace(/^runtime:.*$/m, "runtime:\n  name: nodejs\n  options:\n    typescript: false\nmain: out/index.js");
  fs.writeFileSync(path.join(context.projectDir, "Pulumi.yaml"), settings);

  context.braze = await startLocalBraze();
  context.stack = await createTestStack({ projectDir: context.projectDir, config: { "braze:restEndpoint": { value: context.braze.url } } });
});

OwnProject.after(async (context) => {
  await context.stack?.cleanup();
  await context.braze?.close();
  if (context.tempDir) fs.rmSync(context.tempDir, { recursive: true, force: true });
});

OwnProject("the program loads the package from the project's node_modules", ({ projectDir }) => {
  const installed = path.join(projectDir, "node_modules", "pulumi-braze-profiles");
  assert.ok(fs.existsSync(path.join(installed, "dist", "index.js")), "the package is installed");
  assert.not.ok(fs.lstatSync(installed).isSymbolicLink(), "installed from the tarball, not linked to the repository");
  assert.not.ok(fs.existsSync(path.join(installed, "dist", "test")), "no compiled tests shipped");
});

OwnProject("preview plans the set, the user and the stack, and sends nothing", async ({ stack, braze }) => {
  const result = await stack.preview();
  assert.equal(result.changeSummary, { create: 3 });
  assert.equal(await braze.requests(), []);
});

OwnProject("up creates the file's users and the user declared in code", async ({ stack, braze }) => {
  const result = await stack.up();
  assert.equal(result.summary.resourceChanges, { create: 3 });
  assert.is(result.outputs.personaCount.value, 2);
  assert.is(result.outputs.releaseManagerAlias.value, "release-manager");

  const requests = await braze.requests();
  const tracked = requests.flatMap((request) =>
    ((request.body as { attributes?: Array<{ user_alias: { alias_name: string } }> }).attributes ?? []).map(({ user_alias }) => user_alias.alias_name),
  );
  assert.equal(tracked.sort(), ["ada", "bob", "release-manager"], "each user sent once");

  const rita = await braze.userByAlias("qa-personas", "release-manager");
  assert.equal(rita.attributes, { first_name: "Rita", email: "rita@example.com", email_subscribe: "opted_in", on_call: true });
  assert.equal(rita.subscriptionGroups, { "5e1f0a2c-newsletter": "subscribed" });
  const ada = await braze.userByAlias("qa-personas", "ada");
  assert.equal(ada.attributes, {
    first_name: "Ada",
    email: "ada@example.com",
    email_subscribe: "opted_in",
    country: "GB",
    favorite_genres: ["sci-fi", "drama"],
  });
  assert.equal(ada.subscriptionGroups, { "5e1f0a2c-newsletter": "subscribed" });
  const bob = await braze.userByAlias("qa-personas", "bob");
  assert.equal(bob.attributes, { first_name: "Bob", phone: "+15043277269", plan: "trial", seats: 3 });
});

OwnProject("an unchanged project previews no change and sends nothing", async ({ stack, braze }) => {
  const before = (await braze.requests()).length;
  await stack.preview({ expectNoChanges: true });
  assert.is((await braze.requests()).length, before);
});

OwnProject("an invalid users.yaml stops preview with each problem printed once and no stack trace", async ({ stack, projectDir }) => {
  const file = path.join(projectDir, "users.yaml");
  const valid = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, valid.replace("email_subscribe: opted_in", "email_subscribe: yes").replace("first_name: Bob", "firstname: Bob"));
  try {
    const failure = await stack.preview().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    assert.ok(failure, "preview must fail");
    const issues = issueLines(file);
    assert.is(issues.length, 2, issues.join("\n"));
    assertPrintedOnce(stack.lastOutput, issues);
  } finally {
    fs.writeFileSync(file, valid);
  }
});

OwnProject("destroy deletes every user", async ({ stack, braze }) => {
  await stack.destroy();
  assert.equal(await braze.users(), []);
});

OwnProject.run();
