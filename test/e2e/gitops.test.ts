// examples/gitops/pipeline.sh, run step by step as a pipeline runs it, against
// braze-local with the root program: a pull request with changes plans them
// (exit 2), the merge applies them, the next pull request plans nothing (exit 0),
// the nightly drift check passes, and fails once Braze is changed out of band
// (which `braze-profiles plan --refresh` then shows).
// The workflow (braze-profiles.yml) is checked to run those same steps.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { DEVELOPMENT_API_KEY } from "../../braze-facts/local-server";
import { PLAN_BIN, planShell, runPlanBin } from "../harness/plan-command";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const EXAMPLE = path.resolve(__dirname, "..", "..", "..", "examples", "gitops");
const SCRIPT = path.join(EXAMPLE, "pipeline.sh");

interface Context extends YamlStack {
  planFile: string;
}

/** Runs one step of the script (asynchronously: braze-local answers from this process). */
function pipeline(context: Context, step: string): Promise<{ status: number | null; output: string }> {
  const { cwd, env } = planShell(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
  const child = spawn("bash", [SCRIPT, step], {
    cwd: context.stack.stateDir,
    env: { ...env, PULUMI_STACK: "dev", PULUMI_CWD: cwd, PLAN_FILE: context.planFile, BRAZE_PROFILES: `${process.execPath} ${PLAN_BIN}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

const users = [
  { alias: { name: "ada", label: "qa" }, attributes: { first_name: "Ada", plan: "pro" } },
  { key: "qa-bob", alias: { name: "bob", label: "qa" }, attributes: { first_name: "Bob" }, subscription_groups: { "group-news": "subscribed" } },
];

const GitOps = suite<Context>("examples/gitops: the pipeline's steps against braze-local");

GitOps.before(async (context) => {
  // The key as a real stack keeps it: a secret in the stack's config, never printed.
  Object.assign(context, await startYamlStack({ projectName: "gitops", config: { "braze:apiKey": { value: DEVELOPMENT_API_KEY, secret: true } } }));
  context.planFile = path.join(context.stack.stateDir, "braze-plan.md");
});
GitOps.after(async (context) => context.close?.());

GitOps("pr with changes: the markdown plan is written, preview runs, exit code 2, nothing sent", async (context) => {
  context.writeUsers(users);
  const { status, output } = await pipeline(context, "pr");
  assert.is(status, 2, output);
  const plan = fs.readFileSync(context.planFile, "utf8");
  assert.ok(plan.startsWith("### Braze plan for stack `dev`\n"), plan);
  assert.ok(plan.includes("**Users:** 2 to create, 0 to update, 0 to rename, 0 to delete, 0 unchanged"), plan);
  assert.ok(plan.includes("**Data points:** 3"), plan);
  assert.match(output, /\+ pulumi-nodejs:dynamic\/braze:UserSet: \(create\)/);
  assert.equal(await context.braze.requests(), []);
  assert.not.ok(`${output}${plan}`.includes(DEVELOPMENT_API_KEY), "the API key is never printed");
});

GitOps("merge: up creates the users", async (context) => {
  const { status, output } = await pipeline(context, "merge");
  assert.is(status, 0, output);
  assert.is((await context.braze.users()).length, 2);
});

GitOps("pr again: nothing would change, exit code 0", async (context) => {
  const { status, output } = await pipeline(context, "pr");
  assert.is(status, 0, output);
  assert.ok(fs.readFileSync(context.planFile, "utf8").includes("No changes"));
});

GitOps("the plan command itself: over braze:maxDeletes it exits 2 with the verdict; an unknown stack exits 1 saying so", async (context) => {
  await context.stack.setConfig({ "braze:maxDeletes": { value: "0" } });
  context.writeUsers(users.slice(0, 1));
  const { cwd } = planShell(context.stack);
  const over = await runPlanBin(context.stack, ["plan", "--stack", "dev", "--cwd", cwd, "--format", "json"], { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.is(over.code, 2, over.stderr);
  assert.not.ok(`${over.stdout}${over.stderr}`.includes(DEVELOPMENT_API_KEY), "the API key is never printed");
  const plan = JSON.parse(over.stdout) as { users: Record<string, number>; requests: Record<string, number>; budgets: { within: boolean; verdict: string } };
  assert.equal(plan.users, { create: 0, update: 0, rename: 0, identify: 0, rename_external_id: 0, delete: 1, unchanged: 1, forget: 0 });
  assert.equal(plan.requests, {
    "/users/track": 0,
    "/users/delete": 1,
    "/users/alias/update": 0,
    "/users/export/ids": 0,
    "/users/alias/new": 0,
    "/users/identify": 0,
    "/users/external_ids/rename": 0,
    "/users/external_ids/remove": 0,
    "/subscription/status/get": 0,
  });
  assert.is(plan.budgets.within, false);
  assert.match(plan.budgets.verdict, /^over budget: up refuses this plan .*it would delete 1 users and braze:maxDeletes is 0/);
  const missing = await runPlanBin(context.stack, ["plan", "--stack", "nope", "--cwd", cwd]);
  assert.is(missing.code, 1);
  assert.match(
    missing.stderr,
    /^braze-profiles plan: pulumi stack export --stack nope --cwd .* failed \(exit \d+\): .*nope.*; fix that, then run the plan again\n$/s,
  );
  assert.is(missing.stdout, "");
  await context.stack.stack.removeConfig("braze:maxDeletes");
  context.writeUsers(users);
  assert.equal(await context.braze.requests().then((all) => all.filter((request) => request.path !== "/users/track")), [], "planning sent nothing");
});

GitOps("drift: exit code 0 while Braze holds what state records, non-zero after an out-of-band change", async (context) => {
  const clean = await pipeline(context, "drift");
  assert.is(clean.status, 0, clean.output);
  await context.braze.track({ attributes: [{ user_alias: { alias_name: "ada", alias_label: "qa" }, plan: "hacked" }] });
  const drifted = await pipeline(context, "drift");
  assert.ok(drifted.status !== 0, drifted.output);
  assert.match(drifted.output, /no changes were expected/);
  // The list a person reads: the user, the attribute, both values.
  assert.match(drifted.output, /drift: 1 user differs from the file/);
  assert.match(drifted.output, /qa\/ada: attributes\.plan: Braze holds "hacked", the file wants "/);
  // The plan sees drift only when asked to read Braze first.
  const { cwd } = planShell(context.stack);
  const args = ["plan", "--stack", "dev", "--cwd", cwd, "--format", "json"];
  assert.is((await runPlanBin(context.stack, args, { BRAZE_REST_ENDPOINT: context.braze.url })).code, 0);
  const refreshed = await runPlanBin(context.stack, [...args, "--refresh"], { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.is(refreshed.code, 2, refreshed.stderr);
  const plan = JSON.parse(refreshed.stdout) as { changes: Array<{ key: string; action: string; parts: unknown[] }> };
  assert.equal(
    plan.changes.map(({ key, action, parts }) => ({ key, action, parts })),
    [{ key: "qa/ada", action: "update", parts: [{ kind: "attribute", name: "plan", change: "modified", from: "hacked", to: "pro" }] }],
  );
});

GitOps("an unknown step exits 1 with the usage", async (context) => {
  const { status, output } = await pipeline(context, "deploy");
  assert.is(status, 1);
  assert.match(output, /usage: .*pipeline\.sh pr\|merge\|drift/);
});

GitOps("the GitHub Actions workflow runs the same steps: pr on pull requests, merge on pushes to main, drift on the schedule", () => {
  const workflow = parse(fs.readFileSync(path.join(EXAMPLE, "braze-profiles.yml"), "utf8")) as {
    on: Record<string, unknown>;
    jobs: Record<string, { if: string; steps: Array<{ run?: string }> }>;
  };
  assert.equal(Object.keys(workflow.on).sort(), ["pull_request", "push", "schedule", "workflow_dispatch"]);
  const runs = (job: string) => workflow.jobs[job].steps.map((step) => step.run ?? "").join("\n");
  assert.match(workflow.jobs.plan.if, /pull_request/);
  assert.match(runs("plan"), /bash ci\/pipeline\.sh pr\b/);
  assert.match(runs("plan"), /--body-file braze-plan\.md/);
  assert.match(workflow.jobs.up.if, /push/);
  assert.match(runs("up"), /bash ci\/pipeline\.sh merge\b/);
  assert.match(workflow.jobs.drift.if, /schedule/);
  assert.match(runs("drift"), /bash ci\/pipeline\.sh drift\b/);
});

GitOps.run();
