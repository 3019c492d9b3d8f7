// The guards at every command of the real engine: a preview fails where its up
// would, so a pull request's check catches what its merge would refuse, and
// destroy obeys braze:maxDeletes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { planReport } from "../harness/plan-command";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
import { withCliEnvironment } from "../harness/test-stack";

const USERS = 12;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
}

const Guards = suite<Context>(`guards: ${USERS} users, braze:maxDeletes at its default of 10`);

Guards.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "guards" }));
});
Guards.after(async (context) => context.close?.());

const failureOf = (operation: Promise<unknown>) =>
  operation.then(
    () => undefined,
    (error: Error) => error,
  );

Guards(`create ${USERS} users`, async (context) => {
  context.desired = personas(USERS, "guards");
  context.writeUsers(context.desired);
  await context.stack.up();
  assert.is((await context.braze.users()).length, USERS);
  await context.braze.newRequests();
});

Guards("an emptied file fails the preview with the up's braze:maxDeletes message, and sends nothing", async (context) => {
  context.writeUsers([]);
  const refused = await failureOf(context.stack.preview());
  assert.ok(refused, "the preview fails");
  assert.match(refused!.message, `BrazeUserSet "users": nothing was sent: the plan goes over this run's budget`);
  assert.match(
    refused!.message,
    `it would delete ${USERS} users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=${USERS} pulumi up"`,
  );
  const up = await failureOf(context.stack.up());
  assert.match(up?.message ?? "", `it would delete ${USERS} users and braze:maxDeletes is 10`);
  assert.equal(await context.braze.newRequests(), [], "braze-local received no request");
  assert.is((await context.braze.users()).length, USERS);
  context.writeUsers(context.desired);
  await context.stack.preview({ expectNoChanges: true });
});

Guards("destroy over braze:maxDeletes is refused and deletes nothing", async (context) => {
  const refused = await failureOf(context.stack.destroy());
  assert.ok(refused, "the destroy fails");
  assert.match(
    refused!.message,
    `it would delete ${USERS} users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=${USERS} pulumi destroy"`,
  );
  assert.equal(await context.braze.newRequests(), []);
  assert.is((await context.braze.users()).length, USERS);
});

Guards("destroy allowed for one command by BRAZE_PROFILES_ALLOW_DELETES deletes every user, and leaves no config behind", async (context) => {
  await withCliEnvironment(context.stack, { BRAZE_PROFILES_ALLOW_DELETES: String(USERS) }, () => context.stack.destroy());
  assert.equal(
    (await context.braze.newRequests()).map((r) => r.path),
    ["/users/delete"],
  );
  assert.equal(await context.braze.users(), []);
  assert.is((await context.stack.stack.getAllConfig())["braze:maxDeletes"], undefined);
});

Guards(
  "a relabel without a key is flagged as a likely rename in the preview and the plan, and refused by default; braze:allowLikelyRenames lets it through",
  async (context) => {
    context.writeUsers(context.desired);
    await context.stack.up();
    await context.braze.newRequests();
    const [first, ...rest] = context.desired;
    const relabelled = [{ ...first, alias: { ...first.alias, label: "guards-vip" } }, ...rest];
    context.writeUsers(relabelled);
    const note =
      `looks like a rename: guards/${first.alias.name} is deleted and guards-vip/${first.alias.name} created, the same alias name under another label; ` +
      `to keep one user, put the old alias back, add "key: ${first.alias.name}" to its entry`;
    const refused = await failureOf(context.stack.preview());
    assert.ok(refused, "the preview fails");
    assert.match(refused!.message, note);
    const up = await failureOf(context.stack.up());
    assert.match(up?.message ?? "", note);
    assert.equal(await context.braze.newRequests(), [], "nothing was sent");
    // The plan reports what the preview refuses, on the created user.
    const plan = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
    const created = plan.changes.find((change) => change.action === "create");
    assert.match(created?.note ?? "", note);
    assert.equal(await context.braze.newRequests(), []);

    await context.stack.setConfig({ "braze:allowLikelyRenames": { value: "true" } });
    await context.stack.preview();
    assert.match(context.stack.lastOutput, "looks like a rename");
    await context.stack.up();
    assert.equal((await context.braze.newRequests()).map((r) => r.path).sort(), ["/users/delete", "/users/track"]);
    context.desired = relabelled;
  },
);

Guards.run();
