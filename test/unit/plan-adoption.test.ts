// Adopting users Braze may already hold (`adopt: true`): what the plan says
// before Braze is read, and what each adopted user sends once it is.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildReport } from "../../plan/plan-report";
import { formatTable } from "../../plan/format-table";
import { trackCaps } from "../../provider/braze/track-packing";
import { adoptedChange, adoptionFieldsOf, adoptionsOf, type AdoptedChange } from "../../provider/delta/plan-adoption";
import { countDataPoints } from "../../provider/delta/data-points";
import { planCreate } from "../../provider/delta/plan-create";
import { dataPointsOf, planSet } from "../../provider/delta/plan-set";
import { setChanges } from "../../provider/delta/set-changes";
import { requestsOf } from "../../provider/delta/set-sends";
import { setSummary } from "../../provider/delta/set-summary";
import { EMPTY_RECORD, type RecordedSet } from "../../provider/encoding/recorded-set";
import { storedText } from "../../provider/encoding/stored-text";
import { isAdoptedText, memberFromText, memberToText } from "../../provider/encoding/user-text";
import { NO_ENTRIES } from "../../provider/model/entries";
import type { ManagedUser } from "../../provider/model";

const ADA: ManagedUser = {
  alias: { name: "ada", label: "qa" },
  attributes: { first_name: "Ada", dob: "1815-12-10", tags: ["math", "poetry"], profile: { city: "London", langs: { en: true } } },
  subscriptionGroups: {},
};
const ADA_HELD = {
  user_aliases: [{ alias_name: "ada", alias_label: "qa" }],
  first_name: "Ada",
  dob: "1815-12-10",
  custom_attributes: { tags: ["math", "poetry"], profile: { city: "London", langs: { en: true } }, set_elsewhere: 1 },
};

const textOf = (key: string, user: ManagedUser, adopt = true) =>
  storedText(key, memberToText({ user, entries: NO_ENTRIES, ...(adopt ? { adopt: true } : {}) }));
const adoptedPlan = (user: ManagedUser, record: RecordedSet = EMPTY_RECORD) => planSet(record, { "qa/ada": textOf("qa/ada", user) });
const onlyAdoption = (user: ManagedUser): AdoptedChange => adoptionsOf(adoptedPlan(user))[0];

const Text = suite("user text: adopt");

Text("is written last and read back; a user without it has the text it always had", () => {
  const text = memberToText({ user: ADA, entries: NO_ENTRIES, adopt: true });
  assert.ok(text.endsWith(", adopt: true}"), text);
  assert.equal(memberFromText(text).adopt, true);
  assert.is(memberToText({ user: ADA, entries: NO_ENTRIES }), text.replace(", adopt: true}", "}"));
  assert.is(memberFromText(text.replace(", adopt: true}", "}")).adopt, undefined);
});

Text("is told from the text alone, never from an attribute of that name", () => {
  assert.ok(isAdoptedText(textOf("qa/ada", { ...ADA, attributes: {} })));
  assert.ok(!isAdoptedText(textOf("qa/ada", { ...ADA, attributes: { adopt: true } }, false)));
  assert.ok(!isAdoptedText(textOf("qa/ada", { ...ADA, attributes: { x: { adopt: true } } }, false)));
});

Text.run();

const Plan = suite("planSet: adopt");

Plan("a new adopted user is a create to read first, costed as a create (the most it costs)", () => {
  const plan = adoptedPlan(ADA);
  assert.is(plan.changes.length, 1);
  const change = plan.changes[0];
  assert.is(change.action, "create");
  assert.is((change as AdoptedChange).adopt, "read first");
  assert.equal((change as AdoptedChange).object, { user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: false, ...ADA.attributes });
  assert.is(dataPointsOf(plan), countDataPoints(planCreate(ADA)));
});

Plan("a recorded user is not adopted again: adding or removing adopt sends nothing", () => {
  const record: RecordedSet = { users: { "qa/ada": textOf("qa/ada", ADA, false) }, unsure: {}, logs: {} };
  for (const [recorded, desired] of [
    [false, true],
    [true, false],
  ]) {
    const plan = planSet({ ...record, users: { "qa/ada": textOf("qa/ada", ADA, recorded) } }, { "qa/ada": textOf("qa/ada", ADA, desired) });
    assert.is(plan.changes.length, 1);
    assert.is(plan.changes[0].action, "update");
    assert.is((plan.changes[0] as { object?: unknown }).object, undefined);
    assert.is(adoptionsOf(plan).length, 0);
  }
});

Plan("each adopted user is one more identifier to export, 50 per request", () => {
  const desired = Object.fromEntries(
    Array.from({ length: 51 }, (_, index) => {
      const key = `qa/u${index}`;
      return [key, textOf(key, { alias: { name: `u${index}`, label: "qa" }, attributes: { first_name: "A" }, subscriptionGroups: {} })];
    }),
  );
  const requests = requestsOf(planSet(EMPTY_RECORD, desired), trackCaps(50, "combined"));
  assert.is(requests["/users/export/ids"], 2);
  assert.is(requests["/users/track"], 2);
});

Plan("the preview names adopted users, and the data points as the most they cost", () => {
  const plan = adoptedPlan(ADA);
  assert.equal(setSummary(plan, undefined), ["users: 0 to create, 1 to adopt (read first), 0 to update (at most 6 data points), 0 to delete"]);
  assert.equal(setChanges({}, { "qa/ada": textOf("qa/ada", ADA) }, ["qa/ada"]), {
    "1 qa/ada": { user: "adopt (read first): only what differs from what Braze holds is sent" },
  });
});

Plan("the export reads every field the adopted users declare", () => {
  assert.equal(adoptionFieldsOf([onlyAdoption(ADA)]), ["custom_attributes", "dob", "first_name"]);
});

Plan.run();

const Adopted = suite("adoptedChange");

Adopted("sends nothing for a user Braze holds with the same values (a date in Braze's form, nested, arrays)", () => {
  const change = adoptedChange(onlyAdoption(ADA), { ...ADA_HELD, dob: "1815-12-10T00:00:00.000Z" });
  assert.is(change.adopt, "found");
  assert.is(change.object, undefined);
  assert.is(change.text, textOf("qa/ada", ADA));
});

Adopted("sends only what differs, to a user that exists (_update_existing_only: true)", () => {
  const change = adoptedChange(onlyAdoption(ADA), { ...ADA_HELD, first_name: "Augusta" });
  assert.equal(change.object, { user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: true, first_name: "Ada" });
});

Adopted("sets a declared attribute Braze lacks, and merges a nested one it holds differently", () => {
  const change = adoptedChange(onlyAdoption(ADA), {
    ...ADA_HELD,
    dob: undefined,
    custom_attributes: { tags: ["math", "poetry"], profile: { city: "Paris", langs: { en: true } } },
  });
  assert.equal(change.object, {
    user_alias: { alias_name: "ada", alias_label: "qa" },
    _update_existing_only: true,
    _merge_objects: true,
    dob: "1815-12-10",
    profile: { city: "London" },
  });
});

Adopted("keeps the create of a user Braze does not hold", () => {
  const create = onlyAdoption(ADA);
  const change = adoptedChange(create, undefined);
  assert.is(change.adopt, "absent");
  assert.equal(change.object, create.object);
});

Adopted("sends an alias-only user's declared subscription groups, which it cannot read", () => {
  const create = onlyAdoption({ ...ADA, subscriptionGroups: { "g-1": "subscribed" } });
  const change = adoptedChange(create, ADA_HELD);
  assert.equal(change.object, {
    user_alias: { alias_name: "ada", alias_label: "qa" },
    _update_existing_only: true,
    subscription_groups: [{ subscription_group_id: "g-1", subscription_state: "subscribed" }],
  });
});

const BO: ManagedUser = {
  externalId: "u-bo",
  attributes: { first_name: "Bo" },
  subscriptionGroups: { "g-1": "subscribed", "g-2": "unsubscribed", "g-3": "subscribed" },
};
const boAdoption = () => adoptionsOf(planSet(EMPTY_RECORD, { "u-bo": textOf("u-bo", BO) }))[0];

Adopted("sends only the read groups that differ: another state, or none (Unknown)", () => {
  const change = adoptedChange(boAdoption(), { external_id: "u-bo", first_name: "Bo" }, { "g-1": "subscribed", "g-2": "subscribed", "g-3": undefined });
  assert.equal(change.object, {
    external_id: "u-bo",
    _update_existing_only: true,
    subscription_groups: [
      { subscription_group_id: "g-2", subscription_state: "unsubscribed" },
      { subscription_group_id: "g-3", subscription_state: "subscribed" },
    ],
  });
});

Adopted("sends nothing when every read group holds the declared state", () => {
  const change = adoptedChange(boAdoption(), { external_id: "u-bo", first_name: "Bo" }, { ...BO.subscriptionGroups });
  assert.is(change.object, undefined);
});

Plan("an adopted user's declared groups are read one group and 50 users per request; an alias-only user's are not read", () => {
  const groups = { "g-1": "subscribed", "g-2": "unsubscribed" } as const;
  const desired = Object.fromEntries([
    ...Array.from({ length: 51 }, (_, index): [string, string] => [
      `u${index}`,
      textOf(`u${index}`, { externalId: `u${index}`, attributes: {}, subscriptionGroups: { ...groups } }),
    ]),
    ["e/ann@example.com", textOf("e/ann@example.com", { email: "ann@example.com", attributes: {}, subscriptionGroups: { "g-1": "subscribed" } })],
    ["qa/ada", textOf("qa/ada", { ...ADA, subscriptionGroups: { ...groups } })],
  ]);
  const plan = planSet(EMPTY_RECORD, desired);
  // g-1 and g-2 by external_id: two requests each (51 users); g-1 by email: one.
  assert.is(requestsOf(plan, trackCaps(50, "combined"))["/subscription/status/get"], 5);
  assert.is(requestsOf(adoptedPlan(ADA), trackCaps(50, "combined"))["/subscription/status/get"], 0);
});

Adopted("attaches an identified user's alias only when Braze's profile lacks it", () => {
  const identified: ManagedUser = { externalId: "u-1", alias: { name: "ada", label: "qa" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} };
  const create = adoptionsOf(planSet(EMPTY_RECORD, { "u-1": textOf("u-1", identified) }))[0];
  assert.ok(create.attach);
  const holding = adoptedChange(create, { external_id: "u-1", user_aliases: [{ alias_name: "ada", alias_label: "qa" }], first_name: "Ada" });
  assert.is(holding.attach, undefined);
  assert.is(holding.object, undefined);
  const lacking = adoptedChange(create, { external_id: "u-1", user_aliases: [], first_name: "Ada" });
  assert.equal(lacking.attach, { external_id: "u-1", alias_name: "ada", alias_label: "qa" });
});

Adopted.run();

const Report = suite("braze-profiles plan: adopt");

Report("shows an adopted new user as adopt (read first), its read counted and a create's data points as the bound", () => {
  const report = buildReport({
    stack: "dev",
    sets: [{ name: "users", operation: "create", record: EMPTY_RECORD, desired: { "qa/ada": textOf("qa/ada", ADA) } }],
    declarations: new Map(),
    trackCaps: trackCaps(50, "combined"),
    budgets: { maxDeletes: 10 },
    unplanned: [],
    refreshed: false,
  });
  const [change] = report.changes;
  assert.is(change.action, "create");
  assert.is(change.adopt, true);
  assert.equal(change.sends, ["/users/track", "/users/export/ids"]);
  assert.is(change.dataPoints, countDataPoints(planCreate(ADA)));
  assert.is(report.requests["/users/export/ids"], 1);
  const table = formatTable(report);
  assert.match(table, /\+ adopt \(read first\)\s+users\s+qa\/ada/);
  assert.match(table, /Note: adopt: 1 new user is read from Braze first/);
});

Report.run();

const Resources = suite("adopt outside a set");

Resources("one BrazeUser per user refuses a file with adopt: true, pointing to BrazeUserSet", async () => {
  const { brazeUsersFromDesiredState } = await import("../../provider/desired-state-resources");
  assert.throws(
    () => brazeUsersFromDesiredState({ users: [{ user: { alias: { name: "ada", label: "qa" }, attributes: {}, subscriptionGroups: {} }, adopt: true }] }),
    /1 user\(s\) declare adopt: true \(qa\/ada\), which BrazeUser does not do; a set reads adopted users from Braze before its first send; declare the file as one BrazeUserSet/,
  );
});

Resources.run();
