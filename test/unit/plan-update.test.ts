import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countDataPoints, planUpdate } from "../../provider/delta";
import { ADA_ALIAS, user } from "./support/users";

const addressed = { user_alias: ADA_ALIAS, _update_existing_only: true };

const update = suite("planUpdate");

update("plans nothing when nothing changed", () => {
  const same = user({ attributes: { first_name: "Ada", tags: ["a"], profile: { tier: "gold" } }, subscriptionGroups: { g: "subscribed" } });
  assert.equal(planUpdate(same, structuredClone(same)), { replace: false, changedProperties: [], hints: [] });
});

update("sends only the changed attribute", () => {
  const plan = planUpdate(
    user({ attributes: { first_name: "Ada", last_name: "Byron", plan: "free" } }),
    user({ attributes: { first_name: "Ada", last_name: "Byron", plan: "pro" } }),
  );
  assert.equal(plan.attributes, { ...addressed, plan: "pro" });
  assert.equal(plan.changedProperties, ["attributes.plan"]);
});

update("sends an added attribute", () => {
  const plan = planUpdate(user(), user({ attributes: { dob: "1990-12-10" } }));
  assert.equal(plan.attributes, { ...addressed, dob: "1990-12-10" });
});

update("sends a removed attribute as null", () => {
  const plan = planUpdate(user({ attributes: { first_name: "Ada", plan: "pro" } }), user({ attributes: { first_name: "Ada" } }));
  assert.equal(plan.attributes, { ...addressed, plan: null });
  assert.equal(plan.changedProperties, ["attributes.plan"]);
});

update("sends a removed nested object as null, which deletes it whole for one data point", () => {
  const plan = planUpdate(user({ attributes: { profile: { tier: "gold", points: 3 } } }), user());
  assert.equal(plan.attributes, { ...addressed, profile: null });
  assert.is(countDataPoints(plan.attributes!), 1);
});

update("sends updates with _update_existing_only true, so a user deleted outside Pulumi is never recreated holding only the delta", () => {
  const plan = planUpdate(user({ attributes: { plan: "free" } }), user({ attributes: { plan: "pro" } }));
  assert.is(plan.attributes?._update_existing_only, true);
});

update("sends only the changed subscription group, as a list", () => {
  const plan = planUpdate(
    user({ subscriptionGroups: { g1: "subscribed", g2: "subscribed" } }),
    user({ subscriptionGroups: { g1: "subscribed", g2: "unsubscribed", g0: "subscribed" } }),
  );
  assert.equal(plan.attributes, {
    ...addressed,
    subscription_groups: [
      { subscription_group_id: "g0", subscription_state: "subscribed" },
      { subscription_group_id: "g2", subscription_state: "unsubscribed" },
    ],
  });
  assert.equal(plan.changedProperties, ["subscriptionGroups.g0", "subscriptionGroups.g2"]);
});

update("sends nothing for a subscription group no longer managed, and says so in a hint", () => {
  const plan = planUpdate(user({ subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed" } }), user());
  assert.equal(plan, {
    replace: false,
    changedProperties: [],
    hints: [{ kind: "subscription-group-released", groupId: "5e1f0a2c-newsletter", lastState: "subscribed" }],
  });
});

update("sends nothing when email_subscribe is no longer managed: Braze cannot unset it", () => {
  const plan = planUpdate(user({ attributes: { email_subscribe: "opted_in" } }), user());
  assert.is(plan.attributes, undefined);
  assert.equal(plan.hints, [{ kind: "subscription-attribute-released", key: "email_subscribe", lastValue: "opted_in" }]);
});

update("names subscription group ids that are not identifiers in brackets", () => {
  const plan = planUpdate(user(), user({ subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed" } }));
  assert.equal(plan.changedProperties, ['subscriptionGroups["5e1f0a2c-newsletter"]']);
});

update("renames the alias within its label and addresses the attributes to the new name", () => {
  const plan = planUpdate(
    user({ alias: { name: "bob", label: "qa-personas" }, attributes: { first_name: "Bob" } }),
    user({ alias: { name: "robert", label: "qa-personas" }, attributes: { first_name: "Robert" } }),
  );
  assert.equal(plan.rename, { alias_label: "qa-personas", old_alias_name: "bob", new_alias_name: "robert" });
  assert.equal(plan.attributes, {
    user_alias: { alias_name: "robert", alias_label: "qa-personas" },
    _update_existing_only: true,
    first_name: "Robert",
  });
  assert.equal(plan.changedProperties, ["alias.name", "attributes.first_name"]);
  assert.is(plan.replace, false);
});

update("renames without an attributes object when only the name changed", () => {
  const plan = planUpdate(user({ alias: { name: "bob", label: "qa" } }), user({ alias: { name: "robert", label: "qa" } }));
  assert.equal(plan, {
    replace: false,
    rename: { alias_label: "qa", old_alias_name: "bob", new_alias_name: "robert" },
    changedProperties: ["alias.name"],
    hints: [],
  });
});

update("replaces the user when the alias label changes: Braze cannot relabel an alias", () => {
  const plan = planUpdate(
    user({ alias: { name: "ada", label: "qa" }, attributes: { plan: "free" } }),
    user({ alias: { name: "ada", label: "demo" }, attributes: { plan: "pro" } }),
  );
  assert.is(plan.replace, true);
  assert.is(plan.replaceReason, 'alias.label changed from "qa" to "demo": Braze cannot relabel an alias, so the user is deleted and created again');
  assert.is(plan.attributes, undefined, "the create after the delete sends everything");
  assert.is(plan.rename, undefined);
  assert.equal(plan.changedProperties, ["alias.label", "attributes.plan"]);
});

update.run();

const arrays = suite("planUpdate: arrays of strings");

arrays("sends the whole array when one value is appended: 1 data point, the same as one add, and exact whatever Braze held", () => {
  const plan = planUpdate(user({ attributes: { tags: ["a", "b"] } }), user({ attributes: { tags: ["a", "b", "c"] } }));
  assert.equal(plan.attributes, { ...addressed, tags: ["a", "b", "c"] });
  assert.is(countDataPoints(plan.attributes!), 1);
});

arrays("sends the whole array when values are removed or reordered", () => {
  assert.equal(planUpdate(user({ attributes: { tags: ["a", "b", "c"] } }), user({ attributes: { tags: ["c"] } })).attributes, {
    ...addressed,
    tags: ["c"],
  });
  assert.equal(planUpdate(user({ attributes: { tags: ["a", "b"] } }), user({ attributes: { tags: ["b", "a"] } })).attributes, {
    ...addressed,
    tags: ["b", "a"],
  });
});

arrays("sends an emptied array as [] (a set), not null", () => {
  const plan = planUpdate(user({ attributes: { tags: ["a"] } }), user({ attributes: { tags: [] } }));
  assert.equal(plan.attributes, { ...addressed, tags: [] });
});

arrays.run();

const nested = suite("planUpdate: nested objects");

nested("merges only the changed nested key when that saves data points", () => {
  const plan = planUpdate(
    user({ attributes: { loyalty: { tier: "gold", points: 1200, since: "2020" } } }),
    user({ attributes: { loyalty: { tier: "gold", points: 1300, since: "2020" } } }),
  );
  assert.equal(plan.attributes, { ...addressed, _merge_objects: true, loyalty: { points: 1300 } });
  assert.is(countDataPoints(plan.attributes!), 1);
});

nested("merges a change deep inside, sending only the keys on its path", () => {
  const plan = planUpdate(
    user({ attributes: { song: { name: "Solea", stats: { count: 1000, rank: 3 } } } }),
    user({ attributes: { song: { name: "Solea", stats: { count: 1001, rank: 3 } } } }),
  );
  assert.equal(plan.attributes, { ...addressed, _merge_objects: true, song: { stats: { count: 1001 } } });
  assert.is(countDataPoints(plan.attributes!), 2);
});

nested("merges an added nested key", () => {
  const plan = planUpdate(user({ attributes: { p: { a: 1, b: 2 } } }), user({ attributes: { p: { a: 1, b: 2, c: 3 } } }));
  assert.equal(plan.attributes, { ...addressed, _merge_objects: true, p: { c: 3 } });
});

nested("sends the whole object without merging when a nested key is removed: null inside a nested object is invalid", () => {
  const plan = planUpdate(user({ attributes: { loyalty: { tier: "gold", points: 1200 } } }), user({ attributes: { loyalty: { tier: "gold" } } }));
  assert.equal(plan.attributes, { ...addressed, loyalty: { tier: "gold" } });
  assert.is(plan.attributes!._merge_objects, undefined);
});

nested("sends the whole object when an array inside it changed: a deep merge of arrays is not documented", () => {
  const plan = planUpdate(user({ attributes: { cart: { items: ["a"], total: 1 } } }), user({ attributes: { cart: { items: ["a", "b"], total: 1 } } }));
  assert.equal(plan.attributes, { ...addressed, cart: { items: ["a", "b"], total: 1 } });
});

nested("sends the whole object when merging would cost as much", () => {
  const plan = planUpdate(user({ attributes: { p: { a: 1 } } }), user({ attributes: { p: { a: 2 } } }));
  assert.equal(plan.attributes, { ...addressed, p: { a: 2 } });
});

nested("treats a {$time} date as one value", () => {
  const plan = planUpdate(
    user({ attributes: { p: { at: { $time: "2024-01-01" }, n: 1, m: 2 } } }),
    user({ attributes: { p: { at: { $time: "2024-02-01" }, n: 1, m: 2 } } }),
  );
  assert.equal(plan.attributes, { ...addressed, _merge_objects: true, p: { at: { $time: "2024-02-01" } } });
});

nested("does not merge when another nested object in the same update must be replaced: the flag covers the whole object", () => {
  const plan = planUpdate(
    user({ attributes: { a: { x: 1, y: 2, z: 3 }, b: { k: 1, gone: 2 } } }),
    user({ attributes: { a: { x: 9, y: 2, z: 3 }, b: { k: 1 } } }),
  );
  assert.equal(plan.attributes, { ...addressed, a: { x: 9, y: 2, z: 3 }, b: { k: 1 } });
});

nested("does not merge when a nested object is added in the same update: it would merge into whatever Braze holds", () => {
  const plan = planUpdate(user({ attributes: { a: { x: 1, y: 2, z: 3 } } }), user({ attributes: { a: { x: 9, y: 2, z: 3 }, fresh: { k: 1 } } }));
  assert.equal(plan.attributes, { ...addressed, a: { x: 9, y: 2, z: 3 }, fresh: { k: 1 } });
});

nested("merges alongside scalar changes and removals, which the flag does not affect", () => {
  const plan = planUpdate(user({ attributes: { a: { x: 1, y: 2 }, plan: "free", old: "x" } }), user({ attributes: { a: { x: 1, y: 3 }, plan: "pro" } }));
  assert.equal(plan.attributes, { ...addressed, _merge_objects: true, a: { y: 3 }, old: null, plan: "pro" });
});

nested("sends an array of objects whole", () => {
  const plan = planUpdate(
    user({ attributes: { pets: [{ id: 1, kind: "dog" }] } }),
    user({
      attributes: {
        pets: [
          { id: 1, kind: "dog" },
          { id: 2, kind: "cat" },
        ],
      },
    }),
  );
  assert.equal(plan.attributes, {
    ...addressed,
    pets: [
      { id: 1, kind: "dog" },
      { id: 2, kind: "cat" },
    ],
  });
  assert.is(countDataPoints(plan.attributes!), 4);
});

nested("sends current_location whole: it is one standard value, not a nested attribute", () => {
  const plan = planUpdate(
    user({ attributes: { current_location: { longitude: 1, latitude: 2 } } }),
    user({ attributes: { current_location: { longitude: 1, latitude: 3 } } }),
  );
  assert.equal(plan.attributes, { ...addressed, current_location: { longitude: 1, latitude: 3 } });
});

nested.run();
