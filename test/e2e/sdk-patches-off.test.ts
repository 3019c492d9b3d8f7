// With BRAZE_PROFILES_SDK_PATCHES=off (provider/pulumi-wire/apply-sdk-patches.ts)
// the SDK runs exactly as shipped, in the program and in the provider, and a
// user set still converges: create, an unchanged no-op, a change sending
// exactly its deltas. Every skipped patch says so at debug level, where
// `pulumi up --debug` prints it, the provider process's included.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SDK_PATCHES_SWITCH } from "../../provider/pulumi-wire/apply-sdk-patch";
import { SDK_PATCHES } from "../../provider/pulumi-wire/apply-sdk-patches";
import { changed, personas, type PersonaDeclaration } from "../harness/personas";
import { recordedUsers } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

// The Automation API gives the CLI this process's environment, and the CLI
// passes it on to the program and the provider.
process.env[SDK_PATCHES_SWITCH] = "off";

const USERS = 300;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
}

const Unpatched = suite<Context>(`${SDK_PATCHES_SWITCH}=off: a set of ${USERS} users on the SDK as shipped`);

Unpatched.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "unpatched" }));
});
Unpatched.after(async (context) => context.close?.());

Unpatched(
  `create sends every user once, in ceil(${USERS} / 50) = 6 requests (the default cap), and --debug says which patches were skipped`,
  async (context) => {
    context.desired = personas(USERS, "unpatched");
    context.writeUsers(context.desired);
    let printed = "";
    const result = await context.stack.stack.up({ debug: true, onOutput: (text) => (printed += text), onError: (text) => (printed += text) });
    assert.equal(result.summary.resourceChanges, { create: 2 });
    const requests = await context.braze.newRequests();
    assert.is(requests.length, 6);
    const sent = requests.flatMap((r) => (r.body as { attributes: Array<{ user_alias: { alias_name: string } }> }).attributes);
    assert.equal(sent.map((o) => o.user_alias.alias_name).sort(), context.desired.map((u) => u.alias.name).sort());
    assert.is(recordedUsers(await context.stack.exportState()).size, USERS);
    // unread-old-inputs is applied only by the provider's runtime, so its line comes from the provider process.
    for (const patch of SDK_PATCHES) {
      assert.ok(
        printed.includes(`SDK patch ${patch.name} skipped, so the SDK runs as shipped (slower on large sets, same results): ${SDK_PATCHES_SWITCH}=off`),
        `no debug line for ${patch.name}`,
      );
    }
  },
);

Unpatched("the same file again: preview expects no change and up sends nothing", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2 });
  assert.equal(await context.braze.newRequests(), []);
});

Unpatched("a change sends exactly the changed attributes, then the set is unchanged again", async (context) => {
  const next = changed(context.desired);
  context.writeUsers(next);
  // Without the detailed-diff patch the engine prints the whole inputs: every shard, every user.
  let printed = "";
  await context.stack.stack.preview({ diff: true, onOutput: (text) => (printed += text) });
  assert.ok(printed.split("\n").length > USERS, `${printed.split("\n").length} lines`);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 1, update: 1 });
  const attributes = (await context.braze.newRequests()).flatMap((r) => (r.body as { attributes: Array<Record<string, unknown>> }).attributes);
  const byUser = new Map(attributes.map(({ user_alias, ...rest }) => [(user_alias as { alias_name: string }).alias_name, rest]));
  assert.is(byUser.size, (USERS / 10) * 3, "three users in ten changed");
  assert.equal(byUser.get("persona-0000"), { _update_existing_only: true, plan: "enterprise" });
  assert.equal(byUser.get("persona-0003"), { _update_existing_only: true, seats: null });
  assert.equal(byUser.get("persona-0007"), {
    _update_existing_only: true,
    subscription_groups: [{ subscription_group_id: "group-offers", subscription_state: "unsubscribed" }],
  });
  await context.stack.preview({ expectNoChanges: true });
  context.desired = next;
});

Unpatched.run();
