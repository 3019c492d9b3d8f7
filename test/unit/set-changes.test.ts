// What a set's preview lists (provider/delta/set-changes.ts): changed users in
// file order, only what changes, old → new, created and deleted users, capped.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createdSetChanges, MAX_PARTS_LISTED, MAX_USERS_LISTED, setChanges, setChangesOfShards } from "../../provider/delta/set-changes";
import { setSummary } from "../../provider/delta/set-summary";
import { userDrift } from "../../provider/delta/user-drift";
import { storedText } from "../../provider/encoding/stored-text";
import { shardTexts } from "../../provider/encoding/user-shards";
import { userToText } from "../../provider/encoding/user-text";
import type { ManagedUser } from "../../provider/model";

const user = (name: string, attributes: Record<string, unknown> = {}, groups: Record<string, "subscribed" | "unsubscribed"> = {}): ManagedUser => ({
  alias: { name, label: "qa" },
  attributes: { first_name: name, ...attributes } as ManagedUser["attributes"],
  subscriptionGroups: groups,
});
const texts = (users: ManagedUser[]) => Object.fromEntries(users.map((u) => [`qa/${u.alias!.name}`, storedText(`qa/${u.alias!.name}`, userToText(u))]));

const Changes = suite("set changes");

Changes("lists only the changed users, by position in the file then key, each with only its changed parts, old → new", () => {
  const before = texts([user("a"), user("b", { plan: "free" }), user("c"), user("d", {}, { news: "subscribed" })]);
  const after = texts([user("a"), user("b", { plan: "pro" }), user("c"), user("d", {}, { news: "unsubscribed" })]);
  // The file lists d first.
  const changes = setChanges(before, after, ["qa/d", "qa/c", "qa/b", "qa/a"]);
  assert.equal(changes, {
    "1 qa/d": { "subscription_groups.news": '"subscribed" → "unsubscribed"' },
    "3 qa/b": { "attributes.plan": '"free" → "pro"' },
  });
  assert.equal(Object.keys(changes), ["1 qa/d", "3 qa/b"], "byte order is file order");
});

Changes("added and removed attributes; created users and deleted users after the file's, keys zero-padded to one width", () => {
  const before = texts([user("a", { plan: "free" }), user("gone")]);
  const order = Array.from({ length: 10 }, (_, index) => `qa/u${index}`);
  const after = { ...texts([user("a", { seats: 3 })]), ...texts([user("u9")]) };
  const changes = setChanges(before, after, ["qa/a", ...order]);
  assert.equal(changes, {
    "01 qa/a": { "attributes.plan": '"free" → removed (sent as null)', "attributes.seats": "3" },
    "11 qa/u9": { user: "created" },
    "12 qa/gone": { user: "deleted" },
  });
});

Changes("unchanged shards are not read: equal shards give no changes, and a set's create is a count", () => {
  const shards = shardTexts(texts([user("a"), user("b")]));
  assert.equal(setChangesOfShards(shards, { ...shards }), {});
  // A shard that is not a shard would throw if it were split.
  assert.equal(setChangesOfShards({ "000": "not a shard" }, { "000": "not a shard" }), {});
  assert.equal(createdSetChanges(100_000), { more: "100000 users to create" });
  const next = shardTexts(texts([user("a"), user("b", { plan: "pro" })]));
  assert.equal(setChangesOfShards(shards, next, ["qa/b", "qa/a"]), { "1 qa/b": { "attributes.plan": '"pro"' } });
});

Changes(`caps: ${MAX_USERS_LISTED} users listed and the rest counted; ${MAX_PARTS_LISTED} parts per user`, () => {
  const count = MAX_USERS_LISTED + 5;
  const names = Array.from({ length: count }, (_, index) => `u${String(index).padStart(3, "0")}`);
  const changes = setChanges(
    texts(names.map((name) => user(name))),
    texts(names.map((name) => user(name, { plan: "pro" }))),
    names.map((name) => `qa/${name}`),
  );
  assert.is(Object.keys(changes).length, MAX_USERS_LISTED + 1);
  assert.is(changes.more, "5 more users change (braze-profiles plan lists every one)");
  const wide = Object.fromEntries(Array.from({ length: MAX_PARTS_LISTED + 3 }, (_, index) => [`a${String(index).padStart(2, "0")}`, index]));
  const one = setChanges(texts([user("w")]), texts([user("w", wide)]), ["qa/w"])["1 qa/w"] as Record<string, string>;
  assert.is(Object.keys(one).length, MAX_PARTS_LISTED + 1);
  assert.is(one.more, "3 more parts change");
});

Changes("the summary counts the plan and names the listed users", () => {
  const plan = {
    changes: [
      { action: "update" },
      { action: "create", key: "qa/b", user: user("b") },
      { action: "delete", key: "qa/c", from: user("c") },
      { action: "forget" },
    ],
    unchanged: 0,
    conflicts: [],
  } as never;
  assert.equal(setSummary({ changes: [], unchanged: 3, conflicts: [], refusals: [] }, { "1 qa/b": { "attributes.plan": '"free" → "pro"' } }), [
    "users: 0 to create, 0 to update (0 data points), 0 to delete",
    '  ~ 1 qa/b: attributes.plan: "free" → "pro"',
  ]);
  // A forgotten user (declared elsewhere) is neither updated nor deleted.
  assert.equal(setSummary(plan, undefined), ["users: 1 to create, 1 to update (0 data points), 1 to delete"]);
});

Changes("drift says what Braze holds against what the file wants, per attribute and group", () => {
  assert.equal(userDrift(user("a", { plan: "hacked" }, { news: "unsubscribed" }), user("a", { plan: "pro", seats: 2 }, { news: "subscribed" })), {
    "attributes.plan": 'Braze holds "hacked", the file wants "pro"',
    "attributes.seats": "Braze holds nothing, the file wants 2",
    "subscription_groups.news": 'Braze holds "unsubscribed", the file wants "subscribed"',
  });
  assert.equal(userDrift(user("a"), user("a")), {});
});

Changes.run();
