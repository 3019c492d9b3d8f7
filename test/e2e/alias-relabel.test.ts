// A changed alias label under a stable key, end to end. Braze cannot relabel an
// alias, so the user under the old alias is deleted and one under the new alias
// created with every desired value; the other users are not touched. As one
// BrazeUser per user, the engine replaces the resource; in the root program's
// BrazeUserSet, the set is updated and its provider deletes, then creates.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decodeRecord } from "../../provider/encoding/record-codec";
import { recordedUsers, userSets } from "../harness/recorded-users";
import { PER_USER_PROGRAM_DIR, ROOT_PROGRAM_DIR, startYamlStack, type YamlStack } from "../harness/yaml-stack";

type Context = YamlStack;

const kim = (label: string) => ({
  key: "qa-kim",
  alias: { name: "kim", label },
  attributes: { first_name: "Kim", tier: "gold" },
  subscription_groups: { "group-news": "subscribed" },
});
const lee = { alias: { name: "lee", label: "qa" }, attributes: { first_name: "Lee" } };
const leeCreated = { user_alias: { alias_name: "lee", alias_label: "qa" }, _update_existing_only: false, first_name: "Lee" };

/** The object that creates kim under `label`, written out. */
const kimCreated = (label: string) => ({
  user_alias: { alias_name: "kim", alias_label: label },
  _update_existing_only: false,
  first_name: "Kim",
  tier: "gold",
  subscription_groups: [{ subscription_group_id: "group-news", subscription_state: "subscribed" }],
});
const kimRecorded = (label: string) => ({
  alias: { name: "kim", label },
  attributes: { first_name: "Kim", tier: "gold" },
  subscriptionGroups: { "group-news": "subscribed" },
});
const leeRecorded = { alias: { name: "lee", label: "qa" }, attributes: { first_name: "Lee" }, subscriptionGroups: {} };

/** The steps both shapes share: create both users, then check that Braze ends as the new label says. */
function relabelSuite(
  title: string,
  programDir: string,
  expected: {
    /** The create objects, in user-key order; `oneRequest`: all in exactly one request, in that order. */
    created: { resourceChanges: Record<string, number>; objects: unknown[]; oneRequest: boolean };
    preview: Record<string, number>;
    relabel: { resourceChanges: Record<string, number>; requests: Array<[string, unknown]> };
    checkState?: (context: Context) => Promise<void>;
  },
) {
  const Relabel = suite<Context>(title);
  Relabel.before(async (context) => {
    Object.assign(context, await startYamlStack({ programDir, projectName: "relabel" }));
  });
  Relabel.after(async (context) => context.close?.());

  Relabel("create: kim under label qa, and lee", async (context) => {
    context.writeUsers([kim("qa"), lee]);
    const result = await context.stack.up();
    assert.equal(result.summary.resourceChanges, expected.created.resourceChanges);
    const requests = await context.braze.newRequests();
    if (expected.created.oneRequest) {
      assert.equal(
        requests.map((r) => [r.path, r.body]),
        [["/users/track", { attributes: expected.created.objects }]],
      );
    } else {
      assert.ok(
        requests.every((r) => r.path === "/users/track"),
        `only /users/track requests: ${requests.map((r) => r.path)}`,
      );
      const sent = requests.flatMap((r) => (r.body as { attributes: unknown[] }).attributes);
      const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
      assert.equal(sent.sort(byText), [...expected.created.objects].sort(byText), "each user's object exactly once");
    }
  });

  Relabel("preview of the label changed to qa-vip shows the change and sends nothing", async (context) => {
    context.writeUsers([kim("qa-vip"), lee]);
    const preview = await context.stack.preview();
    assert.equal(preview.changeSummary, expected.preview);
    assert.equal(await context.braze.newRequests(), []);
  });

  Relabel("up deletes qa/kim and creates qa-vip/kim with every desired value; lee is untouched", async (context) => {
    const result = await context.stack.up();
    assert.equal(result.summary.resourceChanges, expected.relabel.resourceChanges);
    assert.equal(
      (await context.braze.newRequests()).map((r) => [r.path, r.body]),
      expected.relabel.requests,
    );
    assert.is(await context.braze.findUserByAlias("qa", "kim"), undefined, "the old alias is gone from Braze");
    const renamed = await context.braze.userByAlias("qa-vip", "kim");
    assert.equal(renamed.attributes, { first_name: "Kim", tier: "gold" });
    assert.equal(renamed.subscriptionGroups, { "group-news": "subscribed" });
    assert.is((await context.braze.users()).length, 2);
  });

  Relabel("state records the user under its new alias only", async (context) => {
    const recorded = recordedUsers(await context.stack.exportState());
    assert.equal([...recorded.keys()].sort(), ["qa-vip/kim", "qa/lee"]);
    // A BrazeUser's outputs also hold Pulumi's `__provider`: compare the user's own fields.
    const user = (key: string) => {
      const { alias, attributes, subscriptionGroups } = recorded.get(key)!;
      return { alias, attributes, subscriptionGroups };
    };
    assert.equal(user("qa-vip/kim"), kimRecorded("qa-vip"));
    assert.equal(user("qa/lee"), leeRecorded);
    await expected.checkState?.(context);
  });

  Relabel("the next preview expects no change and sends nothing", async (context) => {
    await context.stack.preview({ expectNoChanges: true });
    assert.equal(await context.braze.newRequests(), []);
  });

  Relabel.run();
}

const deleteOld: [string, unknown] = ["/users/delete", { user_aliases: [{ alias_name: "kim", alias_label: "qa" }] }];
const createNew: [string, unknown] = ["/users/track", { attributes: [kimCreated("qa-vip")] }];

relabelSuite("a changed alias label, one BrazeUser per user (per-user program)", PER_USER_PROGRAM_DIR, {
  // Two BrazeUser resources: whether their creates share a request depends on the engine's pace.
  created: { resourceChanges: { create: 3 }, objects: [kimCreated("qa"), leeCreated], oneRequest: false },
  preview: { replace: 1, same: 2 },
  relabel: {
    resourceChanges: { replace: 1, same: 2 },
    // The engine's default replacement: create the new resource, then delete the old.
    requests: [createNew, deleteOld],
  },
  async checkState(context) {
    const state = await context.stack.exportState();
    const kimResource = state.resources.filter((resource) => resource.urn.endsWith("braze:User::qa-kim"));
    assert.equal(
      kimResource.map((resource) => resource.id),
      ["qa-vip/kim"],
      "one resource under the key, now for the new alias",
    );
  },
});

relabelSuite("a changed alias label in the root program's BrazeUserSet", ROOT_PROGRAM_DIR, {
  // One request, objects in user-key order: "qa-kim" before "qa/lee".
  created: { resourceChanges: { create: 2 }, objects: [kimCreated("qa"), leeCreated], oneRequest: true },
  preview: { same: 1, update: 1 },
  relabel: {
    resourceChanges: { same: 1, update: 1 },
    // The set deletes a replaced user's old alias first, and creates the new one only then.
    requests: [deleteOld, createNew],
  },
  async checkState(context) {
    const [set] = userSets(await context.stack.exportState());
    const record = decodeRecord(set.outputs.record);
    assert.equal(Object.keys(record.users).sort(), ["qa-kim", "qa/lee"], "the user keeps its key in the set");
    assert.equal(record.unsure, {});
    assert.equal(set.outputs.pending, {});
    assert.is(set.outputs.userCount, 2);
  },
});
