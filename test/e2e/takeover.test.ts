// Taking over users that Braze already holds, the supported way: declare their
// aliases. `pulumi import` cannot adopt them (the engine cannot import a
// dynamic provider's resource), so this is the path docs/desired-state.md documents, and
// this file checks each claim it makes about it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const LABEL = "takeover";
const alias = (name: string) => ({ alias_name: name, alias_label: LABEL });

const Takeover = suite<YamlStack>("taking over users Braze already holds by declaring their aliases");

Takeover.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "takeover" }));
  // Users made outside Pulumi (another tool, an earlier script): an attribute
  // the file will change, one it will not mention, and a subscription group.
  await context.braze.track({
    attributes: [
      {
        user_alias: alias("ada"),
        _update_existing_only: false,
        first_name: "Old",
        plan: "free",
        favorite_color: "blue",
        subscription_groups: [{ subscription_group_id: "news", subscription_state: "subscribed" }],
      },
      { user_alias: alias("bo"), _update_existing_only: false, first_name: "Bo", plan: "trial" },
    ],
  });
  await context.braze.post("/_local/reset-log", {});
});
Takeover.after(async (context) => context.close?.());

Takeover("the first up sets the declared attributes with a create's cost and leaves the undeclared ones alone", async (context) => {
  context.writeUsers([
    { alias: { name: "ada", label: LABEL }, attributes: { first_name: "Ada", plan: "pro" } },
    { alias: { name: "bo", label: LABEL }, attributes: { first_name: "Bo", plan: "trial" } },
  ]);
  await context.stack.up();
  const requests = await context.braze.requests();
  // The record starts empty, so each adopted user is sent whole, as a create:
  // the provider cannot know, without an export, that Braze already agrees.
  assert.equal(
    requests.map((r) => [r.path, r.body]),
    [
      [
        "/users/track",
        {
          attributes: [
            { user_alias: alias("ada"), _update_existing_only: false, first_name: "Ada", plan: "pro" },
            { user_alias: alias("bo"), _update_existing_only: false, first_name: "Bo", plan: "trial" },
          ],
        },
      ],
    ],
  );
  const stats = (await context.braze.stats()) as { data_points: { total: number } };
  assert.is(stats.data_points.total, 4, "a create's cost: one data point per declared attribute, unchanged values included");
  const ada = await context.braze.userByAlias(LABEL, "ada");
  assert.equal(ada.attributes.first_name, "Ada");
  assert.equal(ada.attributes.plan, "pro");
  assert.equal(ada.attributes.favorite_color, "blue", "an attribute the file does not declare is not managed and is left alone");
  assert.equal(ada.subscriptionGroups, { news: "subscribed" }, "an undeclared subscription group is left alone");
  assert.is((await context.braze.users()).length, 2, "adopting creates no second profile");
});

Takeover("after the takeover a refresh reports no drift: the undeclared attributes are not part of the record", async (context) => {
  await context.braze.post("/_local/reset-log", {});
  await context.stack.refresh();
  const [set] = userSets(await context.stack.exportState());
  assert.is(set.outputs.drift, undefined);
  await context.stack.preview({ expectNoChanges: true });
  const requests = await context.braze.requests();
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids"],
    "refresh reads both users in one export of up to 50 aliases",
  );
});

Takeover("an adopted user is managed like any other: removing it from the file deletes it in Braze", async (context) => {
  await context.braze.post("/_local/reset-log", {});
  context.writeUsers([{ alias: { name: "ada", label: LABEL }, attributes: { first_name: "Ada", plan: "pro" } }]);
  await context.stack.up();
  const requests = await context.braze.requests();
  assert.equal(
    requests.map((r) => [r.path, r.body]),
    [["/users/delete", { user_aliases: [alias("bo")] }]],
  );
  assert.is(await context.braze.findUserByAlias(LABEL, "bo"), undefined);
  assert.equal((await context.braze.userByAlias(LABEL, "ada")).attributes.favorite_color, "blue");
});

Takeover.run();
