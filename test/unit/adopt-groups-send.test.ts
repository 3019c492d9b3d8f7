// Adopting users with subscription groups through the send path, against a stub
// of the Braze users API: the export, then the declared groups of the users
// Braze holds, then only the groups that differ; a failed group read leaves the
// user unsent, and an alias-only user's groups go as declared, said in the run's line.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stubUsersApi, type StubCalls } from "./support/stub-users-api";
import type { GroupStateRead } from "../../provider/braze/subscription-status";
import type { BrazeUsersApi, BulkOutcome } from "../../provider/braze/users-api";
import type { ExportedUser, UserIdentifier } from "../../provider/braze/wire-types";
import { planSet } from "../../provider/delta/plan-set";
import { EMPTY_RECORD, type RecordedSet } from "../../provider/encoding/recorded-set";
import { storedText } from "../../provider/encoding/stored-text";
import { memberToText } from "../../provider/encoding/user-text";
import type { ManagedUser, SubscriptionState } from "../../provider/model";
import { NO_ENTRIES } from "../../provider/model/entries";
import { sendSetPlan } from "../../provider/runtime/user-set-send";

const GUS: ManagedUser = { externalId: "u-gus", attributes: { first_name: "Gus" }, subscriptionGroups: { news: "subscribed", offers: "unsubscribed" } };
const ADA: ManagedUser = { alias: { name: "ada", label: "qa" }, attributes: { first_name: "Ada" }, subscriptionGroups: { news: "subscribed" } };
const text = (key: string, user: ManagedUser) => storedText(key, memberToText({ user, entries: NO_ENTRIES, adopt: true }));

/** Holds every user with its first_name; answers each group read from `states` (a thrown error fails it). */
function stubApi(states: Record<string, SubscriptionState | undefined | Error>) {
  const calls: StubCalls = [];
  const api = stubUsersApi(calls, {
    exportAll: async (identifiers: readonly UserIdentifier[]) => {
      if (identifiers.length > 0) calls.push(["export", identifiers]);
      return identifiers.map(
        (identifier): BulkOutcome<ExportedUser> => ({
          ok: true,
          value: { ...identifier, first_name: identifier.external_id === "u-gus" ? "Gus" : "Ada", user_aliases: [] } as ExportedUser,
        }),
      );
    },
    readGroupStates: async (reads: readonly GroupStateRead[]) => {
      if (reads.length > 0) calls.push(["groups", reads.map((read) => `${read.groupId}:${read.who.parameter}=${read.who.value}`)]);
      return reads.map((read) => {
        const state = states[read.groupId];
        return state instanceof Error ? { ok: false, error: state } : { ok: true, value: state };
      });
    },
  });
  return { api, calls };
}

async function send(api: BrazeUsersApi, users: Record<string, ManagedUser>) {
  const plan = planSet(EMPTY_RECORD, Object.fromEntries(Object.entries(users).map(([key, user]) => [key, text(key, user)])));
  const next: RecordedSet = structuredClone(EMPTY_RECORD);
  const lines: string[] = [];
  const failures = await sendSetPlan(api, plan, EMPTY_RECORD, next, { now: () => 0, sleep: async () => {}, settleMs: 0, say: (line) => lines.push(line) });
  return { failures, next, lines };
}

const Send = suite("adopt: subscription groups on the send path");

Send("a held identified user's groups are read, and only the one that differs is sent", async () => {
  const { api, calls } = stubApi({ news: "subscribed", offers: "subscribed" });
  const { failures, next } = await send(api, { "u-gus": GUS });
  assert.equal(failures, []);
  assert.equal(calls, [
    ["export", [{ external_id: "u-gus" }]],
    ["groups", ["news:external_id=u-gus", "offers:external_id=u-gus"]],
    [
      "track",
      [{ external_id: "u-gus", _update_existing_only: true, subscription_groups: [{ subscription_group_id: "offers", subscription_state: "unsubscribed" }] }],
    ],
  ]);
  assert.equal(Object.keys(next.users), ["u-gus"]);
});

Send("groups Braze holds as declared send nothing", async () => {
  const { api, calls } = stubApi({ news: "subscribed", offers: "unsubscribed" });
  await send(api, { "u-gus": GUS });
  assert.equal(
    calls.map(([call]) => call),
    ["export", "groups"],
  );
});

Send("a failed group read leaves the user unsent and unrecorded, and says so", async () => {
  const { api, calls } = stubApi({ news: "subscribed", offers: new Error("GET /subscription/status/get: 400 Invalid subscription group") });
  const { failures, next, lines } = await send(api, { "u-gus": GUS });
  assert.equal(
    failures.map(({ key }) => key),
    ["u-gus"],
  );
  assert.match(failures[0].message, /it was not read before adopting it \(nothing was sent for it\): GET \/subscription\/status\/get: 400/);
  assert.not.ok(calls.some(([call]) => call === "track"));
  assert.equal(next.users, {});
  assert.match(lines[0], /adopt: 1 users read from Braze, 0 held .* 1 not read/);
});

Send("an alias-only user's groups are not read but sent as declared, and the run's line says so", async () => {
  const { api, calls } = stubApi({});
  const { lines } = await send(api, { "qa/ada": ADA });
  assert.equal(
    calls.map(([call]) => call),
    ["export", "track"],
  );
  assert.equal(calls[1][1], [
    {
      user_alias: { alias_name: "ada", alias_label: "qa" },
      _update_existing_only: true,
      subscription_groups: [{ subscription_group_id: "news", subscription_state: "subscribed" }],
    },
  ]);
  assert.match(lines[0], /the subscription groups of 1 alias-only held user are sent as declared \(GET \/subscription\/status\/get takes no alias\)/);
});

Send.run();
