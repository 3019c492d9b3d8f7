// The string array cap follows the workspace's setting through the real engine:
// the root program reads braze:stringArrayMaxItems (default 500, Braze's current
// default) and checks the file against it before anything is sent.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const TAGS = Array.from({ length: 30 }, (_, index) => `tag-${index}`);

const Cap = suite<YamlStack>("string arrays are capped by braze:stringArrayMaxItems (root program)");

Cap.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "string-array-cap" }));
  context.writeUsers([{ alias: { name: "ada", label: "qa" }, attributes: { tags: TAGS } }]);
});
Cap.after(async (context) => context.close?.());

Cap("a 30-item array is accepted at the default and stored whole", async (context) => {
  await context.stack.up();
  assert.equal((await context.braze.userByAlias("qa", "ada")).attributes.tags, TAGS);
});

Cap("with braze:stringArrayMaxItems=25 the same file is refused with the cap, the reason and the fix, and nothing is sent", async (context) => {
  await context.stack.setConfig({ "braze:stringArrayMaxItems": { value: "25" } });
  context.writeUsers([{ alias: { name: "ada", label: "qa" }, attributes: { tags: [...TAGS, "tag-30"] } }]);
  await context.braze.newRequests();
  const failure = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failure, "up fails");
  assert.match(
    context.stack.lastOutput,
    "users.yaml:7:9 users[0] (qa/ada).attributes.tags: must have at most 25 items (got 31): Braze keeps at most 25 items of a string array and drops the oldest silently; " +
      "your workspace's setting is braze:stringArrayMaxItems. Shorten the list, or if your workspace keeps more, set braze:stringArrayMaxItems to its setting",
  );
  assert.equal(
    (await context.braze.newRequests()).filter((request) => request.path === "/users/track"),
    [],
    "nothing sent",
  );
  assert.equal((await context.braze.userByAlias("qa", "ada")).attributes.tags, TAGS, "the stored array is untouched");
});

Cap("a setting that is not a whole number from 1 stops the program with what to set", async (context) => {
  await context.stack.setConfig({ "braze:stringArrayMaxItems": { value: "0" } });
  const failure = await context.stack.preview().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failure, "preview fails");
  assert.match(context.stack.lastOutput, 'braze:stringArrayMaxItems: "0" is not a whole number from 1; set it to a whole number from 1');
});

Cap.run();
