// From `pulumi stack export` and `pulumi preview --json` to the planner's input:
// sets the preview leaves out (no change) come from state, changed ones from the
// preview's steps, and every live declaration counts for moves.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PlanError } from "../../plan/plan-error";
import { planInputOf, type StateResource } from "../../plan/stack-reading";
import { USER_SET_TYPE, USER_TYPE } from "../harness/recorded-users";
import { encodeRecord } from "../../provider/encoding/record-codec";
import { shardTexts } from "../../provider/encoding/user-shards";
import { userToText } from "../../provider/encoding/user-text";

const urn = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;
const text = (name: string) => userToText({ alias: { name, label: "qa" }, attributes: { first_name: name }, subscriptionGroups: {} });
const set = async (name: string, recorded: Record<string, string>, inputs: Record<string, string> = recorded): Promise<StateResource> => ({
  urn: urn(USER_SET_TYPE, name),
  type: USER_SET_TYPE,
  inputs: { name, shards: shardTexts(inputs) },
  outputs: { name, record: await encodeRecord({ users: recorded, unsure: {}, logs: {} }), userCount: Object.keys(recorded).length, pending: {} },
});
const user = (name: string): StateResource => ({ urn: urn(USER_TYPE, name), type: USER_TYPE, inputs: { name, alias: { name, label: "qa" } }, outputs: {} });

const Reading = suite("plan: reading the stack");

Reading("a set without a preview step is unchanged, planned from state; a changed one from the step's old outputs and new inputs", async () => {
  const same = await set("same", { "qa/a": text("a") });
  const changed = await set("changed", { "qa/b": text("b") });
  const input = planInputOf(
    { deployment: { resources: [same, changed] } },
    {
      steps: [
        { op: "update", urn: changed.urn, oldState: changed, newState: { ...changed, inputs: { name: "changed", shards: shardTexts({ "qa/c": text("c") }) } } },
      ],
      config: {},
    },
    { refreshed: false },
  );
  assert.is(input.stack, "dev");
  assert.equal(
    input.sets.map((s) => [s.name, s.operation, Object.keys(s.record.users), Object.keys(s.desired)]),
    [
      ["changed", "update", ["qa/b"], ["qa/c"]],
      ["same", "same", ["qa/a"], ["qa/a"]],
    ],
  );
});

Reading("created sets start from an empty record; deleted ones declare nothing; BrazeUsers declare their alias and are named when they change", async () => {
  const created = await set("new", {}, { "qa/a": text("a") });
  const removed = await set("old", { "qa/a": text("a"), "qa/b": text("b") });
  const kept = user("b");
  const input = planInputOf(
    { deployment: { resources: [removed, kept] } },
    {
      steps: [
        { op: "create", urn: created.urn, newState: created },
        { op: "delete", urn: removed.urn, oldState: removed },
        { op: "update", urn: kept.urn, oldState: kept, newState: kept },
      ],
    },
    { refreshed: false },
  );
  assert.equal(
    input.sets.map((s) => [s.name, s.operation, Object.keys(s.record.users)]),
    [
      ["new", "create", []],
      ["old", "delete", ["qa/a", "qa/b"]],
    ],
  );
  assert.equal(
    [...input.declarations],
    [
      ["qa/b", ['BrazeUser "b"']],
      ["qa/a", ['BrazeUserSet "new"']],
    ],
  );
  assert.equal(input.unplanned, [{ resource: 'BrazeUser "b"', operation: "update" }]);
});

Reading("the budgets and batch size come from the stack config, as the provider reads them", () => {
  const input = planInputOf(
    {},
    {
      steps: [],
      config: {
        "braze:maxDeletes": "3",
        "braze:maxDataPoints": "500",
        "braze:maxObjectsPerRequest": "75",
        "braze:objectCapScope": "per-array",
        "braze:apiKey": "[secret]",
      },
    },
    { refreshed: false },
  );
  assert.equal(input.budgets, { maxDeletes: 3, maxDataPoints: 500, allowDeletes: undefined, allowDataPoints: undefined });
  assert.equal(input.trackCaps, { perArray: 75, combined: 225 });
  const defaults = planInputOf({}, { steps: [] }, { refreshed: false, stack: "prod" });
  assert.equal(
    [defaults.stack, defaults.budgets, defaults.trackCaps],
    ["prod", { maxDeletes: 10, maxDataPoints: undefined, allowDeletes: undefined, allowDataPoints: undefined }, { perArray: 50, combined: 50 }],
  );
});

/** A set as state holds it, for refusals that never read its record. */
const setWithoutRecord: StateResource = {
  urn: urn(USER_SET_TYPE, "s"),
  type: USER_SET_TYPE,
  inputs: { name: "s", shards: {} },
  outputs: { name: "s", userCount: 0, pending: {} },
};
const refusals: Array<[title: string, run: () => unknown, message: RegExp]> = [
  [
    "a budget kept as a secret",
    () => planInputOf({}, { config: { "braze:maxDeletes": "[secret]" } }, { refreshed: false }),
    /^braze:maxDeletes: its value is a secret, so the plan cannot read it; set it as plain config/,
  ],
  [
    "a budget that is not a whole number",
    () => planInputOf({}, { config: { "braze:maxDeletes": "ten" } }, { refreshed: false }),
    /^stack config braze:maxDeletes: "ten" is not a whole number from 0; set it to a whole number from 0 \(the most users one up may delete\)$/,
  ],
  [
    "users not known before up",
    () =>
      planInputOf(
        {},
        {
          steps: [
            {
              op: "create",
              urn: urn(USER_SET_TYPE, "s"),
              newState: { ...setWithoutRecord, inputs: { name: "s", shards: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } },
            },
          ],
        },
        { refreshed: false },
      ),
    /^BrazeUserSet "s": its users depend on values known only during "pulumi up"/,
  ],
  [
    "a record this version cannot read",
    () => planInputOf({ deployment: { resources: [{ ...setWithoutRecord, outputs: { record: "not a record" } }] } }, {}, { refreshed: false }),
    /^BrazeUserSet "s": the user set's record in Pulumi state: cannot be read/,
  ],
];
for (const [title, run, message] of refusals) {
  Reading(`refused with what to do: ${title}`, () => {
    try {
      run();
      assert.unreachable("should have thrown");
    } catch (error) {
      assert.instance(error, PlanError);
      assert.match((error as Error).message, message);
    }
  });
}

Reading.run();
