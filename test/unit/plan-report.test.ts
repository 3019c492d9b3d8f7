// The plan's totals follow the provider's sending rules: ceil(objects / cap)
// /users/track requests per set, ceil(aliases / 50) for deletes, the budgets
// judged on the sets that stay, and a removed set deleting what nothing declares.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildReport, type PlanInput, type SetToPlan } from "../../plan/plan-report";
import { trackCaps } from "../../provider/braze/track-packing";
import { userToText } from "../../provider/encoding/user-text";

const text = (name: string, attributes: Record<string, string> = { first_name: name }, label = "qa") =>
  userToText({ alias: { name, label }, attributes, subscriptionGroups: {} });
const users = (count: number, prefix = "u") => Object.fromEntries(Array.from({ length: count }, (_, i) => [`qa/${prefix}${i}`, text(`${prefix}${i}`)]));

function input(sets: SetToPlan[], overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    stack: "dev",
    sets,
    declarations: new Map(),
    trackCaps: trackCaps(50, "combined"),
    budgets: { maxDeletes: 10 },
    unplanned: [],
    refreshed: true,
    ...overrides,
  };
}

const Report = suite("plan report");

Report("76 new users are two /users/track requests at the default cap of 50 combined, three at braze:maxObjectsPerRequest 30, two at 75 per array", () => {
  const sets: SetToPlan[] = [{ name: "users", operation: "create", record: { users: {}, unsure: {}, logs: {} }, desired: users(76) }];
  const report = buildReport(input(sets));
  assert.equal(report.requests, {
    "/users/track": 2,
    "/users/delete": 0,
    "/users/alias/update": 0,
    "/users/export/ids": 0,
    "/users/alias/new": 0,
    "/users/identify": 0,
    "/users/external_ids/rename": 0,
    "/users/external_ids/remove": 0,
    "/subscription/status/get": 0,
  });
  assert.is(report.dataPoints, 76);
  assert.equal(report.users, { create: 76, update: 0, rename: 0, identify: 0, rename_external_id: 0, delete: 0, unchanged: 0, forget: 0 });
  assert.is(buildReport(input(sets, { trackCaps: trackCaps(30, "combined") })).requests["/users/track"], 3);
  assert.is(buildReport(input(sets, { trackCaps: trackCaps(38, "combined") })).requests["/users/track"], 2);
  assert.is(buildReport(input(sets, { trackCaps: trackCaps(75, "per-array") })).requests["/users/track"], 2);
  assert.is(buildReport(input(sets, { trackCaps: trackCaps(25, "combined") })).requests["/users/track"], 4);
});

Report("nothing changed: zero requests, every user unchanged, and no change to report (exit code 0)", () => {
  const record = { users: users(5), unsure: {}, logs: {} };
  const report = buildReport(input([{ name: "users", operation: "same", record, desired: users(5) }]));
  assert.equal(report.users, { create: 0, update: 0, rename: 0, identify: 0, rename_external_id: 0, delete: 0, unchanged: 5, forget: 0 });
  assert.is(report.changesAnything, false);
  assert.is(report.requests["/users/track"] + report.requests["/users/delete"], 0);
});

Report("an emptied file over braze:maxDeletes: the verdict says up refuses it and how to allow it", () => {
  const report = buildReport(input([{ name: "users", operation: "update", record: { users: users(51), unsure: {}, logs: {} }, desired: {} }]));
  assert.is(report.requests["/users/delete"], 2);
  assert.equal(report.budgets.exceeded, [
    'it would delete 51 users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=51 pulumi up" (nothing stays set: the next run is guarded again), else restore the users in the desired state',
  ]);
  assert.match(report.budgets.verdict, /^over budget: up refuses this plan and sends nothing for the set that goes over \(it would delete 51 users/);
  assert.is(report.changesAnything, true);
});

Report("over braze:maxDataPoints: the verdict names the data points needed", () => {
  const report = buildReport(
    input([{ name: "users", operation: "create", record: { users: {}, unsure: {}, logs: {} }, desired: users(3) }], {
      budgets: { maxDeletes: 10, maxDataPoints: 2 },
    }),
  );
  assert.equal(report.budgets.exceeded, [
    'it needs 3 data points and braze:maxDataPoints is 2; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DATA_POINTS=3 pulumi up" (nothing stays set), else send fewer changes',
  ]);
});

Report("the budgets are shared by every set of the run, as the provider shares them", () => {
  const emptied = (name: string, prefix: string): SetToPlan => ({
    name,
    operation: "update",
    record: { users: users(6, prefix), unsure: {}, logs: {} },
    desired: {},
  });
  const report = buildReport(input([emptied("a", "a"), emptied("b", "b")]));
  assert.is(report.budgets.deletes, 12);
  assert.is(report.budgets.exceeded.length, 1);
});

Report("a set removed from the program deletes what nothing else declares, within braze:maxDeletes as its delete is, and says so", () => {
  const record = { users: users(12), unsure: {}, logs: {} };
  const declarations = new Map([["qa/u3", ['BrazeUser "u3"']]]);
  const report = buildReport(input([{ name: "old", operation: "delete", record, desired: {} }], { declarations }));
  assert.equal(report.users, { create: 0, update: 0, rename: 0, identify: 0, rename_external_id: 0, delete: 11, unchanged: 0, forget: 1 });
  assert.is(report.budgets.deletes, 11);
  assert.match(report.budgets.exceeded.join("\n"), "it would delete 11 users and braze:maxDeletes is 10");
  assert.ok(report.notes[0].startsWith('BrazeUserSet "old" leaves the program'));
});

Report("a label change whose old alias another resource declares creates the new user and deletes nothing", () => {
  const record = { users: { dan: text("dan") }, unsure: {}, logs: {} };
  const declarations = new Map([["qa/dan", ['BrazeUser "dan"']]]);
  const report = buildReport(
    input([{ name: "users", operation: "update", record, desired: { dan: text("dan", { first_name: "dan" }, "vip") } }], { declarations }),
  );
  assert.equal(
    report.changes.map((change) => [change.action, `${change.alias!.label}/${change.alias!.name}`]),
    [["create", "vip/dan"]],
  );
  assert.is(report.requests["/users/delete"], 0);
  assert.match(report.changes[0].note ?? "", /qa\/dan is kept, because another resource declares it/);
});

Report("BrazeUser resources the engine changes are named as not planned, and count as a change", () => {
  const report = buildReport(input([], { unplanned: [{ resource: 'BrazeUser "bob"', operation: "update" }] }));
  assert.is(report.changesAnything, true);
  assert.match(report.notes.join("\n"), /not planned here: 1 BrazeUser resource change/);
});

Report("after a refresh, the notes name the alias-only users whose subscription groups could not be read; users with an external_id are read", () => {
  const withGroups = (key: string, externalId?: string) =>
    userToText({ ...(externalId ? { externalId } : { alias: { name: key, label: "qa" } }), attributes: {}, subscriptionGroups: { g: "subscribed" } });
  const record = { users: { "qa/a": withGroups("a"), "u-1": withGroups("u-1", "u-1"), "qa/b": text("b") }, unsure: {}, logs: {} };
  const set: SetToPlan = { name: "users", operation: "same", record, desired: record.users };
  assert.ok(
    buildReport(input([set])).notes.includes(
      'BrazeUserSet "users": subscription groups of 1 alias-only user could not be read (qa/a): GET /subscription/status/get names users by external_id, email or phone, never by alias, so their recorded states are kept unchecked',
    ),
  );
  assert.not.ok(
    buildReport(input([set], { refreshed: false })).notes.some((note) => note.includes("could not be read")),
    "nothing was read without --refresh",
  );
});

Report.run();
