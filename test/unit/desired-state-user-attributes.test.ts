import { suite } from "uvu";
import * as assert from "uvu/assert";
import { toManagedAttributes, userProblems, type UserAttributes } from "../../provider/desired-state";

const attributes = suite("typed user attributes");

attributes("toManagedAttributes gives the delta's attributes: a copy, keys set to undefined left out", () => {
  const typed: UserAttributes = {
    first_name: "Ada",
    email_subscribe: "opted_in",
    current_location: { longitude: -0.12, latitude: 51.5 },
    tags: ["a", "b"],
    loyalty: { tier: "gold", since: { $time: "2019-05-01T00:00:00Z" } },
    nickname: undefined,
  };
  const managed = toManagedAttributes(typed);
  assert.equal(managed, {
    first_name: "Ada",
    email_subscribe: "opted_in",
    current_location: { longitude: -0.12, latitude: 51.5 },
    tags: ["a", "b"],
    loyalty: { tier: "gold", since: { $time: "2019-05-01T00:00:00Z" } },
  });
  assert.is.not(managed.tags, typed.tags, "arrays are copied");
  assert.equal(userProblems({ alias: { name: "ada", label: "qa" }, attributes: managed, subscriptionGroups: {} }), []);
});

attributes.run();
