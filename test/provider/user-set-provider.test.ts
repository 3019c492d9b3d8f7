// The user-set provider against braze-local over real HTTP, without the engine:
// exact requests and bodies, what the record holds, and what a failed or lost
// request leaves for the next run.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient } from "../../provider/braze/client";
import { BrazeUsersApi } from "../../provider/braze/users-api";
import type { Budgets } from "../../provider/delta/budgets";
import type { ManagedUser } from "../../provider/model";
import { shardsDigest, shardTexts, textsOfShards } from "../../provider/encoding/user-shards";
import { fullText, userOfStored } from "../../provider/encoding/stored-text";
import { userToText } from "../../provider/encoding/user-text";
import { declare, resetDeclarations } from "../../provider/runtime/declared-aliases";
import { decodeRecord, encodeRecord } from "../../provider/encoding/record-codec";
import { parseFlowText } from "../../provider/encoding/flow-text";
import { packOrder, packShards } from "../../provider/pulumi-wire/packed-shards";
import { UserSetPartialFailure, UserSetProvider, type UserSetOutputs } from "../../provider/runtime/user-set-provider";
import { DEVELOPMENT_API_KEY } from "../../server";
import { startLossyProxy } from "../harness/lossy-proxy";
import { startTestServer, type TestServer } from "../server/local-server";

const noWait = async () => {};

function providerFor(endpoint: string, budgets?: Budgets): UserSetProvider {
  const client = new BrazeClient({ endpoint, apiKey: DEVELOPMENT_API_KEY, sleep: noWait, random: () => 0 });
  return new UserSetProvider(new BrazeUsersApi(client, { maxObjectsPerRequest: 75, capScope: "per-array" }), {
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    budgets,
  });
}

const persona = (index: number, extra: Record<string, unknown> = {}): ManagedUser => ({
  alias: { name: `p${index}`, label: "qa" },
  attributes: { first_name: `P${index}`, plan: "trial", ...extra } as ManagedUser["attributes"],
  subscriptionGroups: {},
});

function inputs(users: Record<string, ManagedUser>, name = "users"): Record<string, unknown> {
  return { name, shards: shardTexts(Object.fromEntries(Object.entries(users).map(([key, user]) => [key, userToText(user)]))) };
}

function personas(count: number): Record<string, ManagedUser> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`qa/p${index}`, persona(index)]));
}

function recordOf(outs: UserSetOutputs): Record<string, ManagedUser> {
  const record = decodeRecord(outs.record);
  return Object.fromEntries(Object.entries(record.users).map(([key, text]) => [key, userOfStored(key, text)]));
}

interface Context {
  braze: TestServer;
  provider: UserSetProvider;
}

const UserSetSuite = suite<Context>("user set provider against braze-local");

UserSetSuite.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ rateLimit: "100000/1" });
  context.provider = providerFor(context.braze.url);
});
UserSetSuite.after.each(async (context) => context.braze.close());

UserSetSuite("creates 160 users in exactly 3 /users/track requests, each user's object once, and records them all", async (context) => {
  const users = personas(160);
  const { id, outs } = await context.provider.create(inputs(users));
  assert.is(id, "users");
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((r) => [r.path, r.body.attributes.length]),
    [
      ["/users/track", 75],
      ["/users/track", 75],
      ["/users/track", 10],
    ],
  );
  const sent = requests.flatMap((r) => r.body.attributes);
  assert.equal(sent[0], { user_alias: { alias_name: "p0", alias_label: "qa" }, _update_existing_only: false, first_name: "P0", plan: "trial" });
  assert.is(new Set(sent.map((o: any) => o.user_alias.alias_name)).size, 160);
  assert.equal(recordOf(outs), users);
  assert.equal(outs.pending, {});
  assert.is(outs.userCount, 160);
  assert.is((await context.braze.users()).length, 160);
});

UserSetSuite("an unchanged set is no diff, and an update with it sends nothing", async (context) => {
  const users = personas(20);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.newRequests();
  assert.equal(await context.provider.diff(outs as never, inputs(users)), { changes: false, replaces: [], deleteBeforeReplace: false });
  const again = await context.provider.update("users", outs as never, inputs(users));
  assert.equal(await context.braze.newRequests(), []);
  assert.equal(recordOf(again.outs), users);
});

UserSetSuite(
  "a set written before the flow form (JSON texts in its record and shards) sends nothing and is recorded in the flow form by its next update",
  async (context) => {
    const users = personas(20);
    const { outs } = await context.provider.create(inputs(users));
    await context.braze.newRequests();
    const record = decodeRecord(outs.record);
    const asJson = (text: string) => JSON.stringify(parseFlowText(text));
    const before = {
      ...outs,
      inSyncWith: undefined,
      record: await encodeRecord({
        ...record,
        users: Object.fromEntries(Object.entries(record.users).map(([key, text]) => [key, asJson(fullText(key, text))])),
      }),
    };
    assert.is((await context.provider.diff(before as never, inputs(users))).changes, true, "a record in the other form is rewritten, once");
    const again = await context.provider.update("users", before as never, inputs(users));
    assert.equal(await context.braze.newRequests(), [], "the same users: nothing to send");
    assert.equal(decodeRecord(again.outs.record).users, record.users, "the record is in the flow form again");
    assert.is((await context.provider.diff(again.outs as never, inputs(users))).changes, false);
  },
);

UserSetSuite(
  "a record equal to its inputs names their digest, so an unchanged diff reads no record; a rejected user leaves it out, so the same inputs are still a change",
  async (context) => {
    const users = personas(3);
    const first = inputs(users);
    const { outs } = await context.provider.create(first);
    assert.is(outs.inSyncWith, shardsDigest(first.shards as Record<string, string>));
    assert.is(
      (await context.provider.diff({ ...outs, record: "not a record" } as never, inputs(users))).changes,
      false,
      "the digest decides; the record is not read",
    );
    assert.is((await context.provider.diff(outs as never, inputs({ ...users, "qa/p1": persona(1, { plan: "pro" }) }))).changes, true);
    assert.is(
      (await context.provider.diff({ ...outs, drift: { "qa/p1": ["attributes.plan"] } } as never, inputs(users))).changes,
      true,
      "drift found by a refresh is a change",
    );

    const oversized = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`note_${i}`, "n".repeat(250)]));
    const next = { ...users, "qa/p1": persona(1, { notes: oversized }) };
    const failure = (await context.provider.update("users", outs as never, inputs(next)).catch((error: unknown) => error)) as UserSetPartialFailure;
    assert.instance(failure, UserSetPartialFailure);
    assert.is(failure.properties.inSyncWith, undefined);
    assert.is((await context.provider.diff(failure.properties as never, inputs(next))).changes, true, "the rejected user is still to send");
  },
);

UserSetSuite("a change sends exactly the changed users' deltas, removed users in one delete, and a new key for an alias moves it", async (context) => {
  const users = personas(100);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.newRequests();
  const next = { ...users };
  next["qa/p3"] = persona(3, { plan: "pro" });
  next["qa/p4"] = { ...persona(4), attributes: { first_name: "P4" } };
  delete next["qa/p5"];
  delete next["qa/p6"];
  delete next["qa/p7"];
  next["renamed-key"] = next["qa/p7"] ?? persona(7);
  next["qa/new"] = { alias: { name: "new", label: "qa" }, attributes: { first_name: "New" }, subscriptionGroups: { g1: "subscribed" } };
  const { outs: after } = await context.provider.update("users", outs as never, inputs(next));
  assert.equal(await context.braze.newRequests(), [
    {
      path: "/users/delete",
      body: {
        user_aliases: [
          { alias_name: "p5", alias_label: "qa" },
          { alias_name: "p6", alias_label: "qa" },
        ],
      },
    },
    {
      path: "/users/track",
      body: {
        attributes: [
          {
            user_alias: { alias_name: "new", alias_label: "qa" },
            _update_existing_only: false,
            first_name: "New",
            subscription_groups: [{ subscription_group_id: "g1", subscription_state: "subscribed" }],
          },
          { user_alias: { alias_name: "p3", alias_label: "qa" }, _update_existing_only: true, plan: "pro" },
          { user_alias: { alias_name: "p4", alias_label: "qa" }, _update_existing_only: true, plan: null },
        ],
      },
    },
  ]);
  assert.equal(recordOf(after), next);
  assert.ok(await context.braze.exportAlias("qa", "p7"), "the moved user is kept");
});

UserSetSuite("a user Braze rejects fails the update by name; the record holds what Braze accepted; the next update sends only that user", async (context) => {
  const users = personas(3);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.newRequests();
  const oversized = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`note_${i}`, "n".repeat(250)]));
  const next = { ...users, "qa/p1": persona(1, { notes: oversized }), "qa/p2": persona(2, { plan: "pro" }) };
  const failure = (await context.provider.update("users", outs as never, inputs(next)).then(
    () => undefined,
    (error: unknown) => error,
  )) as UserSetPartialFailure;
  assert.instance(failure, UserSetPartialFailure);
  assert.match(failure.message, /1 of 2 changed users of BrazeUserSet "users" were not applied/);
  assert.match(failure.message, /users\["qa\/p1"\]: POST \/users\/track: Braze rejected the attributes object for alias p1 \(label qa\)/);
  assert.is(failure.id, "users");
  const recorded = recordOf(failure.properties);
  assert.equal(recorded["qa/p2"], next["qa/p2"], "the accepted change is recorded");
  assert.equal(recorded["qa/p1"], users["qa/p1"], "the rejected user keeps its old record");
  assert.equal(Object.keys(failure.properties.pending), ["qa/p1"]);
  await context.braze.newRequests();
  const fixed = { ...next, "qa/p1": persona(1, { notes: { short: "yes" } }) };
  const { outs: after } = await context.provider.update("users", failure.properties as never, inputs(fixed));
  assert.equal(
    (await context.braze.newRequests()).map((r) => r.body),
    [{ attributes: [{ user_alias: { alias_name: "p1", alias_label: "qa" }, _update_existing_only: true, notes: { short: "yes" } }] }],
  );
  assert.equal(after.pending, {});
  assert.equal(recordOf(after), fixed);
});

UserSetSuite("a lost answer: 1 -> 2 applied but unanswered, then back to 1, is sent again and Braze ends at 1", async (context) => {
  const users = { "qa/p0": persona(0, { seats: 1 }) };
  const { outs } = await context.provider.create(inputs(users));
  let losing = true;
  const proxy = await startLossyProxy(context.braze.url, (path) => losing && path === "/users/track");
  try {
    const lossy = providerFor(proxy.url);
    const failure = (await lossy
      .update("users", outs as never, inputs({ "qa/p0": persona(0, { seats: 2 }) }))
      .catch((error) => error)) as UserSetPartialFailure;
    assert.instance(failure, UserSetPartialFailure);
    assert.ok(proxy.dropped >= 1);
    assert.is((await context.braze.exportAlias("qa", "p0")).custom_attributes.seats, 2, "braze-local applied the change whose answer was lost");
    assert.equal(decodeRecord(failure.properties.record).unsure, { "qa/p0": { attributes: ["seats"], subscriptionGroups: [] } });
    losing = false;
    await context.braze.newRequests();
    await lossy.update("users", failure.properties as never, inputs(users));
    assert.equal(
      (await context.braze.newRequests()).map((r) => r.body),
      [{ attributes: [{ user_alias: { alias_name: "p0", alias_label: "qa" }, _update_existing_only: true, seats: 1 }] }],
    );
    assert.is((await context.braze.exportAlias("qa", "p0")).custom_attributes.seats, 1);
  } finally {
    await proxy.close();
  }
});

UserSetSuite("a create whose answer is lost is recorded as unsure: the next up sends it whole, or deletes it once removed", async (context) => {
  const proxy = await startLossyProxy(context.braze.url, (path) => path === "/users/track");
  let failure: UserSetPartialFailure;
  try {
    failure = (await providerFor(proxy.url)
      .create(inputs(personas(2)))
      .catch((error) => error)) as UserSetPartialFailure;
  } finally {
    await proxy.close();
  }
  assert.instance(failure, UserSetPartialFailure);
  assert.equal(decodeRecord(failure.properties.record).unsure, { "qa/p0": "all", "qa/p1": "all" });
  assert.equal(Object.keys(failure.properties.pending), ["qa/p0", "qa/p1"]);
  assert.is((await context.braze.users()).length, 2, "braze-local applied the creates whose answers were lost");
  await context.braze.newRequests();
  const { outs } = await context.provider.update("users", failure.properties as never, inputs({ "qa/p0": persona(0) }));
  assert.equal(
    (await context.braze.newRequests()).map((r) => [r.path, r.body]),
    [
      ["/users/delete", { user_aliases: [{ alias_name: "p1", alias_label: "qa" }] }],
      [
        "/users/track",
        { attributes: [{ user_alias: { alias_name: "p0", alias_label: "qa" }, _update_existing_only: false, first_name: "P0", plan: "trial" }] },
      ],
    ],
  );
  assert.equal(decodeRecord(outs.record).unsure, {});
  assert.equal(outs.pending, {});
});

UserSetSuite(
  "an update to a user deleted outside Pulumi creates no partial user; refresh reports it missing and the next update creates it whole",
  async (context) => {
    const users = personas(3);
    const { outs } = await context.provider.create(inputs(users));
    await context.braze.post("/users/delete", { user_aliases: [{ alias_name: "p1", alias_label: "qa" }] });
    const changed = { ...users, "qa/p1": persona(1, { plan: "pro" }) };
    const { outs: after } = await context.provider.update("users", outs as never, inputs(changed));
    assert.is(await context.braze.exportAlias("qa", "p1"), undefined, "no user holding only the delta");
    const read = await context.provider.read("users", after as never);
    assert.equal(read.props.drift, { "qa/p1": { user: "Braze holds no such user, the file wants it" } });
    await context.braze.newRequests();
    await context.provider.update("users", read.props as never, inputs(changed));
    assert.equal(
      (await context.braze.newRequests()).map((r) => r.body),
      [{ attributes: [{ user_alias: { alias_name: "p1", alias_label: "qa" }, _update_existing_only: false, first_name: "P1", plan: "pro" }] }],
    );
  },
);

UserSetSuite("a user removed from this set but declared by another resource is forgotten, not deleted", async (context) => {
  const users = personas(3);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.newRequests();
  declare('BrazeUserSet "other"', [{ aliasKey: "qa/p1", declarer: 'BrazeUserSet "other" users["qa/p1"]' }]);
  const next = { ...users };
  delete next["qa/p1"];
  const { outs: after } = await context.provider.update("users", outs as never, inputs(next));
  assert.equal(await context.braze.newRequests(), []);
  assert.equal(Object.keys(recordOf(after)), ["qa/p0", "qa/p2"]);
  assert.ok(await context.braze.exportAlias("qa", "p1"));
});

UserSetSuite(
  "the update plans again when a user its diff planned to delete is declared elsewhere in between, and deletes as its diff planned otherwise",
  async (context) => {
    const users = personas(4);
    const { outs } = await context.provider.create(inputs(users));
    await context.braze.newRequests();
    const next = { ...users };
    delete next["qa/p1"];
    delete next["qa/p2"];
    assert.ok((await context.provider.diff(outs as never, inputs(next))).changes);
    declare('BrazeUserSet "other"', [{ aliasKey: "qa/p1", declarer: 'BrazeUserSet "other" users["qa/p1"]' }]);
    const { outs: after } = await context.provider.update("users", outs as never, inputs(next));
    const requests = await context.braze.newRequests();
    assert.equal(
      requests.map((r) => [r.path, r.body]),
      [["/users/delete", { user_aliases: [{ alias_name: "p2", alias_label: "qa" }] }]],
    );
    assert.equal(Object.keys(recordOf(after)), ["qa/p0", "qa/p3"]);
    assert.ok(await context.braze.exportAlias("qa", "p1"), "declared elsewhere: kept");
    assert.not.ok(await context.braze.exportAlias("qa", "p2"));
  },
);

UserSetSuite("an alias declared by two resources is refused at check, and no update sends anything, naming both", async (context) => {
  const check = context.provider.check({}, inputs(personas(2), "one"));
  assert.equal(check.failures, []);
  const second = context.provider.check({}, inputs({ mine: persona(1) }, "two"));
  assert.equal(second.failures, [
    {
      property: "users.mine",
      reason:
        'alias qa/p1 is declared twice, by BrazeUserSet "two" users.mine and by BrazeUserSet "one" users["qa/p1"]: each alias is one Braze user, so declare it in one place only',
    },
  ]);
  const error = await context.provider.create(inputs(personas(2), "one")).catch((e: Error) => e);
  assert.instance(error, Error);
  assert.is(
    (error as Error).message,
    'BrazeUserSet "one": nothing was sent: 1 of its aliases is declared more than once; each alias is one Braze user, so declare it in one place only\n' +
      'alias qa/p1 is declared 2 times, by BrazeUserSet "one" users["qa/p1"] and by BrazeUserSet "two" users.mine',
  );
  assert.equal(await context.braze.newRequests(), []);
});

UserSetSuite(
  "check gives packed shards back whole, as the inputs the engine stores and shows; its own result checks the same; a shard that is not packed fails check by name",
  async (context) => {
    const whole = inputs(personas(30));
    const packed = { name: "users", packedShards: packShards(whole.shards as Record<string, string>), __provider: "text" };
    const check = context.provider.check({}, packed);
    // A new set's check counts its users rather than listing them.
    assert.equal(check, { inputs: { name: "users", __provider: "text", shards: whole.shards, changes: { more: "30 users to create" } }, failures: [] });
    resetDeclarations();
    assert.equal(context.provider.check({}, check.inputs), check);
    resetDeclarations();
    const broken = context.provider.check({}, { name: "users", packedShards: { ...packed.packedShards, "300": "qa/x: {}" } });
    assert.equal(
      broken.failures.map((failure) => failure.property),
      ["packedShards"],
    );
    assert.match(broken.failures[0].reason, /^shard 300 is not a packed shard/);
    assert.equal(await context.braze.newRequests(), []);
  },
);

UserSetSuite("a one-user change: check lists only that user, at its place in the file, old → new; diff shows only it and counts the plan", async (context) => {
  const users = personas(30);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.newRequests();
  const order = Object.keys(users).reverse();
  const next = { ...users, "qa/p7": persona(7, { plan: "pro" }) };
  const checked = context.provider.check(inputs(users), {
    name: "users",
    packedShards: packShards(inputs(next).shards as Record<string, string>),
    packedOrder: packOrder(order),
  });
  assert.equal(checked.failures, []);
  // qa/p7 is 23rd of 30 in the file's (reversed) order.
  assert.equal(checked.inputs.changes, { "23 qa/p7": { "attributes.plan": '"trial" → "pro"' } });
  assert.is(checked.inputs.packedOrder, undefined, "the order is not stored");
  const answer = await context.provider.diff(outs as never, checked.inputs);
  assert.equal(answer.changes, true);
  assert.equal(answer.shown, [{ path: 'changes["23 qa/p7"]', kind: "add", inputDiff: false }]);
  assert.equal(answer.summary, ["users: 0 to create, 1 to update (1 data points), 0 to delete", '  ~ 23 qa/p7: attributes.plan: "trial" → "pro"']);
  // The same file again: the last check's changes are not carried on, and nothing is shown.
  resetDeclarations();
  const again = context.provider.check(checked.inputs, {
    name: "users",
    packedShards: packShards(inputs(next).shards as Record<string, string>),
    packedOrder: packOrder(order),
  });
  assert.is(again.inputs.changes, undefined);
  assert.equal(await context.braze.newRequests(), [], "check and diff send nothing");
});

UserSetSuite("refresh reads users back in exports of 50 and reports exactly the users changed outside Pulumi", async (context) => {
  const users = personas(120);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.post("/users/track", { attributes: [{ user_alias: { alias_name: "p7", alias_label: "qa" }, plan: "pro" }] });
  await context.braze.post("/users/delete", { user_aliases: [{ alias_name: "p9", alias_label: "qa" }] });
  await context.braze.newRequests();
  const read = await context.provider.read("users", outs as never);
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((r) => [r.path, r.body.user_aliases.length]),
    [
      ["/users/export/ids", 50],
      ["/users/export/ids", 50],
      ["/users/export/ids", 20],
    ],
  );
  assert.equal(read.props.drift, {
    "qa/p7": { "attributes.plan": 'Braze holds "pro", the file wants "trial"' },
    "qa/p9": { user: "Braze holds no such user, the file wants it" },
  });
  // The engine's Diff after a read is the refresh's: it shows the drifted users and names them with both values.
  const refreshDiff = await context.provider.diff(read.props as never, { ...inputs(users), changes: { "1 qa/p0": { user: "created" } } });
  assert.equal(refreshDiff.shown, [
    { path: 'drift["qa/p7"]', kind: "delete", inputDiff: false },
    { path: 'drift["qa/p9"]', kind: "delete", inputDiff: false },
  ]);
  assert.equal(refreshDiff.summary, [
    "drift: 2 users differ from the file",
    '  ~ qa/p7: attributes.plan: Braze holds "pro", the file wants "trial"',
    "  ~ qa/p9: user: Braze holds no such user, the file wants it",
  ]);
  const readInputs = textsOfShards(read.inputs.shards);
  assert.equal(userOfStored("qa/p7", readInputs["qa/p7"]).attributes.plan, "pro");
  assert.is(readInputs["qa/p9"], undefined);
  assert.is(read.props.userCount, 119);
});

UserSetSuite(
  "refresh never asks Braze for subscription groups; a group changed outside Pulumi is not seen, and groups of a create whose answer was lost stay unsure",
  async (context) => {
    const withGroup = { "qa/p0": { ...persona(0), subscriptionGroups: { g1: "subscribed" as const } } };
    const proxy = await startLossyProxy(context.braze.url, (path) => path === "/users/track");
    let failure: UserSetPartialFailure;
    try {
      failure = (await providerFor(proxy.url)
        .create(inputs(withGroup))
        .catch((error) => error)) as UserSetPartialFailure;
    } finally {
      await proxy.close();
    }
    assert.equal(decodeRecord(failure.properties.record).unsure, { "qa/p0": "all" });
    await context.braze.post("/users/track", {
      attributes: [
        { user_alias: { alias_name: "p0", alias_label: "qa" }, subscription_groups: [{ subscription_group_id: "g1", subscription_state: "unsubscribed" }] },
      ],
    });
    await context.braze.newRequests();
    const read = await context.provider.read("users", failure.properties as never);
    assert.equal(
      (await context.braze.newRequests()).map((r) => r.body.fields_to_export),
      [["custom_attributes", "first_name", "user_aliases"]],
      "no subscription_groups asked for",
    );
    assert.is(read.props.drift, undefined, "Braze's export has no group states, so nothing to compare");
    assert.equal(
      decodeRecord(read.props.record).unsure,
      { "qa/p0": { attributes: [], subscriptionGroups: ["g1"] } },
      "the attributes are known again; the group is not",
    );
    // So the next up sends the group again, and Braze ends with the desired state.
    await context.provider.update("users", read.props as never, inputs(withGroup));
    assert.equal(
      (await context.braze.newRequests()).map((r) => r.body),
      [
        {
          attributes: [
            {
              user_alias: { alias_name: "p0", alias_label: "qa" },
              _update_existing_only: true,
              subscription_groups: [{ subscription_group_id: "g1", subscription_state: "subscribed" }],
            },
          ],
        },
      ],
    );
  },
);

UserSetSuite("an emptied set deletes nobody: over braze:maxDeletes (10 by default) the update fails before anything is sent", async (context) => {
  const users = personas(11);
  const { outs } = await context.provider.create(inputs(users));
  await context.braze.newRequests();
  const refused = await context.provider.update("users", outs as never, inputs({})).catch((error: Error) => error);
  assert.instance(refused, Error);
  assert.is(
    (refused as Error).message,
    'BrazeUserSet "users": nothing was sent: the plan goes over this run\'s budget\n' +
      'it would delete 11 users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=11 pulumi up" (nothing stays set: the next run is guarded again), else restore the users in the desired state',
  );
  assert.equal(await context.braze.newRequests(), []);
  assert.is((await context.braze.users()).length, 11);
  await providerFor(context.braze.url, { maxDeletes: 11 }).update("users", outs as never, inputs({}));
  assert.equal(
    (await context.braze.newRequests()).map((r) => [r.path, r.body.user_aliases.length]),
    [["/users/delete", 11]],
  );
});

UserSetSuite(
  "over braze:maxDataPoints an update fails before anything is sent, saying how many it needed; every set of one up shares the budget",
  async (context) => {
    const limited = providerFor(context.braze.url, { maxDeletes: 10, maxDataPoints: 10 });
    await limited.create(inputs(personas(4), "one"));
    assert.is((await context.braze.newRequests()).length, 1, "8 data points fit the budget of 10");
    const others = { "qa/x1": persona(101), "qa/x2": persona(102) };
    const refused = await limited.create(inputs(others, "two")).catch((error: Error) => error);
    assert.instance(refused, Error);
    assert.is(
      (refused as Error).message,
      'BrazeUserSet "two": nothing was sent: the plan goes over this run\'s budget\n' +
        'it needs 12 data points and braze:maxDataPoints is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DATA_POINTS=12 pulumi up" (nothing stays set), else send fewer changes',
    );
    assert.equal(await context.braze.newRequests(), []);
  },
);

UserSetSuite("the preview's diff of an emptied set fails with the up's message, and sends nothing; an up's diff leaves that to its update", async (context) => {
  const users = personas(11);
  const { outs } = await context.provider.create(inputs(users, "previewed"));
  await context.braze.newRequests();
  const preview = providerFor(context.braze.url, { maxDeletes: 10 });
  // The program says the run is a preview (a dry run); an up's diff leaves the guards to its update.
  preview.check(outs as never, { ...inputs({}, "previewed"), preview: false });
  assert.is((await preview.diff(outs as never, inputs({}, "previewed"))).changes, true);
  assert.equal(
    preview.check(outs as never, { ...inputs({}, "previewed"), preview: true }).inputs.preview,
    undefined,
    "check drops the flag: state never holds it",
  );
  const refused = await preview.diff(outs as never, inputs({}, "previewed")).catch((error: Error) => error);
  assert.instance(refused, Error);
  assert.is((refused as Error).name, "BudgetExceededError");
  assert.match(
    (refused as Error).message,
    'BrazeUserSet "previewed": nothing was sent: the plan goes over this run\'s budget\nit would delete 11 users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=11 pulumi up"',
  );
  assert.equal(await context.braze.newRequests(), []);
  // The same diff again in the same run (the up's own diff, then its update) is judged once, not counted twice.
  const allowed = providerFor(context.braze.url, { maxDeletes: 10, allowDeletes: 11 });
  allowed.check(outs as never, { ...inputs({}, "previewed"), preview: true });
  assert.is((await allowed.diff(outs as never, inputs({}, "previewed"))).changes, true);
  assert.is((await allowed.diff(outs as never, inputs({}, "previewed"))).changes, true);
});

UserSetSuite("destroy obeys braze:maxDeletes: over it nothing is deleted; allowed for one command, every user is", async (context) => {
  const users = personas(11);
  const { outs } = await context.provider.create(inputs(users, "destroyed"));
  await context.braze.newRequests();
  const refused = await providerFor(context.braze.url, { maxDeletes: 10 })
    .delete(outs as never)
    .catch((error: Error) => error);
  assert.instance(refused, Error);
  assert.is(
    (refused as Error).message,
    'BrazeUserSet "destroyed": nothing was sent: the plan goes over this run\'s budget\n' +
      'it would delete 11 users and braze:maxDeletes is 10; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=11 pulumi destroy" (nothing stays set: the next run is guarded again), else restore the users in the desired state',
  );
  assert.equal(await context.braze.newRequests(), []);
  await providerFor(context.braze.url, { maxDeletes: 10, allowDeletes: 11 }).delete(outs as never);
  assert.equal(
    (await context.braze.newRequests()).map((r) => [r.path, r.body.user_aliases.length]),
    [["/users/delete", 11]],
  );
});

UserSetSuite.run();
