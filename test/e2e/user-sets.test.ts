// The root program's BrazeUserSet end to end: the real engine, braze-local, and
// exact request counts, since a set sends every delta of a run at once.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { textsOfShards } from "../../provider/encoding/user-shards";
import type { LoggedRequest } from "../harness/local-braze";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { recordedUsers, USER_SET_TYPE, userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const USERS = 2000;

interface Context extends YamlStack {
  desired: PersonaDeclaration[];
}

const alias = (name: string) => ({ alias_name: name, alias_label: "sets" });
const sizes = (requests: LoggedRequest[]) =>
  requests.map((r) => [r.path, ((r.body as Record<string, unknown[]>).attributes ?? (r.body as Record<string, unknown[]>).user_aliases).length]);

const Sets = suite<Context>(`user sets: ${USERS} users in the root program's one set`);

Sets.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "sets" }));
});
Sets.after(async (context) => context.close?.());

Sets(`create: ${USERS} users in exactly ceil(${USERS} / 50) = 40 /users/track requests (the default cap), each user once`, async (context) => {
  context.desired = personas(USERS, "sets");
  context.writeUsers(context.desired);
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { create: 2 });
  const requests = await context.braze.newRequests();
  assert.equal(
    sizes(requests),
    Array.from({ length: 40 }, () => ["/users/track", 50]),
  );
  const sent = requests.flatMap((r) => (r.body as { attributes: Array<{ user_alias: { alias_name: string } }> }).attributes);
  assert.equal(sent.map((o) => o.user_alias.alias_name).sort(), context.desired.map((u) => u.alias.name).sort());
  assert.equal(
    sent.find((o) => o.user_alias.alias_name === "persona-0001"),
    {
      user_alias: alias("persona-0001"),
      _update_existing_only: false,
      beta_features: ["exports"],
      email: "persona-1@example.com",
      first_name: "Persona 1",
      loyalty: { points: 10, tier: "silver" },
      plan: "trial",
      seats: 2,
      subscription_groups: [
        { subscription_group_id: "group-newsletter", subscription_state: "unsubscribed" },
        { subscription_group_id: "group-offers", subscription_state: "subscribed" },
      ],
    },
  );
  assert.is(recordedUsers(await context.stack.exportState()).size, USERS);
  assert.is((await context.braze.users()).length, USERS);
});

Sets("the same file again: preview expects no change and up sends nothing", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2 });
  assert.equal(await context.braze.newRequests(), []);
});

Sets("state stays compact: under 1 KB per user, the users' texts once and the record compressed", async (context) => {
  const state = await context.stack.exportState();
  assert.ok(state.text.length / USERS < 1024, `${Math.round(state.text.length / USERS)} bytes per user`);
  // The program sent the shards packed; check gave them back whole, and the engine stored those.
  const [set] = userSets(state);
  assert.equal(Object.keys(set.inputs).sort(), ["__provider", "name", "shards"]);
  assert.is(Object.keys(textsOfShards(set.inputs.shards as Record<string, string>)).length, USERS);
});

Sets("a stack whose set kept one string per user (before shards) takes the shards with no change shown and nothing sent", async (context) => {
  const exported = await context.stack.stack.exportStack();
  const set = (exported.deployment.resources as Array<{ type: string; inputs: Record<string, unknown> }>).find((resource) => resource.type === USER_SET_TYPE)!;
  const { shards, ...rest } = set.inputs;
  set.inputs = { ...rest, users: textsOfShards(shards as Record<string, string>) };
  await context.stack.stack.importStack(exported);
  await context.stack.preview({ expectNoChanges: true });
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 2 });
  assert.equal(await context.braze.newRequests(), []);
  const [after] = userSets(await context.stack.exportState());
  assert.equal([typeof after.inputs.shards, after.inputs.users], ["object", undefined], "the up recorded the inputs in shards");
});

Sets("a change: preview --diff names each changed user and attribute; up sends exactly those deltas in one request", async (context) => {
  const next = context.desired.map((user, i) => {
    if (i === 3) return { ...user, attributes: { ...user.attributes, plan: "enterprise" } };
    if (i === 1500) return { ...user, subscription_groups: { ...user.subscription_groups, "group-offers": "unsubscribed" as const } };
    if (i === 7) {
      const { seats: _seats, ...rest } = user.attributes;
      return { ...user, attributes: rest };
    }
    return user;
  });
  context.writeUsers(next);
  let printed = "";
  await context.stack.stack.preview({ diff: true, onOutput: (text) => (printed += text) });
  // Only the changed users, by position in the file and key, in file order, each with only what changes.
  const marked = printed
    .split("\n")
    .filter((line) => /^\s*[~+-] /.test(line))
    .map((line) => line.trim().replace(/\s+/g, " "));
  assert.equal(marked, [
    "~ pulumi-nodejs:dynamic/braze:UserSet: (update)",
    "+ changes: {",
    "+ 0004 sets/persona-0003: {",
    '+ attributes.plan: "\\"free\\" → \\"enterprise\\""',
    "+ 0008 sets/persona-0007: {",
    '+ attributes.seats: "1 → removed (sent as null)"',
    "+ 1501 sets/persona-1500: {",
    '+ subscription_groups["group-offers"]: "\\"subscribed\\" → \\"unsubscribed\\""',
    "~ 1 to update",
  ]);
  assert.equal(await context.braze.newRequests(), [], "preview sends nothing");
  await context.stack.up();
  assert.equal(
    (await context.braze.newRequests()).map((r) => [r.path, r.body]),
    [
      [
        "/users/track",
        {
          attributes: [
            { user_alias: alias("persona-0003"), _update_existing_only: true, plan: "enterprise" },
            { user_alias: alias("persona-0007"), _update_existing_only: true, seats: null },
            {
              user_alias: alias("persona-1500"),
              _update_existing_only: true,
              subscription_groups: [{ subscription_group_id: "group-offers", subscription_state: "unsubscribed" }],
            },
          ],
        },
      ],
    ],
  );
  context.desired = next;
});

Sets("refresh after out-of-band changes to three users reports exactly those, and the next up restores only them", async (context) => {
  await context.braze.track({
    attributes: [
      { user_alias: alias("persona-0100"), plan: "hacked" },
      { user_alias: alias("persona-0200"), seats: 99 },
    ],
  });
  await context.braze.post("/users/delete", { user_aliases: [alias("persona-0300")] });
  await context.braze.newRequests();
  await context.stack.refresh();
  const exports = await context.braze.newRequests();
  assert.equal(
    sizes(exports),
    Array.from({ length: USERS / 50 }, () => ["/users/export/ids", 50]),
  );
  const [set] = userSets(await context.stack.exportState());
  assert.equal(set.outputs.drift, {
    "sets/persona-0100": { "attributes.plan": `Braze holds "hacked", the file wants ${JSON.stringify(context.desired[100].attributes.plan)}` },
    "sets/persona-0200": { "attributes.seats": `Braze holds 99, the file wants ${context.desired[200].attributes.seats}` },
    "sets/persona-0300": { user: "Braze holds no such user, the file wants it" },
  });
  const preview = await context.stack.preview();
  assert.equal(preview.changeSummary, { same: 1, update: 1 });
  await context.stack.up();
  const restore = await context.braze.newRequests();
  const user300 = context.desired[300];
  assert.equal(
    restore.map((r) => [r.path, r.body]),
    [
      [
        "/users/track",
        {
          attributes: [
            { user_alias: alias("persona-0100"), _update_existing_only: true, plan: context.desired[100].attributes.plan },
            { user_alias: alias("persona-0200"), _update_existing_only: true, seats: context.desired[200].attributes.seats },
            {
              user_alias: alias("persona-0300"),
              _update_existing_only: false,
              ...Object.fromEntries(
                Object.keys(user300.attributes)
                  .sort()
                  .map((key) => [key, user300.attributes[key]]),
              ),
              subscription_groups: Object.keys(user300.subscription_groups)
                .sort()
                .map((id) => ({ subscription_group_id: id, subscription_state: user300.subscription_groups[id] })),
            },
          ],
        },
      ],
    ],
  );
  const [after] = userSets(await context.stack.exportState());
  assert.is(after.outputs.drift, undefined, "the drift report is cleared once applied");
  await context.stack.preview({ expectNoChanges: true });
});

Sets("removing more users than braze:maxDeletes (10 by default) fails the up before anything is sent", async (context) => {
  const kept = context.desired.filter((_, i) => i % 25 !== 0);
  context.writeUsers(kept);
  const refused = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(refused, "the up fails");
  assert.match(refused!.message, "it would delete 80 users and braze:maxDeletes is 10");
  assert.equal(await context.braze.newRequests(), [], "nothing was sent");
  assert.is((await context.braze.users()).length, USERS);
});

Sets("with braze:maxDeletes raised, removed users are deleted in ceil(n / 50) requests", async (context) => {
  const kept = context.desired.filter((_, i) => i % 25 !== 0);
  await context.stack.setConfig({ "braze:maxDeletes": { value: "80" } });
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    sizes(requests).sort((a, b) => Number(b[1]) - Number(a[1])),
    [
      ["/users/delete", 50],
      ["/users/delete", 30],
    ],
  );
  assert.is((await context.braze.users()).length, kept.length);
  context.desired = kept;
});

Sets("an emptied file is an update of the set that the delete guard sees; raised on purpose, it deletes every user", async (context) => {
  context.writeUsers([]);
  const refused = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.match(refused?.message ?? "", `it would delete ${context.desired.length} users and braze:maxDeletes is 80`);
  assert.equal(await context.braze.newRequests(), []);
  await context.stack.setConfig({ "braze:maxDeletes": { value: String(context.desired.length) } });
  const result = await context.stack.up();
  assert.equal(result.summary.resourceChanges, { same: 1, update: 1 });
  assert.equal(await context.braze.users(), []);
  await context.stack.destroy();
});

Sets.run();
