import { suite } from "uvu";
import * as assert from "uvu/assert";
import { carriesNestedAttribute, isNestedAttribute } from "../../provider/model/value-kinds";
import { ADA_ALIAS } from "./support/users";

const Nested = suite("isNestedAttribute: what Braze drops with a request's invalid nested update");

Nested("a custom object or a non-empty array of objects is a nested attribute", () => {
  assert.ok(isNestedAttribute("loyalty", { tier: "gold" }));
  assert.ok(isNestedAttribute("pets", [{ id: 1 }]));
});

Nested("current_location is a standard value, not a nested attribute", () => {
  assert.not.ok(isNestedAttribute("current_location", { longitude: 1, latitude: 2 }));
});

Nested("the alias, subscription groups, scalars, string arrays, empty arrays and null are not nested attributes", () => {
  assert.not.ok(isNestedAttribute("user_alias", ADA_ALIAS));
  assert.not.ok(isNestedAttribute("subscription_groups", [{ subscription_group_id: "g", subscription_state: "subscribed" }]));
  for (const value of ["a", 1, true, ["a"], [], null]) assert.not.ok(isNestedAttribute("plan", value), JSON.stringify(value));
});

Nested("an attributes object carries a nested attribute only through a custom object or array of objects", () => {
  const base = {
    user_alias: ADA_ALIAS,
    _update_existing_only: false,
    subscription_groups: [{ subscription_group_id: "g", subscription_state: "subscribed" as const }],
  };
  assert.not.ok(carriesNestedAttribute({ ...base, first_name: "Ada", current_location: { longitude: 1, latitude: 2 }, tags: ["a"] }));
  assert.ok(carriesNestedAttribute({ ...base, loyalty: { tier: "gold" } }));
});

Nested.run();
