import { suite } from "uvu";
import * as assert from "uvu/assert";
import { diffUser } from "../../provider/delta";
import { user } from "./support/users";

const diff = suite("diffUser");

diff("classifies every attribute over the sorted union of keys", () => {
  const result = diffUser(
    user({ attributes: { last_name: "Byron", first_name: "Ada", plan: "free" } }),
    user({ attributes: { plan: "pro", first_name: "Ada", city_tier: 2 } }),
  );
  assert.equal(result.attributes, [
    { kind: "added", key: "city_tier", to: 2 },
    { kind: "unchanged", key: "first_name", value: "Ada" },
    { kind: "removed", key: "last_name", from: "Byron" },
    { kind: "modified", key: "plan", from: "free", to: "pro" },
  ]);
  assert.equal(result.hints, []);
});

diff("compares arrays and nested objects by value, not by identity or key order", () => {
  const result = diffUser(
    user({ attributes: { tags: ["a", "b"], profile: { tier: "gold", points: 1 } } }),
    user({ attributes: { tags: ["a", "b"], profile: { points: 1, tier: "gold" } } }),
  );
  assert.equal(
    result.attributes.map((change) => change.kind),
    ["unchanged", "unchanged"],
  );
});

diff("sees a reordered array as modified: Braze keeps array order", () => {
  const result = diffUser(user({ attributes: { tags: ["a", "b"] } }), user({ attributes: { tags: ["b", "a"] } }));
  assert.equal(result.attributes, [{ kind: "modified", key: "tags", from: ["a", "b"], to: ["b", "a"] }]);
});

diff("classifies subscription groups added, modified and unchanged", () => {
  const result = diffUser(
    user({ subscriptionGroups: { g1: "subscribed", g2: "subscribed" } }),
    user({ subscriptionGroups: { g2: "unsubscribed", g1: "subscribed", g0: "subscribed" } }),
  );
  assert.equal(result.subscriptionGroups, [
    { kind: "added", key: "g0", to: "subscribed" },
    { kind: "unchanged", key: "g1", value: "subscribed" },
    { kind: "modified", key: "g2", from: "subscribed", to: "unsubscribed" },
  ]);
});

diff("keeps a removed subscription group apart as a hint: Braze has no state to go back to", () => {
  const result = diffUser(user({ subscriptionGroups: { g1: "subscribed" } }), user());
  assert.equal(result.subscriptionGroups, []);
  assert.equal(result.hints, [{ kind: "subscription-group-released", groupId: "g1", lastState: "subscribed" }]);
});

diff("keeps a removed email_subscribe or push_subscribe apart as a hint, not an unset", () => {
  const result = diffUser(user({ attributes: { email_subscribe: "opted_in", push_subscribe: "unsubscribed" } }), user());
  assert.equal(result.attributes, []);
  assert.equal(result.hints, [
    { kind: "subscription-attribute-released", key: "email_subscribe", lastValue: "opted_in" },
    { kind: "subscription-attribute-released", key: "push_subscribe", lastValue: "unsubscribed" },
  ]);
});

diff("diffs the alias name and label as properties", () => {
  const result = diffUser(user({ alias: { name: "ada", label: "qa" } }), user({ alias: { name: "ada2", label: "qa" } }));
  assert.equal(result.alias, {
    name: { kind: "modified", key: "name", from: "ada", to: "ada2" },
    label: { kind: "unchanged", key: "label", value: "qa" },
  });
});

diff("does not change its inputs", () => {
  const recorded = user({ attributes: { a: 1 }, subscriptionGroups: { g: "subscribed" } });
  const desired = user({ attributes: { b: 2 } });
  const before = JSON.stringify([recorded, desired]);
  diffUser(recorded, desired);
  assert.is(JSON.stringify([recorded, desired]), before);
});

diff.run();
