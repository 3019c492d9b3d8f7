// Identified users (external_id) through the pure layers: the file's rules,
// the default key, the stored text and its reading of records written before,
// and the exact objects a plan sends.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDesiredState } from "../../provider/desired-state/load";
import { memberKey, memberTexts } from "../../provider/desired-state/member-texts";
import { attachmentsOf, deletedIdentifiersOf, planSet } from "../../provider/delta/plan-set";
import { requestsOf } from "../../provider/delta/set-sends";
import { trackCaps } from "../../provider/braze/track-packing";
import { EMPTY_RECORD } from "../../provider/encoding/recorded-set";
import { fullText, identityKeyOfStored, memberOfStored, storedText } from "../../provider/encoding/stored-text";
import { userToText } from "../../provider/encoding/user-text";
import type { ManagedUser } from "../../provider/model";
import { NO_ENTRIES } from "../../provider/model/entries";
import { catchDesiredStateError } from "./support/expect-error";
import { desiredOf, recordOf } from "./support/recorded-users";

const lines = (...all: string[]) => `${all.join("\n")}\n`;
const ada: ManagedUser = { externalId: "u-1", attributes: { first_name: "Ada" }, subscriptionGroups: {} };
const adaWithAlias: ManagedUser = { ...ada, alias: { label: "qa", name: "ada" } };

const rules = suite("identified users: the file's rules");

rules("braze_id as an identifier is refused with the reason, at the field", () => {
  const error = catchDesiredStateError(() => parseDesiredState(lines("users:", "  - external_id: u-1", "    braze_id: 5e1f"), "users.yaml"));
  assert.equal(
    error.issues.map(({ line, path, message }) => [line, path, message]),
    [
      [
        3,
        "users[0].braze_id",
        'cannot identify a user: Braze assigns braze_id to each profile itself, so no file can create a profile with one; use external_id, alias, email or phone (got "5e1f")',
      ],
    ],
  );
});

rules("a user with none of external_id, alias, email, phone fails at its line, listing the four", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - external_id: u-1", "  - key: nobody", "    attributes: { first_name: Bob }"), "users.yaml"),
  );
  assert.is(error.issues.length, 1);
  const [problem] = error.issues;
  assert.is(problem.line, 3);
  assert.is(problem.path, "users[1]");
  assert.match(problem.message, /^must have an identifier: one of external_id, alias, email or phone/);
});

rules("external_id under attributes points to the top level; 'cannot be set here' is gone", () => {
  const error = catchDesiredStateError(() => parseDesiredState(lines("users:", "  - external_id: u-1", "    attributes: { external_id: u-2 }"), "users.yaml"));
  assert.equal(
    error.issues.map(({ path, message }) => [path, message]),
    [["users[0].attributes.external_id", "is the user's identifier: write external_id at the user's top level, beside alias"]],
  );
});

rules("an external_id declared twice is refused at the second", () => {
  const error = catchDesiredStateError(() => parseDesiredState(lines("users:", "  - external_id: u-1", "  - external_id: u-1"), "users.yaml"));
  assert.equal(
    error.issues.map(({ line, path }) => [line, path]),
    [[3, "users[1].external_id"]],
  );
});

rules("email beside an external_id is refused, pointing to attributes.email", () => {
  const error = catchDesiredStateError(() => parseDesiredState(lines("users:", "  - external_id: u-1", "    email: ada@example.com"), "users.yaml"));
  assert.equal(
    error.issues.map(({ line, path }) => [line, path]),
    [[3, "users[0].email"]],
  );
  assert.match(error.issues[0].message, /^cannot identify a user that has an external_id or alias: .*put it under attributes\.email/);
});

rules("an identified user loads with its alias, keyed by its external_id", () => {
  const state = parseDesiredState(
    lines("users:", "  - external_id: u-1", "    alias: { label: qa, name: ada }", "    attributes: { first_name: Ada }"),
    "users.yaml",
  );
  assert.equal(state.users, [{ user: adaWithAlias }]);
});
rules.run();

const keys = suite("identified users: keys");

keys("the key defaults to the external_id, else the alias; key overrides", () => {
  assert.is(memberKey({ externalId: "u-1", alias: { label: "qa", name: "ada" } }), "u-1");
  assert.is(memberKey({ alias: { label: "qa", name: "ada" } }), "qa/ada");
  assert.is(memberKey({ key: "ada", externalId: "u-1" }), "ada");
});

keys("a set member without external_id or alias is refused, at its place", () => {
  assert.throws(
    () => memberTexts("users", [{ attributes: { first_name: "Bob" } }]),
    /users\[0\]: must have an identifier: one of external_id, alias, email or phone/,
  );
});
keys.run();

const encoding = suite("identified users: stored texts");

encoding("an identified user's text starts with its external_id and is stored whole, even under a key with a slash", () => {
  const text = userToText(adaWithAlias);
  assert.is(text, "{external_id: u-1, alias: {label: qa, name: ada}, attributes: {first_name: Ada}}");
  assert.is(storedText("qa/ada", text), text);
  assert.is(storedText("a/b", userToText({ ...ada, externalId: "a/b" })), userToText({ ...ada, externalId: "a/b" }));
  assert.equal(memberOfStored("u-1", text), { user: adaWithAlias, entries: NO_ENTRIES });
  assert.is(identityKeyOfStored("u-1", text), "external_id u-1");
  assert.is(identityKeyOfStored("n", userToText({ ...ada, externalId: "123" })), "external_id 123");
});

encoding("an alias-only text written before identified users reads unchanged", () => {
  const old = "{attributes: {first_name: Ada}}";
  assert.is(fullText("qa/ada", old), "{alias: {label: qa, name: ada}, attributes: {first_name: Ada}}");
  assert.equal(memberOfStored("qa/ada", old).user, { alias: { label: "qa", name: "ada" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} });
  assert.is(identityKeyOfStored("qa/ada", old), "qa/ada");
  const json = '{"alias":{"label":"qa","name":"ada"},"attributes":{"first_name":"Ada"}}';
  assert.equal(memberOfStored("qa/ada", json).user.alias, { label: "qa", name: "ada" });
});
encoding.run();

const plans = suite("identified users: the objects a plan sends");

const [record, desired] = [recordOf, desiredOf];

plans("a create is one object by external_id, _update_existing_only false, no user_alias; its alias is attached by /users/alias/new", () => {
  const plan = planSet(EMPTY_RECORD, desired({ "u-1": adaWithAlias }));
  assert.equal(
    plan.changes.map((change) => [change.action, (change as { object?: unknown }).object]),
    [["create", { external_id: "u-1", _update_existing_only: false, first_name: "Ada" }]],
  );
  assert.equal(
    attachmentsOf(plan).map(({ attach }) => attach),
    [{ external_id: "u-1", alias_name: "ada", alias_label: "qa" }],
  );
  assert.equal(requestsOf(plan, trackCaps(50, "combined")), {
    "/users/track": 1,
    "/users/delete": 0,
    "/users/alias/update": 0,
    "/users/alias/new": 1,
    "/users/identify": 0,
    "/users/external_ids/rename": 0,
    "/users/external_ids/remove": 0,
    "/users/export/ids": 0,
    "/subscription/status/get": 0,
  });
});

plans("one changed attribute is exactly that attribute, by external_id, _update_existing_only true", () => {
  const plan = planSet(record({ "u-1": ada }), desired({ "u-1": { ...ada, attributes: { first_name: "Ada", plan: "pro" } } }));
  assert.equal(
    plan.changes.map((change) => (change as { object?: unknown }).object),
    [{ external_id: "u-1", _update_existing_only: true, plan: "pro" }],
  );
  assert.equal(attachmentsOf(plan), []);
});

plans("an unchanged identified user plans nothing", () => {
  const plan = planSet(record({ "u-1": adaWithAlias }), desired({ "u-1": adaWithAlias }));
  assert.equal([plan.changes, plan.unchanged], [[], 1]);
});

plans("an alias given to an identified user is attached, with nothing tracked", () => {
  const plan = planSet(record({ "u-1": ada }), desired({ "u-1": adaWithAlias }));
  assert.equal(
    plan.changes.map((change) => [change.action, (change as { object?: unknown }).object]),
    [["update", undefined]],
  );
  assert.equal(
    attachmentsOf(plan).map(({ attach }) => attach),
    [{ external_id: "u-1", alias_name: "ada", alias_label: "qa" }],
  );
});

plans("a removed identified user is deleted by external_id", () => {
  const plan = planSet(record({ "u-1": adaWithAlias, "qa/bob": { alias: { label: "qa", name: "bob" }, attributes: {}, subscriptionGroups: {} } }), {});
  assert.equal(deletedIdentifiersOf(plan), [{ user_alias: { alias_name: "bob", alias_label: "qa" } }, { external_id: "u-1" }]);
});

plans(
  "an alias-only user that keeps its alias and gains an external_id is identified in place: one /users/identify entry, then only what changed, by external_id",
  () => {
    const aliasOnly: ManagedUser = { alias: { label: "qa", name: "ada" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} };
    const plan = planSet(record({ ada: aliasOnly }), desired({ ada: { ...adaWithAlias, attributes: { first_name: "Ada", plan: "pro" } } }));
    assert.equal(plan.refusals, []);
    assert.equal(
      plan.changes.map((change) => [change.action, (change as { identify?: unknown }).identify, (change as { object?: unknown }).object]),
      [
        [
          "identify",
          { external_id: "u-1", user_alias: { alias_name: "ada", alias_label: "qa" } },
          { external_id: "u-1", _update_existing_only: true, plan: "pro" },
        ],
      ],
    );
    assert.equal(deletedIdentifiersOf(plan), [], "nothing is deleted");
    assert.equal(attachmentsOf(plan), [], "the alias is the profile's already");
    assert.equal(requestsOf(plan, trackCaps(50, "combined")), {
      "/users/track": 1,
      "/users/delete": 0,
      "/users/alias/update": 0,
      "/users/alias/new": 0,
      "/users/identify": 1,
      "/users/external_ids/rename": 0,
      "/users/external_ids/remove": 0,
      "/users/export/ids": 1,
      "/subscription/status/get": 0,
    });
    const only = planSet(record({ ada: aliasOnly }), desired({ ada: adaWithAlias }));
    assert.equal(
      only.changes.map((change) => [change.action, (change as { object?: unknown }).object]),
      [["identify", undefined]],
      "no attribute changed: no data point",
    );
  },
);

plans("an alias-only user whose creation got no answer is not identified yet: refused, saying to run up once without the external_id", () => {
  const aliasOnly: ManagedUser = { alias: { label: "qa", name: "ada" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} };
  const plan = planSet({ ...record({ ada: aliasOnly }), unsure: { ada: "all" } }, desired({ ada: adaWithAlias }));
  assert.equal(plan.changes, []);
  assert.match(plan.refusals[0]?.reason ?? "", /whose creation got no answer: .*Run "pulumi up" once without the external_id/);
});

plans("an alias-only user found by its alias under a new key is identified too, and the record moves", () => {
  const aliasOnly: ManagedUser = { alias: { label: "qa", name: "ada" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} };
  const plan = planSet(record({ "qa/ada": aliasOnly }), desired({ "u-1": adaWithAlias }));
  assert.equal(
    plan.changes.map((change) => [change.action, change.key, (change as { movedFrom?: string }).movedFrom]),
    [["identify", "u-1", "qa/ada"]],
  );
});

plans("an alias-only user given an external_id and another alias is refused before anything is sent", () => {
  const aliasOnly: ManagedUser = { alias: { label: "qa", name: "ada" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} };
  const plan = planSet(record({ ada: aliasOnly }), desired({ ada: { ...adaWithAlias, alias: { label: "qa", name: "ada-2" } } }));
  assert.equal(
    plan.refusals.map(({ key }) => key),
    ["ada"],
  );
  assert.match(plan.refusals[0].reason, /Braze identifies an alias-only user only under the alias it has/);
  assert.equal(plan.changes, []);
});

plans("an external_id removed under the same key is refused", () => {
  const removed = planSet(record({ ada: adaWithAlias }), desired({ ada: { ...adaWithAlias, externalId: undefined } }));
  assert.match(removed.refusals[0]?.reason ?? "", /external_id "u-1" was removed/);
});
plans.run();
