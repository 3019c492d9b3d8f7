// A value Braze rejects fails only the resource that sent it; Pulumi records only
// what Braze accepted; fixing the file and running up again converges.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PER_USER_PROGRAM_DIR, startYamlStack, type YamlStack } from "../harness/yaml-stack";

/** More than Braze's 100 KB per nested attribute; every string and key is within the schema's limits. */
const oversizedNotes = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`note_${i}`, "n".repeat(250)]));

const users = (adaNotes: object) => [
  { alias: { name: "ada", label: "qa" }, attributes: { first_name: "Ada", notes: adaNotes } },
  { alias: { name: "bob", label: "qa" }, attributes: { first_name: "Bob", loyalty: { tier: "gold" } } },
  { alias: { name: "chen", label: "qa" }, attributes: { first_name: "Chen" }, subscription_groups: { "group-offers": "subscribed" } },
];

type Context = YamlStack;

const Errors = suite<Context>("per-object errors");

Errors.before(async (context) => {
  Object.assign(context, await startYamlStack({ programDir: PER_USER_PROGRAM_DIR, projectName: "braze-errors" }));
});

Errors.after(async (context) => context.close?.());

/** Pulumi's record of each user must be what Braze holds for the attributes it manages. */
async function assertStateMatchesBraze(context: Context): Promise<string[]> {
  const state = await context.stack.exportState();
  const recorded = state.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/braze:User");
  for (const resource of recorded) {
    const outputs = resource.outputs as { alias: { name: string; label: string }; attributes: Record<string, unknown> };
    const stored = await context.braze.userByAlias(outputs.alias.label, outputs.alias.name);
    for (const [key, value] of Object.entries(outputs.attributes)) {
      assert.equal(stored.attributes[key], value, `${outputs.alias.name}.${key}: state and braze-local differ`);
    }
  }
  return recorded.map((r) => (r.outputs as { alias: { name: string } }).alias.name).sort();
}

Errors("an object Braze rejects fails its resource, with Braze's message, and the rest are applied", async (context) => {
  context.writeUsers(users(oversizedNotes));
  const failure = await context.stack.up({ parallel: 16 }).then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failure, "up must report the failed resource");
  assert.match(failure!.message, "POST /users/track rejected the attributes object for alias ada (label qa)");
  assert.match(failure!.message, "larger than 100 KB");
  const recorded = await assertStateMatchesBraze(context);
  assert.not.ok(recorded.includes("ada"), "state records nothing Braze rejected");
  assert.ok(recorded.includes("chen"), "an object without nested attributes in the same request is applied and recorded");
  const chen = await context.braze.userByAlias("qa", "chen");
  assert.equal(chen.subscriptionGroups, { "group-offers": "subscribed" });
});

Errors("fixing the file and running up again converges, then nothing is left to send", async (context) => {
  context.writeUsers(users({ summary: "short" }));
  await context.stack.up({ parallel: 16 });
  assert.equal(await assertStateMatchesBraze(context), ["ada", "bob", "chen"]);
  const ada = await context.braze.userByAlias("qa", "ada");
  assert.equal(ada.attributes.notes, { summary: "short" });
  const before = (await context.braze.requests()).length;
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.is((await context.braze.requests()).length, before);
});

Errors.run();
