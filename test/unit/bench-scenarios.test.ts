// The benchmark's scenarios for alias-only and identified personas: the same
// values, only the identifier differs, and so does nothing of the minimum.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fullStateObject } from "../../bench/baselines";
import { setScenarios } from "../../bench/set-series";

test("identified personas carry an external_id and no alias, and the same values as the alias-only ones", () => {
  const [aliased, identified] = [setScenarios(200, "alias"), setScenarios(200, "external_id")];
  const [first] = identified[0].users;
  assert.is(first.externalId, "persona-00000");
  assert.is(first.alias, undefined);
  assert.equal(
    identified.map((scenario) => scenario.users.map(({ attributes, subscriptionGroups }) => ({ attributes, subscriptionGroups }))),
    aliased.map((scenario) => scenario.users.map(({ attributes, subscriptionGroups }) => ({ attributes, subscriptionGroups }))),
  );
  assert.equal(
    identified.map((scenario) => [scenario.name, scenario.minimum]),
    aliased.map((scenario) => [scenario.name, scenario.minimum]),
    "identifiers cost no data point, and /users/delete takes 50 external_ids as it takes 50 aliases",
  );
  assert.equal(
    identified.map((scenario) => scenario.removed.length),
    [0, 0, 0, 10],
  );
});

test("a script's full-state object addresses an identified persona by external_id", () => {
  const [user] = setScenarios(200, "external_id")[0].users;
  const object = fullStateObject(user) as Record<string, unknown>;
  assert.is(object.external_id, "persona-00000");
  assert.is(object.user_alias, undefined);
});

test.run();
