// The string array cap is the workspace's setting (braze:stringArrayMaxItems,
// default 500): the loader, the check of users declared in TypeScript and the
// setting that feeds them.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDesiredState } from "../../provider/desired-state";
import { userProblems } from "../../provider/desired-state/user-problems";
import { SettingsError } from "../../provider/runtime/settings-error";
import { resolveWorkspaceLimits } from "../../provider/runtime/workspace-limits-setting";
import { catchDesiredStateError } from "./support/expect-error";

/** A YAML file of one user whose `tags` holds `count` distinct strings, written one per line (so the array starts on line 4). */
function fileWithTags(count: number): string {
  const items = Array.from({ length: count }, (_, index) => `        - v${index}`).join("\n");
  return `users:\n  - alias: { name: ada, label: qa }\n    attributes:\n      tags:\n${items}\n`;
}

const tags = (count: number) => Array.from({ length: count }, (_, index) => `v${index}`);

const overCap = (max: number, got: number) =>
  `must have at most ${max} items (got ${got}): Braze keeps at most ${max} items of a string array and drops the oldest silently; ` +
  "your workspace's setting is braze:stringArrayMaxItems. Shorten the list, or if your workspace keeps more, set braze:stringArrayMaxItems to its setting";

const Loader = suite("string array cap: the desired-state file");

Loader("accepts 500 items at the default and refuses 501, at the attribute's place", () => {
  assert.equal(parseDesiredState(fileWithTags(500), "users.yaml").users[0].user.attributes.tags, tags(500));
  const error = catchDesiredStateError(() => parseDesiredState(fileWithTags(501), "users.yaml"));
  assert.equal(
    error.issues.map(({ line, path, message }) => ({ line, path, message })),
    [{ line: 5, path: "users[0].attributes.tags", message: overCap(500, 501) }],
  );
});

Loader("a configured cap of 25 refuses 30 items and accepts 25", () => {
  const error = catchDesiredStateError(() => parseDesiredState(fileWithTags(30), "users.yaml", { stringArrayMaxItems: 25 }));
  assert.equal(
    error.issues.map(({ path, message }) => `${path}: ${message}`),
    [`users[0].attributes.tags: ${overCap(25, 30)}`],
  );
  assert.equal(parseDesiredState(fileWithTags(25), "users.yaml", { stringArrayMaxItems: 25 }).users[0].user.attributes.tags, tags(25));
  assert.equal(parseDesiredState(fileWithTags(30), "users.yaml").users[0].user.attributes.tags, tags(30), "30 items fit the default");
});

Loader("counts only lists of strings: a long list of objects is not a string array", () => {
  const objects = Array.from({ length: 3 }, (_, index) => `        - { id: ${index} }`).join("\n");
  const text = `users:\n  - alias: { name: ada, label: qa }\n    attributes:\n      pets:\n${objects}\n`;
  assert.is(parseDesiredState(text, "users.yaml", { stringArrayMaxItems: 2 }).users.length, 1);
});

Loader.run();

const Code = suite("string array cap: users declared in TypeScript");

Code("userProblems applies the default and a configured cap", () => {
  const user = (count: number) => ({ alias: { name: "ada", label: "qa" }, attributes: { tags: tags(count) }, subscriptionGroups: {} });
  assert.equal(userProblems(user(500)), []);
  assert.equal(userProblems(user(501)), [{ property: "attributes.tags", message: overCap(500, 501) }]);
  assert.equal(userProblems(user(30), { stringArrayMaxItems: 25 }), [{ property: "attributes.tags", message: overCap(25, 30) }]);
});

Code.run();

const Setting = suite("string array cap: braze:stringArrayMaxItems");

const resolve = (value?: string) => resolveWorkspaceLimits({ get: (key) => (key === "braze:stringArrayMaxItems" ? value : undefined) });

Setting("defaults to 500, Braze's current default, when unset or empty; takes a whole number from 1", () => {
  assert.equal(resolve(), { stringArrayMaxItems: 500 });
  assert.equal(resolve(""), { stringArrayMaxItems: 500 });
  assert.equal(resolve("25"), { stringArrayMaxItems: 25 });
  assert.equal(resolve("1"), { stringArrayMaxItems: 1 });
});

Setting("refuses anything but a whole number from 1, saying what to set", () => {
  for (const value of ["0", "-5", "2.5", "many"]) {
    try {
      resolve(value);
      assert.unreachable(`expected ${value} to be refused`);
    } catch (error) {
      assert.instance(error, SettingsError);
      assert.is(
        (error as Error).message,
        `braze:stringArrayMaxItems: "${value}" is not a whole number from 1; set it to a whole number from 1 (the most items your Braze workspace keeps per string array attribute; Braze's default is 500)`,
      );
    }
  }
});

Setting.run();
