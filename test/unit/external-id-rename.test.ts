// Renaming an identified user's external_id in place: the plan (the exact
// rename, remove and track bodies, what is refused), and the send path against
// a stub of the Braze users API (the checks before, the rename before the
// attributes, the remove after, and what the record holds when an answer is lost).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stubUsersApi, type StubCalls } from "./support/stub-users-api";
import { trackCaps } from "../../provider/braze/track-packing";
import type { BrazeUsersApi, BulkOutcome } from "../../provider/braze/users-api";
import type { ExportedUser, ExternalIdRename, UserIdentifier } from "../../provider/braze/wire-types";
import { ExternalIdRenameError } from "../../provider/braze/errors/external-id-rename-error";
import { ExternalIdRemoveError } from "../../provider/braze/errors/external-id-remove-error";
import { planSet } from "../../provider/delta/plan-set";
import { requestsOf } from "../../provider/delta/set-sends";
import { setSummary } from "../../provider/delta/set-summary";
import { setChanges } from "../../provider/delta/set-changes";
import type { RecordedSet } from "../../provider/encoding/recorded-set";
import { storedText } from "../../provider/encoding/stored-text";
import { memberToText } from "../../provider/encoding/user-text";
import type { ManagedUser } from "../../provider/model";
import { NO_ENTRIES, type UserEntries } from "../../provider/model/entries";
import { sendSetPlan } from "../../provider/runtime/user-set-send";

const ada: ManagedUser = { externalId: "u-1", attributes: { first_name: "Ada" }, subscriptionGroups: {} };
const renamed: ManagedUser = { ...ada, externalId: "u-1-new", attributes: { first_name: "Ada", plan: "pro" } };
const signup: UserEntries = { events: { signup: { name: "signup", time: "2026-01-01T00:00:00Z" } }, purchases: {} };
const text = (user: ManagedUser, entries: UserEntries = NO_ENTRIES) => storedText("ada", memberToText({ user, entries }));
const recordOf = (users: Record<string, string>): RecordedSet => ({ users, unsure: {}, logs: {} });

const plans = suite("renaming an external_id: the plan");

plans("an external_id changed under the same key is one rename entry, then only the changed attribute by the new id; the old id is removed", () => {
  const plan = planSet(recordOf({ ada: text(ada) }), { ada: text(renamed) });
  assert.equal(plan.refusals, []);
  assert.equal(
    plan.changes.map((change) => [change.action, (change as { renameExternalId?: unknown }).renameExternalId, (change as { object?: unknown }).object]),
    [["rename_external_id", { current_external_id: "u-1", new_external_id: "u-1-new" }, { external_id: "u-1-new", _update_existing_only: true, plan: "pro" }]],
  );
  assert.equal(requestsOf(plan, trackCaps(50, "combined")), {
    "/users/track": 1,
    "/users/delete": 0,
    "/users/alias/update": 0,
    "/users/alias/new": 0,
    "/users/identify": 0,
    "/users/external_ids/rename": 1,
    "/users/external_ids/remove": 1,
    "/users/export/ids": 2,
    "/subscription/status/get": 0,
  });
});

plans("the preview calls it rename external_id and counts it", () => {
  const record = recordOf({ ada: text(ada) });
  const desired = { ada: text(renamed) };
  const plan = planSet(record, desired);
  const lines = setSummary(plan, setChanges(record.users, desired, ["ada"]));
  assert.is(lines[0], "users: 0 to create, 0 to update, 1 to rename external_id (1 data points), 0 to delete");
  assert.match(
    lines[1],
    /^ {2}~ 1 ada: external_id: "u-1" → "u-1-new" \(rename external_id: the same Braze user, nothing deleted; the old id is removed\); attributes\.plan: "pro"$/,
  );
});

plans("a new external_id another recorded user holds is refused before anything is sent, and so is a swap", () => {
  const bob: ManagedUser = { externalId: "u-2", attributes: {}, subscriptionGroups: {} };
  const record = recordOf({ ada: text(ada), bob: storedText("bob", memberToText({ user: bob, entries: NO_ENTRIES })) });
  const plan = planSet(record, { ada: text({ ...ada, externalId: "u-2" }) });
  assert.equal(
    plan.changes.map((change) => change.action),
    ["forget"],
    "nothing renamed; bob, whose id ada now declares, is only forgotten",
  );
  assert.equal(
    plan.refusals.map(({ key }) => key),
    ["ada"],
  );
  assert.match(plan.refusals[0].reason, /to "u-2", which the user recorded under key "bob" already holds: Braze refuses/);
});

plans("a new external_id another resource declares is refused", () => {
  const plan = planSet(
    recordOf({ ada: text(ada) }),
    { ada: text(renamed) },
    {
      declaredElsewhere: (identity) => (identity === "external_id u-1-new" ? 'BrazeUserSet "other"' : undefined),
    },
  );
  assert.equal(plan.changes, []);
  assert.match(plan.refusals[0]?.reason ?? "", /which BrazeUserSet "other" already holds/);
});

plans("an external_id renamed while the alias name changes is refused; removing one still is", () => {
  const withAlias: ManagedUser = { ...ada, alias: { label: "qa", name: "ada" } };
  const both = planSet(recordOf({ ada: text(withAlias) }), { ada: text({ ...withAlias, externalId: "u-9", alias: { label: "qa", name: "ada-2" } }) });
  assert.match(both.refusals[0]?.reason ?? "", /Braze renames one identifier at a time/);
  const removed = planSet(recordOf({ ada: text(ada) }), { ada: text({ ...ada, externalId: undefined, alias: { label: "qa", name: "ada" } }) });
  assert.match(removed.refusals[0]?.reason ?? "", /external_id "u-1" was removed/);
});
plans.run();

/** Answers exports from `held` (external_id -> profile), renames and removes with the given outcomes; logs every call in order. */
function stubApi(held: Record<string, ExportedUser>, answers: { rename?: BulkOutcome; remove?: BulkOutcome } = {}) {
  const calls: StubCalls = [];
  const ok: BulkOutcome = { ok: true, value: undefined };
  const api = stubUsersApi(
    calls,
    {
      exportAll: async (identifiers: readonly UserIdentifier[], fields: readonly string[]) => {
        if (identifiers.length > 0) calls.push(["export", { identifiers, fields }]);
        return identifiers.map((identifier) => ({ ok: true, value: identifier.external_id === undefined ? undefined : held[identifier.external_id] }));
      },
      renameExternalIdsAll: async (renames: readonly ExternalIdRename[]) => {
        if (renames.length > 0) calls.push(["rename", renames]);
        const outcome = answers.rename ?? ok;
        // Braze applies it: the profile answers exports by its new id.
        if (outcome.ok)
          for (const { current_external_id, new_external_id } of renames)
            held[new_external_id] = { ...held[current_external_id], external_id: new_external_id };
        return renames.map(() => outcome);
      },
      removeExternalIdsAll: async (ids: readonly string[]) => {
        if (ids.length > 0) calls.push(["remove", ids]);
        return ids.map(() => answers.remove ?? ok);
      },
    },
    (bundle) => ({ attributes: bundle.attributes, events: bundle.events }),
  );
  return { api, calls, held };
}

async function send(api: BrazeUsersApi, record: RecordedSet, desired: Record<string, string>) {
  const plan = planSet(record, desired);
  const next: RecordedSet = structuredClone(record);
  const failures = await sendSetPlan(api, plan, record, next, { now: () => 0, sleep: async () => {}, settleMs: 0 });
  return { failures, next };
}

const exportsOf = (...ids: string[]) => ids.map((id) => ["export", { identifiers: [{ external_id: id }], fields: ["braze_id"] }]);

const sends = suite("renaming an external_id: the send path");

sends("both ids checked, renamed, then the attribute by the new id, then the old id removed; the record holds the new id", async () => {
  const { api, calls } = stubApi({ "u-1": { external_id: "u-1", braze_id: "b1" } });
  const { failures, next } = await send(api, recordOf({ ada: text(ada) }), { ada: text(renamed) });
  assert.equal(failures, []);
  assert.equal(calls, [
    ...exportsOf("u-1", "u-1-new"),
    ["rename", [{ current_external_id: "u-1", new_external_id: "u-1-new" }]],
    ["track", [{ attributes: { external_id: "u-1-new", _update_existing_only: true, plan: "pro" }, events: [] }]],
    ["remove", ["u-1"]],
  ]);
  assert.equal(next.users, { ada: text(renamed) });
});

sends("a new event of the renamed user is sent after the rename, by the new id, and only then", async () => {
  const { api, calls } = stubApi({ "u-1": { external_id: "u-1", braze_id: "b1" } });
  const { failures, next } = await send(api, recordOf({ ada: text(ada) }), { ada: text(renamed, signup) });
  assert.equal(failures, []);
  const order = calls.map(([call]) => call);
  assert.ok(order.indexOf("rename") < order.indexOf("track"), "renamed before anything is tracked");
  const tracked = calls.filter(([call]) => call === "track").flatMap(([, bundles]) => bundles as Array<{ events: Array<{ external_id?: string }> }>);
  assert.equal(
    tracked.flatMap((bundle) => bundle.events.map((event) => event.external_id)),
    ["u-1-new"],
  );
  assert.is(order.at(-1), "remove");
  assert.equal(next.users, { ada: text(renamed, signup) });
});

sends("a refused rename fails that user by key, sends nothing else for it, and keeps the old id in the record", async () => {
  const refusal = new ExternalIdRenameError({ current_external_id: "u-1", new_external_id: "u-1-new" }, '"u-1-new" is already the external_id of a user');
  const { api, calls } = stubApi({ "u-1": { external_id: "u-1" } }, { rename: { ok: false, error: refusal } });
  const record = recordOf({ ada: text(ada, signup) });
  const { failures, next } = await send(api, record, { ada: text(renamed, signup) });
  assert.equal(
    failures.map(({ key, rejected }) => [key, rejected]),
    [["ada", true]],
  );
  assert.match(
    failures[0].message,
    /its external_id was not renamed: POST \/users\/external_ids\/rename: Braze refused renaming external_id "u-1" to "u-1-new"/,
  );
  assert.equal(
    calls.map(([call]) => call),
    ["export", "export", "rename", "export", "export"],
    "the refusal is read again: Braze still holds the old id, not the new one",
  );
  assert.equal(next.users, record.users);
});

sends(
  "a rename refused because a retry of it found the new id in use, Braze having applied the first try: the ids are read again, and it counts as renamed",
  async () => {
    const refusal = new ExternalIdRenameError({ current_external_id: "u-1", new_external_id: "u-1-new" }, '"u-1-new" is already the external_id of a user');
    const { api, calls, held } = stubApi({ "u-1": { external_id: "u-1" } }, { rename: { ok: false, error: refusal } });
    // What the lost first try did: the profile answers by its new id only.
    const renameExternalIdsAll = api.renameExternalIdsAll.bind(api);
    (api as { renameExternalIdsAll: typeof renameExternalIdsAll }).renameExternalIdsAll = async (renames) => {
      const outcomes = await renameExternalIdsAll(renames);
      Object.assign(held, { "u-1-new": { external_id: "u-1-new" } });
      delete held["u-1"];
      return outcomes;
    };
    const { failures, next } = await send(api, recordOf({ ada: text(ada) }), { ada: text(renamed) });
    assert.equal(failures, []);
    assert.equal(
      calls.map(([call]) => call),
      ["export", "export", "rename", "export", "export", "track", "remove"],
    );
    assert.equal(next.users, { ada: text(renamed) });
  },
);

sends("a lost rename answer: the next up finds Braze holds the new id, does not rename twice, sends the delta and removes the old id", async () => {
  const lost = stubApi(
    { "u-1": { external_id: "u-1" } },
    { rename: { ok: false, error: new Error("POST /users/external_ids/rename: no answer after 5 tries") } },
  );
  const first = await send(lost.api, recordOf({ ada: text(ada) }), { ada: text(renamed) });
  assert.equal(
    first.failures.map(({ key, rejected }) => [key, rejected]),
    [["ada", false]],
  );
  assert.equal(first.next.users, { ada: text(ada) }, "the old id stays recorded: whether Braze renamed is unknown");

  // Braze renamed it: an export by the old, now deprecated, id answers the profile under its new id.
  const applied = stubApi({ "u-1-new": { external_id: "u-1-new" } });
  const second = await send(applied.api, first.next, { ada: text(renamed) });
  assert.equal(second.failures, []);
  assert.equal(
    applied.calls.map(([call]) => call),
    ["export", "export", "track", "remove"],
  );
  assert.equal(second.next.users, { ada: text(renamed) });
});

sends("a lost remove answer keeps the old id in the record; the next up only removes it, and a refusal then means it is gone", async () => {
  const lost = stubApi({ "u-1": { external_id: "u-1" } }, { remove: { ok: false, error: new Error("POST /users/external_ids/remove: no answer") } });
  const first = await send(lost.api, recordOf({ ada: text(ada) }), { ada: text(renamed) });
  assert.equal(
    first.failures.map(({ key, rejected }) => [key, rejected]),
    [["ada", false]],
  );
  assert.match(first.failures[0].message, /its old external_id was not removed: POST \/users\/external_ids\/remove: no answer/);
  assert.equal(first.next.users, { ada: text({ ...renamed, externalId: "u-1" }) });

  const refused = new ExternalIdRemoveError("u-1", '"u-1" is not a deprecated external_id');
  const again = stubApi({ "u-1-new": { external_id: "u-1-new" } }, { remove: { ok: false, error: refused } });
  const second = await send(again.api, first.next, { ada: text(renamed) });
  assert.equal(second.failures, []);
  assert.equal(
    again.calls.map(([call]) => call),
    ["export", "export", "remove"],
  );
  assert.equal(second.next.users, { ada: text(renamed) });
});

sends("a new id another Braze user holds fails that user before any rename", async () => {
  const { api, calls } = stubApi({ "u-1": { external_id: "u-1" }, "u-1-new": { external_id: "u-1-new", braze_id: "b2" } });
  const { failures } = await send(api, recordOf({ ada: text(ada) }), { ada: text(renamed) });
  assert.match(failures[0]?.message ?? "", /Braze already has another user with that external_id \(braze_id b2\)/);
  assert.equal(
    calls.map(([call]) => call),
    ["export", "export"],
  );
});
sends.run();
