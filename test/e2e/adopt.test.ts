// Taking over users Braze already holds with `adopt: true`: a user new to the
// stack is read first (/users/export/ids, 50 per request) and only what
// differs is sent, so a takeover where nothing differs sends nothing at all.
// docs/desired-state.md ("Moving users and taking them over") makes these claims.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { recordedUsers, unsureUsers, userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const LABEL = "adopt";
const alias = (name: string) => ({ alias_name: name, alias_label: LABEL });
const group = (id: string, state: string) => ({ subscription_group_id: id, subscription_state: state });
/** Alias-only users besides ada, so that the users to read take two exports (ceil(52 / 50)). */
const FILLERS = Array.from({ length: 50 }, (_, index) => `filler-${String(index).padStart(2, "0")}`);

const ADA_ATTRIBUTES = {
  first_name: "Ada",
  dob: "1815-12-10",
  signed_up_at: "2024-05-01T10:00:00Z",
  tags: ["math", "poetry"],
  profile: { city: "London", langs: { en: true, fr: false } },
};
const BO_ATTRIBUTES = { first_name: "Bo", plan: "pro", address: { street: "1 Main St", zip: "12345" } };

const declared = (extra: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> => [
  { alias: { name: "ada", label: LABEL }, adopt: true, attributes: ADA_ATTRIBUTES },
  { external_id: "u-bo", adopt: true, attributes: BO_ATTRIBUTES },
  ...FILLERS.map((name) => ({ alias: { name, label: LABEL }, adopt: true, attributes: { first_name: name } })),
  ...extra,
];

/** The /users/track bodies of the last step, which must have started with one export (the adopted users read). */
async function readThenTracked(context: YamlStack): Promise<unknown[]> {
  const requests = await context.braze.requests();
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", ...requests.slice(1).map(() => "/users/track")],
  );
  return requests.slice(1).map((r) => r.body);
}

const Adopt = suite<YamlStack>("adopt: true reads users Braze holds and sends only what differs");

Adopt.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "adopt" }));
  // Made outside Pulumi: alias-only and identified, nested values, a date, an array, and an attribute the file never declares.
  await context.braze.track({
    attributes: [
      { user_alias: alias("ada"), _update_existing_only: false, ...ADA_ATTRIBUTES, favorite_color: "blue" },
      { external_id: "u-bo", _update_existing_only: false, ...BO_ATTRIBUTES },
      { user_alias: alias("cy"), _update_existing_only: false, first_name: "Cy", plan: "free" },
      { external_id: "u-gus", _update_existing_only: false, first_name: "Gus", subscription_groups: [group("news", "subscribed")] },
      {
        external_id: "u-hal",
        _update_existing_only: false,
        first_name: "Hal",
        subscription_groups: [group("news", "subscribed"), group("offers", "subscribed")],
      },
    ],
  });
  for (let start = 0; start < FILLERS.length; start += 25) {
    await context.braze.track({
      attributes: FILLERS.slice(start, start + 25).map((name) => ({ user_alias: alias(name), _update_existing_only: false, first_name: name })),
    });
  }
  await context.braze.post("/_local/reset-log", {});
});
Adopt.after(async (context) => context.close?.());

Adopt("users Braze holds with the declared values cost ceil(users / 50) exports and no /users/track request", async (context) => {
  context.writeUsers(declared());
  await context.stack.up();
  const requests = await context.braze.requests();
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", "/users/export/ids"],
    "52 users are read in ceil(52 / 50) = 2 exports, and nothing is sent",
  );
  const fields = requests.map((r) => (r.body as { fields_to_export?: string[] }).fields_to_export);
  assert.ok(
    fields.every((list) => Array.isArray(list) && list.includes("custom_attributes") && list.includes("first_name")),
    "each export names its fields_to_export",
  );
  const stats = (await context.braze.stats()) as { data_points: { total: number } };
  assert.is(stats.data_points.total, 0);
  const state = await context.stack.exportState();
  const [set] = userSets(state);
  assert.is(set.outputs.userCount, 52);
  assert.equal(set.outputs.pending, {}, "nothing is left to send");
  assert.equal(unsureUsers(state), []);
  const recorded = recordedUsers(state);
  assert.is(recorded.size, 52, "every adopted user is recorded");
  assert.equal(recorded.get("adopt/ada")?.attributes, ADA_ATTRIBUTES);
  assert.equal(recorded.get("u-bo")?.attributes, BO_ATTRIBUTES);
  assert.ok(context.stack.lastOutput.includes("adopt: 52 users read from Braze, 52 held"), context.stack.lastOutput);
  assert.equal((await context.braze.userByAlias(LABEL, "ada")).attributes.favorite_color, "blue", "an undeclared attribute is left alone");

  await context.braze.post("/_local/reset-log", {});
  await context.stack.preview({ expectNoChanges: true });
  assert.equal(await context.braze.requests(), [], "a preview after the takeover shows no change and calls nothing");
});

Adopt("an adopted user that differs in one attribute gets exactly one object with only that attribute", async (context) => {
  await context.braze.post("/_local/reset-log", {});
  context.writeUsers(declared([{ alias: { name: "cy", label: LABEL }, adopt: true, attributes: { first_name: "Cy", plan: "pro" } }]));
  await context.stack.up();
  assert.equal(await readThenTracked(context), [{ attributes: [{ user_alias: alias("cy"), _update_existing_only: true, plan: "pro" }] }]);
  const stats = (await context.braze.stats()) as { data_points: { total: number } };
  assert.is(stats.data_points.total, 1);
  assert.equal((await context.braze.userByAlias(LABEL, "cy")).attributes.plan, "pro");
});

Adopt("an adopted user Braze does not hold is created, and the run says so", async (context) => {
  await context.braze.post("/_local/reset-log", {});
  const dee = { alias: { name: "dee", label: LABEL }, adopt: true, attributes: { first_name: "Dee" } };
  context.writeUsers(declared([{ alias: { name: "cy", label: LABEL }, adopt: true, attributes: { first_name: "Cy", plan: "pro" } }, dee]));
  await context.stack.up();
  assert.equal(await readThenTracked(context), [{ attributes: [{ user_alias: alias("dee"), _update_existing_only: false, first_name: "Dee" }] }]);
  assert.ok(context.stack.lastOutput.includes("adopt: Braze holds none of adopt/dee: created as new users"), context.stack.lastOutput);
  assert.equal((await context.braze.userByAlias(LABEL, "dee")).attributes.first_name, "Dee");
});

Adopt("removing adopt: true from recorded users sends nothing", async (context) => {
  await context.braze.post("/_local/reset-log", {});
  const withoutAdopt = declared([
    { alias: { name: "cy", label: LABEL }, attributes: { first_name: "Cy", plan: "pro" } },
    { alias: { name: "dee", label: LABEL }, attributes: { first_name: "Dee" } },
  ]).map(({ adopt: _adopt, ...user }) => user);
  context.writeUsers(withoutAdopt);
  await context.stack.up();
  assert.equal(await context.braze.requests(), []);
  await context.stack.preview({ expectNoChanges: true });
});

Adopt(
  "adopted identified users' declared groups are read: one that matches Braze sends nothing, one that differs sends exactly that group",
  async (context) => {
    await context.braze.post("/_local/reset-log", {});
    const recorded = declared([
      { alias: { name: "cy", label: LABEL }, attributes: { first_name: "Cy", plan: "pro" } },
      { alias: { name: "dee", label: LABEL }, attributes: { first_name: "Dee" } },
    ]).map(({ adopt: _adopt, ...user }) => user);
    context.writeUsers([
      ...recorded,
      { external_id: "u-gus", adopt: true, attributes: { first_name: "Gus" }, subscription_groups: { news: "subscribed" } },
      { external_id: "u-hal", adopt: true, attributes: { first_name: "Hal" }, subscription_groups: { news: "subscribed", offers: "unsubscribed" } },
    ]);
    await context.stack.up();
    const requests = await context.braze.requests();
    assert.equal(
      requests.map((r) => r.path),
      ["/users/export/ids", "/subscription/status/get", "/subscription/status/get", "/users/track"],
      "one export, one status read per group (news for both users, offers for hal), then one /users/track for hal alone",
    );
    // The status reads' answers name who was read: news for both users, then offers for hal.
    assert.equal(
      [requests[1].response, requests[2].response],
      [
        { status: { "u-gus": "Subscribed", "u-hal": "Subscribed" }, message: "success" },
        { status: { "u-hal": "Subscribed" }, message: "success" },
      ],
    );
    assert.equal(requests[3].body, {
      attributes: [{ external_id: "u-hal", _update_existing_only: true, subscription_groups: [group("offers", "unsubscribed")] }],
    });
    assert.ok(context.stack.lastOutput.includes("adopt: 2 users read from Braze, 2 held"), context.stack.lastOutput);
    const hal = (await context.braze.users()).find((user) => user.external_id === "u-hal") as { subscription_groups: Record<string, string> };
    assert.equal(hal.subscription_groups, { news: "subscribed", offers: "unsubscribed" });
    await context.stack.preview({ expectNoChanges: true });
  },
);

Adopt.run();
