// What a person reads of a user set in `pulumi preview` and `pulumi refresh`,
// through the real engine and braze-local: only the changed users, by key, in
// file order, with old → new values; drift named with what Braze holds against
// what the file wants; never every user, never the record.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const USERS = 1000;
/** The goal for a one-user change, whatever the set's size (docs/operations.md). */
const MAX_LINES_FOR_ONE_USER = 30;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
  printed: string;
}

const Preview = suite<Context>(`preview and refresh of a set of ${USERS} users`);

Preview.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "preview" }));
  context.desired = personas(USERS, "preview");
  context.writeUsers(context.desired);
  await context.stack.up();
  await context.braze.newRequests();
});
Preview.after(async (context) => context.close?.());

/** The lines of what the CLI printed, the stack's own row and the resource summary included. */
const linesOf = (printed: string) => printed.trimEnd().split("\n");

Preview(
  `preview --diff of a one-user change names that user and attribute, old → new, and nothing else, in at most ${MAX_LINES_FOR_ONE_USER} lines`,
  async (context) => {
    const next = context.desired.map((user, index) => (index === 500 ? { ...user, attributes: { ...user.attributes, first_name: "Changed" } } : user));
    context.writeUsers(next);
    let printed = "";
    const result = await context.stack.stack.preview({ diff: true, onOutput: (text) => (printed += text) });
    assert.equal(result.changeSummary, { same: 1, update: 1 });
    const lines = linesOf(printed);
    // 11 lines measured: the header, the stack's row, the set's row, its ID and URN, the changed user, the summary.
    assert.ok(lines.length <= MAX_LINES_FOR_ONE_USER, `${lines.length} lines:\n${printed}`);
    const named = lines.filter((line) => line.includes("preview/persona-"));
    // Position 501 of 1,000 in the file, then the key.
    assert.equal(
      named.map((line) => line.trim()),
      ["+ 0501 preview/persona-0500: {"],
      printed,
    );
    assert.ok(
      lines.some((line) => line.includes("attributes.first_name") && line.includes("Persona 500") && line.includes("Changed")),
      printed,
    );
    assert.not.ok(printed.includes("persona-0499") || printed.includes("persona-0501"), "another user is printed");
    assert.not.ok(/shards/.test(printed), "the shards are printed");
    assert.equal(await context.braze.newRequests(), [], "preview sends nothing");
    context.desired = next;
  },
);

Preview("plain preview says what the set's update does and names the user", async (context) => {
  let printed = "";
  await context.stack.stack.preview({ onOutput: (text) => (printed += text) });
  assert.match(printed, /users: 0 to create, 1 to update \(1 data points\), 0 to delete/);
  assert.match(printed, /~ 0501 preview\/persona-0500: attributes\.first_name: "Persona 500" → "Changed"/);
  assert.not.ok(printed.includes("[diff: ~shards]"), printed);
});

Preview("the up applies it, and the next preview shows no change: the last up's changes never print as removed", async (context) => {
  await context.stack.up();
  assert.is((await context.braze.newRequests()).length, 1);
  const next = context.desired.map((user, index) => (index === 7 ? { ...user, attributes: { ...user.attributes, plan: "enterprise" } } : user));
  context.writeUsers(next);
  let printed = "";
  await context.stack.stack.preview({ diff: true, onOutput: (text) => (printed += text) });
  assert.not.ok(printed.includes("persona-0500"), printed);
  assert.match(printed, /0008 preview\/persona-0007/);
  context.writeUsers(context.desired);
  await context.stack.preview({ expectNoChanges: true });
});

Preview("refresh after an out-of-band change names the user, the attribute and both values, and prints no record", async (context) => {
  await context.braze.track({ attributes: [{ user_alias: { alias_name: "persona-0042", alias_label: "preview" }, plan: "hacked" }] });
  await context.braze.newRequests();
  // The nightly check's form, which writes nothing: it fails, and names the user with both values.
  let nightly = "";
  const failed = await context.stack.stack.refresh({ previewOnly: true, expectNoChanges: true, onOutput: (text: string) => (nightly += text) }).then(
    () => false,
    (error: Error) => {
      nightly += String(error);
      return true;
    },
  );
  assert.ok(failed, "the nightly check passes on drift");
  assert.match(nightly, /drift: 1 user differs from the file/);
  assert.match(nightly, /~ preview\/persona-0042: attributes\.plan: Braze holds "hacked", the file wants/);
  assert.not.ok(nightly.includes("H4sI"), "the record is printed");
  // A refresh as a person runs it, writing what Braze holds into state.
  let printed = "";
  // The Automation API's refresh has no --diff: the CLI as a person runs it, on this stack.
  const run = (context.stack.stack as unknown as { runPulumiCmd(args: string[], onOutput: (text: string) => void): Promise<unknown> }).runPulumiCmd;
  await run.call(context.stack.stack, ["refresh", "--yes", "--diff", "--skip-preview", "--stack", context.stack.stack.name], (text) => (printed += text));
  const wanted = JSON.stringify(context.desired[42].attributes.plan);
  assert.ok(printed.includes("preview/persona-0042"), printed);
  assert.ok(
    printed.includes(`Braze holds \\"hacked\\", the file wants \\${wanted.slice(0, -1)}\\"`) ||
      printed.includes(`Braze holds "hacked", the file wants ${wanted}`),
    printed,
  );
  assert.not.ok(printed.includes("H4sI"), "the record is printed");
  assert.not.ok(/record\s*:/.test(printed), "the record is printed");
});

Preview.run();
