// Whatever the change, applying the planned object to what Braze held (as
// recorded) leaves Braze holding exactly the desired attributes and groups.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { planCreate, planUpdate } from "../../provider/delta";
import type { ManagedUser } from "../../provider/model";
import { applyTrack } from "./support/apply-track";
import { user } from "./support/users";

const scenarios: Array<[title: string, recorded: ManagedUser, desired: ManagedUser]> = [
  ["scalars set, changed and removed", user({ attributes: { a: 1, b: "x", c: true } }), user({ attributes: { a: 2, c: true, d: "new" } })],
  [
    "arrays appended, shrunk, reordered, emptied",
    user({ attributes: { t1: ["a"], t2: ["a", "b"], t3: ["a", "b"], t4: ["a"] } }),
    user({ attributes: { t1: ["a", "b"], t2: ["b"], t3: ["b", "a"], t4: [] } }),
  ],
  [
    "nested value changed deep down",
    user({ attributes: { p: { a: { b: { c: 1, d: 2 } }, e: 3 } } }),
    user({ attributes: { p: { a: { b: { c: 9, d: 2 } }, e: 3 } } }),
  ],
  ["nested key removed", user({ attributes: { p: { a: 1, b: 2, c: 3 } } }), user({ attributes: { p: { a: 1, c: 4 } } })],
  ["nested array changed", user({ attributes: { p: { l: ["a"], x: 1, y: 2 } } }), user({ attributes: { p: { l: ["b"], x: 1, y: 2 } } })],
  ["nested object turned into a scalar", user({ attributes: { p: { q: { r: 1 }, s: 1, t: 2 } } }), user({ attributes: { p: { q: "flat", s: 1, t: 2 } } })],
  [
    "one object merged while another is replaced",
    user({ attributes: { m: { a: 1, b: 2, c: 3 }, r: { a: 1, gone: 1 } } }),
    user({ attributes: { m: { a: 5, b: 2, c: 3 }, r: { a: 1 } } }),
  ],
  [
    "type changes between string, array and object",
    user({ attributes: { x: "s", y: ["a"], z: { k: 1 } } }),
    user({ attributes: { x: ["s"], y: { k: "a" }, z: "k" } }),
  ],
  ["groups added and changed", user({ subscriptionGroups: { g1: "subscribed" } }), user({ subscriptionGroups: { g1: "unsubscribed", g2: "subscribed" } })],
  [
    "alias renamed with changes",
    user({ alias: { name: "bob", label: "qa" }, attributes: { a: 1 } }),
    user({ alias: { name: "rob", label: "qa" }, attributes: { a: 2 } }),
  ],
];

const convergence = suite("planUpdate convergence");

for (const [title, recorded, desired] of scenarios) {
  convergence(`lands exactly on the desired state: ${title}`, () => {
    const plan = planUpdate(recorded, desired);
    assert.is(plan.replace, false);
    const held = plan.rename ? { ...recorded, alias: { name: plan.rename.new_alias_name, label: plan.rename.alias_label } } : recorded;
    const result = plan.attributes ? applyTrack(held, plan.attributes) : held;
    assert.equal(result, desired);
  });
}

convergence("planCreate lands exactly on the desired state from an empty profile", () => {
  const desired = user({ attributes: { a: 1, t: ["x"], p: { q: { r: 1 } } }, subscriptionGroups: { g: "subscribed" } });
  assert.equal(applyTrack(user({ alias: desired.alias }), planCreate(desired)), desired);
});

convergence.run();
