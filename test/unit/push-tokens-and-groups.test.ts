// Push tokens on identified users and subscription groups read back: the pure
// parts (queries, answers, batching plans, comparisons, the file's refusals).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { statesOfAnswer, statusQuery } from "../../provider/braze/subscription-status";
import { BrazeClient } from "../../provider/braze/client";
import { BrazeUsersApi, statusBuckets } from "../../provider/braze/users-api";
import { UnexpectedAnswerError } from "../../provider/braze/errors/unexpected-answer-error";
import { ExportShapeError, observedUser } from "../../provider/delta";
import { updateParts } from "../../provider/delta/change-parts";
import { planGroupReads, readStatesByUser, statusIdentifierOf, unreadGroupsText } from "../../provider/delta/group-reads";
import { countDataPoints } from "../../provider/delta/data-points";
import { planCreate } from "../../provider/delta/plan-create";
import { planUpdate } from "../../provider/delta/plan-update";
import { partText } from "../../provider/delta/part-text";
import { userDrift } from "../../provider/delta/user-drift";
import { parseDesiredState } from "../../provider/desired-state";
import type { ManagedUser, NestedObject } from "../../provider/model";
import { assertIssues, catchDesiredStateError } from "./support/expect-error";

const identified = (externalId: string, parts: Partial<ManagedUser> = {}): ManagedUser => ({
  externalId,
  attributes: parts.attributes ?? {},
  subscriptionGroups: parts.subscriptionGroups ?? {},
});
const aliasOnly = (name: string, parts: Partial<ManagedUser> = {}): ManagedUser => ({
  alias: { label: "qa", name },
  attributes: parts.attributes ?? {},
  subscriptionGroups: parts.subscriptionGroups ?? {},
});
const phone = { app_id: "ios-app-id", token: "tok-1", device_id: "dev-1" };
const tablet = { app_id: "android-app-id", token: "tok-2" };

const Status = suite("GET /subscription/status/get: queries and answers");

Status("the query names the group and each user as external_id[] (Braze's example form)", () => {
  assert.is(statusQuery("g-1", "external_id", ["u 1", "u-2"]).toString(), "subscription_group_id=g-1&external_id%5B%5D=u+1&external_id%5B%5D=u-2");
  assert.is(statusQuery("g-1", "email", ["a@example.com"]).toString(), "subscription_group_id=g-1&email%5B%5D=a%40example.com");
});

Status("Subscribed and Unsubscribed are states; Unknown is no state", () => {
  const answer = { status: { a: "Subscribed", b: "Unsubscribed", c: "Unknown" }, message: "success" };
  assert.equal(statesOfAnswer(answer, ["a", "b", "c"]), ["subscribed", "unsubscribed", undefined]);
});

Status("an email Braze echoes in another case is the same address", () => {
  const answer = { status: { "ada@example.com": "Subscribed" }, message: "success" };
  assert.equal(statesOfAnswer(answer, ["Ada@Example.com"]), ["subscribed"]);
});

Status("an answer leaving a user out, or not Braze's shape, is refused, naming GET and the path", () => {
  for (const answer of [
    { status: { a: "Subscribed" }, message: "success" },
    { message: "success" },
    { status: { a: "Subscribed", b: "maybe" }, message: "success" },
  ]) {
    try {
      statesOfAnswer(answer, ["a", "b"]);
      assert.unreachable(`accepted ${JSON.stringify(answer)}`);
    } catch (error) {
      assert.instance(error, UnexpectedAnswerError);
      assert.match((error as Error).message, /^GET \/subscription\/status\/get: /);
    }
  }
});

Status("reads are bucketed by group and kind of identifier, keeping each read's place", () => {
  const buckets = statusBuckets([
    { groupId: "g1", who: { parameter: "external_id", value: "u1" } },
    { groupId: "g2", who: { parameter: "external_id", value: "u1" } },
    { groupId: "g1", who: { parameter: "external_id", value: "u2" } },
    { groupId: "g1", who: { parameter: "email", value: "e@example.com" } },
  ]);
  assert.equal(
    buckets.map((bucket) => [bucket.groupId, bucket.parameter, bucket.values, bucket.positions]),
    [
      ["g1", "external_id", ["u1", "u2"], [0, 2]],
      ["g2", "external_id", ["u1"], [1]],
      ["g1", "email", ["e@example.com"], [3]],
    ],
  );
});

Status.run();

const Reads = suite("which groups refresh reads, and for whom");

Reads("an identified user is read by external_id, an email-only or phone-only one by its address; an alias-only user cannot be", () => {
  assert.equal(statusIdentifierOf(identified("u-1", { alias: { label: "qa", name: "x" } })), { parameter: "external_id", value: "u-1" });
  assert.is(statusIdentifierOf(aliasOnly("ada")), undefined);
  assert.equal(statusIdentifierOf({ email: "lead@example.com" }), { parameter: "email", value: "lead@example.com" });
  assert.equal(statusIdentifierOf({ phone: "+15555550100" }), { parameter: "phone", value: "+15555550100" });
  assert.equal(
    statusIdentifierOf({ email: "lead@example.com", phone: "+15555550100" }),
    { parameter: "email", value: "lead@example.com" },
    "email wins, as in /users/track",
  );
});

Reads("every recorded group of identified users is read; alias-only users with groups are unread; users without groups need nothing", () => {
  const users = [
    identified("u-1", { subscriptionGroups: { b: "subscribed", a: "unsubscribed" } }),
    aliasOnly("ada", { subscriptionGroups: { a: "subscribed" } }),
    identified("u-2"),
    aliasOnly("bob"),
  ];
  const plan = planGroupReads(users);
  assert.equal(plan.reads, [
    { groupId: "a", who: { parameter: "external_id", value: "u-1" } },
    { groupId: "b", who: { parameter: "external_id", value: "u-1" } },
  ]);
  assert.equal(plan.owners, [0, 0]);
  assert.equal(plan.unread, [1]);
  assert.equal([...readStatesByUser(plan, ["subscribed", undefined])], [[0, { a: "subscribed", b: undefined }]]);
});

Reads("the unread line counts the users and names the first five", () => {
  assert.is(
    unreadGroupsText(["qa/a", "qa/b", "qa/c", "qa/d", "qa/e", "qa/f", "qa/g"]),
    "subscription groups of 7 alias-only users could not be read (qa/a, qa/b, qa/c, qa/d, qa/e, and 2 more): " +
      "GET /subscription/status/get names users by external_id, email or phone, never by alias, so their recorded states are kept unchecked",
  );
});

Reads("groups read back: Braze's state replaces the recorded one, Unknown is no state, an unread group keeps its state", () => {
  const recorded = identified("u-1", { subscriptionGroups: { a: "subscribed", b: "unsubscribed", c: "subscribed" } });
  const held = observedUser(recorded, { external_id: "u-1" }, { a: "unsubscribed", b: undefined });
  assert.equal(held.subscriptionGroups, { a: "unsubscribed", c: "subscribed" });
  assert.equal(userDrift(held, recorded), {
    "subscription_groups.a": 'Braze holds "unsubscribed", the file wants "subscribed"',
    "subscription_groups.b": 'Braze holds no state, the file wants "unsubscribed"',
  });
  assert.equal(observedUser(recorded, { external_id: "u-1" }).subscriptionGroups, recorded.subscriptionGroups, "not read: recorded states stand");
});

Reads.run();

const Tokens = suite("push tokens");

Tokens("read back by token (and device_id when recorded), keeping the recorded app_id; Braze's extra tokens follow with the app's name", () => {
  const recorded = identified("u-1", { attributes: { push_tokens: [phone, tablet] } });
  const exported = {
    push_tokens: [
      { app: "Ada iOS", platform: "ios", token: "tok-1", device_id: "dev-1", notifications_enabled: true },
      { app: "Ada Android", platform: "android", token: "tok-2", device_id: "made-up-by-braze" },
    ],
  };
  const same = observedUser(recorded, exported);
  assert.equal(same.attributes.push_tokens, [phone, tablet]);
  assert.equal(userDrift(same, recorded), {}, "no drift when Braze holds exactly the recorded tokens");

  const more = observedUser(recorded, { push_tokens: [...exported.push_tokens, { app: "Ada iOS", token: "tok-0", device_id: "dev-0" }] });
  assert.equal(more.attributes.push_tokens, [phone, tablet, { app_id: "Ada iOS", token: "tok-0", device_id: "dev-0" }]);
  assert.equal(userDrift(more, recorded), {
    "attributes.push_tokens": "Braze holds tok-0 (device dev-0, app Ada iOS), which the file does not declare",
  });
  const fewer = observedUser(recorded, { push_tokens: exported.push_tokens.slice(1) });
  assert.equal(userDrift(fewer, recorded), {
    "attributes.push_tokens": "the file wants tok-1 (device dev-1, app ios-app-id), which Braze does not hold",
  });
});

Tokens("a recorded token on another device is not held; none held means no tokens", () => {
  const recorded = identified("u-1", { attributes: { push_tokens: [phone] } });
  assert.equal(observedUser(recorded, { push_tokens: [{ app: "x", token: "tok-1", device_id: "other" }] }).attributes.push_tokens, [
    { app_id: "x", token: "tok-1", device_id: "other" },
  ]);
  assert.equal(observedUser(recorded, { push_tokens: [] }).attributes, {});
  assert.equal(observedUser(recorded, {}).attributes, {});
  assert.throws(
    () => observedUser(recorded, { push_tokens: "tok-1" }),
    (error: unknown) => error instanceof ExportShapeError,
  );
});

Tokens("sent whole on create and change, free of data points; removing them releases them (Braze cannot remove a token)", () => {
  const desired = identified("u-1", { attributes: { push_tokens: [phone] } });
  const created = planCreate(desired);
  assert.equal(created, { external_id: "u-1", _update_existing_only: false, push_tokens: [phone] });
  assert.is(countDataPoints(created), 0);
  const added = planUpdate(desired, identified("u-1", { attributes: { push_tokens: [phone, tablet] } }));
  assert.equal(added.attributes, { external_id: "u-1", _update_existing_only: true, push_tokens: [phone, tablet] });
  const removed = planUpdate(desired, identified("u-1"));
  assert.is(removed.attributes, undefined, "no null is sent for push_tokens");
  assert.equal(updateParts(desired, identified("u-1"), undefined).map(partText), [
    'attribute push_tokens: no longer managed (Braze keeps [{"app_id":"ios-app-id","token":"tok-1","device_id":"dev-1"}]; nothing sent)',
  ]);
});

Tokens("a token dropped from the list is shown as kept by Braze beside the change", () => {
  const from = identified("u-1", { attributes: { push_tokens: [phone, tablet] } });
  const to = identified("u-1", { attributes: { push_tokens: [tablet] as NestedObject[] } });
  assert.equal(
    updateParts(from, to, undefined).map((part) => [part.change, part.from]),
    [
      ["modified", [phone, tablet]],
      ["released", [phone]],
    ],
  );
});

Tokens("refused at its line on a user without an external_id, with Braze's reason", () => {
  const text = ["users:", "  - alias: { name: ada, label: qa }", "    attributes:", "      push_tokens: [{ app_id: a, token: t }]", ""].join("\n");
  const error = catchDesiredStateError(() => parseDesiredState(text, "users.yaml"));
  assert.is(error.issues.length, 1, error.message);
  const [found] = error.issues;
  assertIssues(error.issues, [{ file: "users.yaml", line: 4, column: found.column, path: "users[0].attributes.push_tokens", message: found.message }]);
  assert.match(found.message, /^cannot be set on a user without an external_id: Braze takes a known user's push tokens only with its external_id/);
  assert.match(found.message, /push_token_migration/);
});

Tokens("accepted on an identified user; an entry without a token is refused", () => {
  const ok = ["users:", "  - external_id: u-1", "    attributes:", "      push_tokens:", "        - { app_id: a, token: t }", ""].join("\n");
  assert.equal(parseDesiredState(ok, "users.yaml").users[0].user.attributes.push_tokens, [{ app_id: "a", token: "t" }]);
  const bad = ["users:", "  - external_id: u-1", "    attributes:", "      push_tokens:", "        - { app_id: a }", ""].join("\n");
  const error = catchDesiredStateError(() => parseDesiredState(bad, "users.yaml"));
  assert.is(error.issues[0].path, "users[0].attributes.push_tokens[0].token", error.message);
});

Tokens.run();

const Api = suite("BrazeUsersApi.readGroupStates: requests");

Api("one GET per group and 50 users, each user's state mapped back to its read", async () => {
  const seen: Array<{ method: string; url: URL; body: unknown }> = [];
  const fakeFetch = (async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push({ method: init?.method ?? "GET", url, body: init?.body });
    const ids = url.searchParams.getAll("external_id[]");
    const group = url.searchParams.get("subscription_group_id");
    const status = Object.fromEntries(ids.map((id) => [id, Number(id.slice(2)) % 2 === 0 ? (group === "g1" ? "Subscribed" : "Unsubscribed") : "Unknown"]));
    return new Response(JSON.stringify({ status, message: "success" }), { status: 200, headers: { "Content-Type": "application/json" } });
  }) as typeof fetch;
  const api = new BrazeUsersApi(new BrazeClient({ endpoint: "https://rest.example.braze.com", apiKey: "k", fetch: fakeFetch }), { maxObjectsPerRequest: 50 });
  const ids = Array.from({ length: 120 }, (_, index) => `u-${index}`);
  const reads = ["g1", "g2"].flatMap((groupId) => ids.map((value) => ({ groupId, who: { parameter: "external_id" as const, value } })));
  const outcomes = await api.readGroupStates(reads);
  assert.is(seen.length, 6, "ceil(120 / 50) requests for each of 2 groups");
  assert.ok(seen.every((request) => request.method === "GET" && request.url.pathname === "/subscription/status/get" && request.body === undefined));
  assert.equal(seen.map((request) => [request.url.searchParams.get("subscription_group_id"), request.url.searchParams.getAll("external_id[]").length]).sort(), [
    ["g1", 20],
    ["g1", 50],
    ["g1", 50],
    ["g2", 20],
    ["g2", 50],
    ["g2", 50],
  ]);
  assert.equal(outcomes.slice(0, 2), [
    { ok: true, value: "subscribed" },
    { ok: true, value: undefined },
  ]);
  assert.equal(outcomes[120 + 118], { ok: true, value: "unsubscribed" });
});

Api("a refused request fails its own reads, naming GET", async () => {
  const fakeFetch = (async () => new Response(JSON.stringify({ message: "Invalid subscription group" }), { status: 400 })) as unknown as typeof fetch;
  const api = new BrazeUsersApi(new BrazeClient({ endpoint: "https://rest.example.braze.com", apiKey: "k", fetch: fakeFetch }), { maxObjectsPerRequest: 50 });
  const [outcome] = await api.readGroupStates([{ groupId: "nope", who: { parameter: "external_id", value: "u-1" } }]);
  assert.is(outcome.ok, false);
  assert.match((outcome as { error: Error }).error.message, /^GET \/subscription\/status\/get: 400 Invalid subscription group/);
});

Api.run();
