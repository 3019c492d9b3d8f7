// The guards at every command of the real engine: a preview fails where its up
// would, so a pull request's check catches what its merge would refuse, and
// destroy obeys braze:maxDeletes.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

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
  assert.match(refused!.message, "BudgetExceededError");
  assert.match(refused!.message, `it would delete ${USERS} users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=${USERS} pulumi up"`);
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
  assert.match(refused!.message, `it would delete ${USERS} users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=${USERS} pulumi destroy"`);
  assert.equal(await context.braze.newRequests(), []);
  assert.is((await context.braze.users()).length, USERS);
});

Guards("destroy allowed for one command by BRAZE_PROFILES_ALLOW_DELETES deletes every user, and leaves no config behind", async (context) => {
  const workspace = context.stack.stack.workspace as unknown as { envVars: Record<string, string> };
  workspace.envVars.BRAZE_PROFILES_ALLOW_DELETES = String(USERS);
  try {
    await context.stack.destroy();
  } finally {
    delete workspace.envVars.BRAZE_PROFILES_ALLOW_DELETES;
  }
  assert.equal((await context.braze.newRequests()).map((r) => r.path), ["/users/delete"]);
  assert.equal(await context.braze.users(), []);
  assert.is((await context.stack.stack.getAllConfig())["braze:maxDeletes"], undefined);
});

Guards.run();
