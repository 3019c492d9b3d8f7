// Identifying an alias-only user in place through the send path, against a
// stub of the Braze users API: the check before, the identify, the delta after,
// and what the record holds when the identify's answer is lost.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stubUsersApi, type StubCalls } from "./support/stub-users-api";
import type { BrazeUsersApi, BulkOutcome } from "../../provider/braze/users-api";
import type { AliasIdentification, ExportedUser, UserIdentifier } from "../../provider/braze/wire-types";
import { planSet } from "../../provider/delta/plan-set";
import type { RecordedSet } from "../../provider/encoding/recorded-set";
import { storedText } from "../../provider/encoding/stored-text";
import { memberToText } from "../../provider/encoding/user-text";
import type { ManagedUser } from "../../provider/model";
import { NO_ENTRIES } from "../../provider/model/entries";
import { sendSetPlan } from "../../provider/runtime/user-set-send";

const carol: ManagedUser = { alias: { label: "qa", name: "carol" }, attributes: { first_name: "Carol" }, subscriptionGroups: {} };
const identified: ManagedUser = { ...carol, externalId: "u-carol", attributes: { first_name: "Carol", plan: "pro" } };
const text = (user: ManagedUser) => storedText("carol", memberToText({ user, entries: NO_ENTRIES }));
const recordOf = (user: ManagedUser): RecordedSet => ({ users: { carol: text(user) }, unsure: {}, logs: {} });

/** Answers exports with `held` (the profile by external_id, if any) and each identify with `identifyAnswer`; logs every call. */
function stubApi(held: ExportedUser | undefined, identifyAnswer: BulkOutcome) {
  const calls: StubCalls = [];
  const api = stubUsersApi(calls, {
    exportAll: async (identifiers: readonly UserIdentifier[], fields: readonly string[]) => {
      // The track pass asks for no one's counts when no user has entries: not a request.
      if (identifiers.length > 0) calls.push(["export", { identifiers, fields }]);
      return identifiers.map(() => ({ ok: true, value: held }));
    },
    identifyAll: async (entries: readonly AliasIdentification[]) => {
      if (entries.length > 0) calls.push(["identify", entries]);
      return entries.map(() => identifyAnswer);
    },
  });
  return { api, calls };
}

async function send(api: BrazeUsersApi, record: RecordedSet) {
  const plan = planSet(record, { carol: text(identified) });
  const next: RecordedSet = structuredClone(record);
  const failures = await sendSetPlan(api, plan, record, next, { now: () => 0, sleep: async () => {}, settleMs: 0 });
  return { failures, next };
}

const Identify = suite("identifying an alias-only user in place: the send path");

Identify("unknown external_id: checked, identified, then only the changed attribute by external_id; the record holds the identified user", async () => {
  const { api, calls } = stubApi(undefined, { ok: true, value: undefined });
  const { failures, next } = await send(api, recordOf(carol));
  assert.equal(failures, []);
  assert.equal(calls, [
    ["export", { identifiers: [{ external_id: "u-carol" }], fields: ["user_aliases"] }],
    ["identify", [{ external_id: "u-carol", user_alias: { alias_name: "carol", alias_label: "qa" } }]],
    ["track", [{ external_id: "u-carol", _update_existing_only: true, plan: "pro" }]],
  ]);
  assert.equal(next.users, { carol: text(identified) });
});

Identify("a lost answer leaves the record alias-only and sends no delta; the next up's check finds it identified and does not identify again", async () => {
  const lost = stubApi(undefined, { ok: false, error: new Error("POST /users/identify: no answer after 5 tries") });
  const first = await send(lost.api, recordOf(carol));
  assert.equal(
    first.failures.map(({ key, rejected }) => [key, rejected]),
    [["carol", false]],
  );
  assert.match(first.failures[0].message, /it was not identified: POST \/users\/identify: no answer/);
  assert.equal(first.next.users, { carol: text(carol) }, "still alias-only: the next plan identifies again");
  assert.equal(
    lost.calls.map(([call]) => call),
    ["export", "identify"],
  );

  const applied = stubApi({ external_id: "u-carol", user_aliases: [{ alias_name: "carol", alias_label: "qa" }] }, { ok: true, value: undefined });
  const second = await send(applied.api, first.next);
  assert.equal(second.failures, []);
  assert.equal(
    applied.calls.map(([call]) => call),
    ["export", "track"],
    "Braze already holds the alias on that external_id: not identified twice",
  );
  assert.equal(second.next.users, { carol: text(identified) });
});

Identify.run();
