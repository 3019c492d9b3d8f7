// The plan honours the program's declarations as `up` does: a user that leaves
// one set while another set, or a BrazeUser, declares its alias is forgotten,
// not deleted; and the plan's deletes, creates and data points for the sets are
// what braze-local then counts. BrazeUser resources are named, not priced.
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import type { PlanReport } from "../../plan/plan-report";
import { startLocalBraze, type LocalBraze } from "../harness/local-braze";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { planReport } from "../harness/plan-command";
import { createTestStack, type TestStack } from "../harness/test-stack";

const TWO_SETS_PROGRAM = path.resolve(__dirname, "..", "fixtures", "two-sets-program");

interface Context {
  braze: LocalBraze;
  stack: TestStack;
  write(name: "a" | "b" | "perUser", users: PersonaDeclaration[]): void;
  users: PersonaDeclaration[];
}

const Moves = suite<Context>("plan: moves between sets and to BrazeUser resources");

Moves.before(async (context) => {
  context.braze = await startLocalBraze();
  context.stack = await createTestStack({ programDir: TWO_SETS_PROGRAM, projectName: "plan-moves", env: { BRAZE_REST_ENDPOINT: context.braze.url } });
  const file = (name: string) => path.join(context.stack.stateDir, `${name}.yaml`);
  context.write = (name, users) => fs.writeFileSync(file(name), stringify({ users }));
  await context.stack.setConfig({ "braze:fileA": { value: file("a") }, "braze:fileB": { value: file("b") }, "braze:filePerUser": { value: file("perUser") } });
  context.users = personas(4, "moves");
});
Moves.after(async (context) => {
  await context.stack?.cleanup();
  await context.braze?.close();
});

const summary = (report: PlanReport) => report.changes.map((change) => `${change.set} ${change.action} ${change.key}`);

Moves("two sets created: the plan creates each user in its set", async (context) => {
  const [u0, u1, u2, u3] = context.users;
  context.write("a", [u0, u1]);
  context.write("b", [u2, u3]);
  context.write("perUser", []);
  const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.equal(summary(report), ["a create moves/persona-0000", "a create moves/persona-0001", "b create moves/persona-0002", "b create moves/persona-0003"]);
  // One /users/track request per set: each set sends its own.
  assert.is(report.requests["/users/track"], 2);
  await context.stack.up();
  const stats = (await context.braze.stats()) as { requests: { by_path: Record<string, number> }; data_points: { total: number } };
  assert.equal([report.requests["/users/track"], report.dataPoints], [stats.requests.by_path["/users/track"], stats.data_points.total]);
});

Moves("a user moved to the other set and one moved to a BrazeUser are forgotten, not deleted; a removed one is deleted", async (context) => {
  const [u0, u1, u2, u3] = context.users;
  context.write("a", [u0]); // u1 moves to b
  context.write("b", [u2, u1]); // u3 moves to a BrazeUser
  context.write("perUser", [u3]);
  await fetch(`${context.braze.url}/_local/reset-log`, { method: "POST" });
  const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.equal(summary(report), ["a forget moves/persona-0001", "b create moves/persona-0001", "b forget moves/persona-0003"]);
  assert.match(report.changes[0].note ?? "", /BrazeUserSet "b" declares it/);
  assert.match(report.changes[2].note ?? "", /BrazeUser .* declares it/);
  assert.equal(
    report.unplanned.map((change) => change.operation),
    ["create"],
  );
  assert.is(report.users.delete, 0);
  assert.is(report.changesAnything, true);
  await context.stack.up();
  const requests = await context.braze.requests();
  assert.equal(
    requests.filter((request) => request.path === "/users/delete"),
    [],
    "nobody deleted",
  );
  // What the sets sent is the plan's one create; the BrazeUser's own create is the only other object.
  const objects = requests
    .filter((request) => request.path === "/users/track")
    .flatMap((request) => (request.body as { attributes: Array<{ user_alias: { alias_name: string } }> }).attributes);
  assert.equal(objects.map((object) => object.user_alias.alias_name).sort(), ["persona-0001", "persona-0003"]);
  assert.is((await context.braze.users()).length, 4);
});

Moves("a user removed from every declaration is deleted, within braze:maxDeletes", async (context) => {
  const [u0, u1, u2] = context.users;
  context.write("b", [u2, u1]);
  context.write("a", []);
  context.write("perUser", []);
  void u0;
  await fetch(`${context.braze.url}/_local/reset-log`, { method: "POST" });
  const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.equal(summary(report), ["a delete moves/persona-0000"]);
  assert.equal(
    report.unplanned.map((change) => change.operation),
    ["delete"],
  );
  assert.equal([report.budgets.deletes, report.budgets.exceeded], [1, []]);
  await context.stack.up();
  const deleted = (await context.braze.requests())
    .filter((request) => request.path === "/users/delete")
    .flatMap((request) => (request.body as { user_aliases: Array<{ alias_name: string }> }).user_aliases.map((alias) => alias.alias_name));
  assert.equal(deleted.sort(), ["persona-0000", "persona-0003"], "the set's planned delete, and the BrazeUser leaving the program");
});

Moves.run();
