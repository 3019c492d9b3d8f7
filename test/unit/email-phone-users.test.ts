// Email-only and phone-only users through the pure layers: the file's rules
// (with positions), the default key and identity, the stored text, the objects
// a plan sends and the /users/delete and /users/export/ids bodies.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDesiredState } from "../../provider/desired-state/load";
import { memberKey, memberTexts } from "../../provider/desired-state/member-texts";
import { deletedIdentifiersOf, planSet } from "../../provider/delta/plan-set";
import { requestsOf } from "../../provider/delta/set-sends";
import { trackCaps } from "../../provider/braze/track-packing";
import { BrazeUsersApi, deleteBody } from "../../provider/braze/users-api";
import type { BrazeClient } from "../../provider/braze/client";
import { SharedAddressError } from "../../provider/braze/errors/shared-address-error";
import { EMPTY_RECORD } from "../../provider/encoding/recorded-set";
import { identityKeyOfStored, memberOfStored, storedText } from "../../provider/encoding/stored-text";
import { userToText } from "../../provider/encoding/user-text";
import { defaultKey, describeIdentity, identityKey, type ManagedUser } from "../../provider/model";
import { catchDesiredStateError } from "./support/expect-error";
import { desiredOf, recordOf } from "./support/recorded-users";

const lines = (...all: string[]) => `${all.join("\n")}\n`;
const ada: ManagedUser = { email: "ada@example.com", attributes: { first_name: "Ada" }, subscriptionGroups: {} };
const bob: ManagedUser = { phone: "+15043277269", attributes: { first_name: "Bob" }, subscriptionGroups: {} };

const rules = suite("email-only and phone-only users: the file's rules");

rules("an email-only and a phone-only user load, keyed by their address", () => {
  const state = parseDesiredState(
    lines("users:", "  - email: ada@example.com", "    attributes: { first_name: Ada }", "  - phone: '+15043277269'", "    attributes: { first_name: Bob }"),
    "users.yaml",
  );
  assert.equal(
    state.users.map(({ user }) => user),
    [ada, bob],
  );
  assert.equal(
    state.users.map(({ user }) => [defaultKey(user), describeIdentity(identityKey(user))]),
    [
      ["ada@example.com", "email ada@example.com"],
      ["+15043277269", "phone +15043277269"],
    ],
  );
});

rules("with both email and phone, the email identifies and the phone is a profile field", () => {
  const state = parseDesiredState(lines("users:", "  - email: ada@example.com", "    phone: '+15043277269'"), "users.yaml");
  assert.equal(state.users[0].user, { email: "ada@example.com", attributes: { phone: "+15043277269" }, subscriptionGroups: {} });
});

rules("email or phone beside an alias is refused at its line, pointing to attributes", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - alias: { label: qa, name: ada }", "    phone: '+15043277269'"), "users.yaml"),
  );
  assert.equal(
    error.issues.map(({ line, path }) => [line, path]),
    [[3, "users[0].phone"]],
  );
  assert.match(error.issues[0].message, /put it under attributes\.phone/);
});

rules("an invalid phone is refused at its line before anything is sent", () => {
  const error = catchDesiredStateError(() => parseDesiredState(lines("users:", "  - phone: '555-1234'"), "users.yaml"));
  assert.equal(
    error.issues.map(({ line, path, message }) => [line, path, message]),
    [[2, "users[0].phone", 'must be a phone number in E.164 form such as +15043277269 (got "555-1234")']],
  );
});

rules("an email-only user's attributes.email must be its address", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - email: ada@example.com", "    attributes: { email: other@example.com }"), "users.yaml"),
  );
  assert.equal(
    error.issues.map(({ line, path }) => [line, path]),
    [[3, "users[0].attributes.email"]],
  );
  assert.match(error.issues[0].message, /^differs from the user's email "ada@example\.com"/);
  parseDesiredState(lines("users:", "  - email: ada@example.com", "    attributes: { email: ada@example.com }"), "users.yaml");
});

rules("two users with one email, as Braze compares them (case and spaces aside), are refused naming both with their lines", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - email: ada@example.com", "  - key: second", "    email: Ada@Example.COM"), "users.yaml"),
  );
  assert.equal(
    error.issues.map(({ line, path, user }) => [line, path, user]),
    [[4, "users[1].email", "second"]],
  );
  assert.match(error.issues[0].message, /^the email-only user resolves to the same Braze profile as users\[0\] \(ada@example\.com\) \(users\.yaml:2:12\)/);
});

rules("two phone-only users with one number are refused", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - phone: '+15043277269'", "  - key: b", "    phone: '+15043277269'"), "users.yaml"),
  );
  assert.equal(
    error.issues.map(({ path }) => path),
    ["users[1].phone"],
  );
});

rules("an email-only user whose address is an identified user's attributes.email is refused, naming both", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - email: ada@example.com", "  - external_id: u-1", "    attributes: { email: ada@example.com }"), "users.yaml"),
  );
  assert.equal(
    error.issues.map(({ line, path, user }) => [line, path, user]),
    [[4, "users[1].attributes.email", "u-1"]],
  );
  assert.match(error.issues[0].message, /users\[0\] \(ada@example\.com\) \(users\.yaml:2:12\): Braze gives an update addressed by email to one profile/);
});

rules("a phone-only user cannot set attributes.email (Braze would address the email's profile)", () => {
  const error = catchDesiredStateError(() =>
    parseDesiredState(lines("users:", "  - phone: '+15043277269'", "    attributes: { email: bob@example.com }"), "users.yaml"),
  );
  assert.equal(
    error.issues.map(({ path }) => path),
    ["users[0].attributes.email"],
  );
});

rules("members declared in TypeScript get the same refusals, named by key", () => {
  assert.throws(
    () => memberTexts("users", [{ email: "ada@example.com" }, { key: "two", email: "ADA@example.com" }]),
    (error: Error) => /users\.two\.email: the email-only user resolves to the same Braze profile as users\["ada@example\.com"\]/.test(error.message),
  );
  assert.throws(
    () => memberTexts("users", [{ externalId: "u-1", email: "ada@example.com" }]),
    (error: Error) => /attributes\.email/.test(error.message),
  );
  assert.is(memberKey({ phone: "+15043277269" }), "+15043277269");
});
rules.run();

const encoding = suite("email-only and phone-only users: the stored text");

encoding("an email-only user's text starts with its email and is stored whole", () => {
  const text = userToText(ada);
  assert.is(text, "{email: ada@example.com, attributes: {first_name: Ada}}");
  assert.is(storedText("ada@example.com", text), text);
  assert.equal(memberOfStored("ada@example.com", text).user, ada);
  assert.is(identityKeyOfStored("ada@example.com", text), "email ada@example.com");
  assert.is(identityKeyOfStored("+15043277269", userToText(bob)), "phone +15043277269");
  assert.equal(memberOfStored("b", userToText(bob)).user, bob);
});
encoding.run();

const plans = suite("email-only and phone-only users: the objects a plan sends");

const [record, desired] = [recordOf, desiredOf];

plans("a create is one object addressed by email (by phone), _update_existing_only false", () => {
  const plan = planSet(EMPTY_RECORD, desired({ a: ada, b: bob }));
  assert.equal(
    plan.changes.map((change) => (change as { object?: unknown }).object),
    [
      { email: "ada@example.com", _update_existing_only: false, first_name: "Ada" },
      { phone: "+15043277269", _update_existing_only: false, first_name: "Bob" },
    ],
  );
});

plans("one changed attribute is exactly that attribute, addressed by email", () => {
  const plan = planSet(record({ a: ada }), desired({ a: { ...ada, attributes: { first_name: "Ada", plan: "pro" } } }));
  assert.equal(
    plan.changes.map((change) => (change as { object?: unknown }).object),
    [{ email: "ada@example.com", _update_existing_only: true, plan: "pro" }],
  );
});

plans("a removed attributes.email does not unset the address the object is addressed by", () => {
  const withEmail = { ...ada, attributes: { ...ada.attributes, email: "ada@example.com" } };
  const plan = planSet(record({ a: withEmail }), desired({ a: ada }));
  assert.equal(
    plan.changes.map((change) => (change as { object?: unknown }).object),
    [{ email: "ada@example.com", _update_existing_only: true }],
  );
});

plans("removed users are deleted by email and by phone, one /users/delete request per kind", () => {
  const plan = planSet(record({ a: ada, b: bob, "u-1": { externalId: "u-1", attributes: {}, subscriptionGroups: {} } }), {});
  const identifiers = deletedIdentifiersOf(plan);
  assert.equal(identifiers, [{ email: "ada@example.com" }, { phone: "+15043277269" }, { external_id: "u-1" }]);
  assert.is(requestsOf(plan, trackCaps(50, "combined"))["/users/delete"], 3);
  assert.equal(deleteBody([{ email: "ada@example.com" }]), {
    email_addresses: [{ email: "ada@example.com", prioritization: ["unidentified", "most_recently_updated"] }],
  });
});

plans("an email-only user given an external_id under one key is identified in place: one emails_to_identify entry, then what changed, by external_id", () => {
  const plan = planSet(record({ ada: ada }), desired({ ada: { externalId: "u-1", attributes: { first_name: "Ada", plan: "pro" }, subscriptionGroups: {} } }));
  assert.equal(plan.refusals, []);
  assert.equal(
    plan.changes.map((change) => [change.action, (change as { identify?: unknown }).identify, (change as { object?: unknown }).object]),
    [
      [
        "identify",
        { external_id: "u-1", email: "ada@example.com", prioritization: ["unidentified", "most_recently_updated"] },
        { external_id: "u-1", _update_existing_only: true, plan: "pro" },
      ],
    ],
  );
  assert.equal(deletedIdentifiersOf(plan), [], "nothing is deleted");
});

plans("another change of identifier under one key is refused with the reason and what to do", () => {
  const withAlias: ManagedUser = { externalId: "u-1", alias: { label: "qa", name: "ada" }, attributes: ada.attributes, subscriptionGroups: {} };
  const plan = planSet(record({ ada: ada }), desired({ ada: withAlias }));
  assert.equal(plan.changes, []);
  assert.match(
    plan.refusals[0]?.reason ?? "",
    /^the email-only user email ada@example\.com was given external_id "u-1" under the same key: .*Put the old identifier back \(add an alias in a later up\)/,
  );
  const phoned = planSet(record({ bob: bob }), desired({ bob: { externalId: "u-2", attributes: bob.attributes, subscriptionGroups: {} } }));
  assert.match(phoned.refusals[0]?.reason ?? "", /^the phone-only user phone \+15043277269 was given external_id "u-2"/);
  const moved = planSet(record({ ada: ada }), desired({ ada: { ...ada, email: "ada@example.org" } }));
  assert.match(moved.refusals[0]?.reason ?? "", /identifier changed from email ada@example\.com to email ada@example\.org/);
});
plans.run();

const wire = suite("email-only and phone-only users: the requests");

/** A client that records every request and answers from `answer`. */
function recordingClient(answer: (path: string, body: Record<string, unknown>) => unknown) {
  const sent: Array<[string, Record<string, unknown>]> = [];
  const client = {
    post: async (path: string, body: Record<string, unknown>) => {
      sent.push([path, body]);
      return answer(path, body);
    },
  } as unknown as BrazeClient;
  return { client, sent };
}

wire("deletes go one identifier kind per request, emails and phones with their prioritization", async () => {
  const { client, sent } = recordingClient(() => ({ deleted: 1, message: "success" }));
  const api = new BrazeUsersApi(client, { maxObjectsPerRequest: 50 });
  const outcomes = await api.deleteAll([{ email: "ada@example.com" }, { external_id: "u-1" }, { phone: "+15043277269" }, { email: "eve@example.com" }]);
  assert.equal(
    outcomes.map((outcome) => outcome.ok),
    [true, true, true, true],
  );
  const prioritization = ["unidentified", "most_recently_updated"];
  assert.equal(sent, [
    [
      "/users/delete",
      {
        email_addresses: [
          { email: "ada@example.com", prioritization },
          { email: "eve@example.com", prioritization },
        ],
      },
    ],
    ["/users/delete", { external_ids: ["u-1"] }],
    ["/users/delete", { phone_numbers: [{ phone: "+15043277269", prioritization }] }],
  ]);
});

wire("an export by email is a request of its own; several profiles for one address are reported, not guessed between", async () => {
  const { client, sent } = recordingClient((_path, body) => ({
    message: "success",
    users: body.email_address ? [{ braze_id: "1" }, { braze_id: "2" }] : [{ external_id: "u-1" }],
  }));
  const api = new BrazeUsersApi(client, { maxObjectsPerRequest: 50 });
  const [byEmail, byId] = await api.exportAll([{ email: "ada@example.com" }, { external_id: "u-1" }], ["first_name"]);
  assert.equal(sent, [
    ["/users/export/ids", { external_ids: ["u-1"], fields_to_export: ["external_id", "first_name", "user_aliases"] }],
    ["/users/export/ids", { email_address: "ada@example.com", fields_to_export: ["external_id", "first_name"] }],
  ]);
  assert.equal(byId, { ok: true, value: { external_id: "u-1" } });
  assert.is(byEmail.ok, false);
  const error = (byEmail as { error: Error }).error;
  assert.instance(error, SharedAddressError);
  assert.match(
    (error as SharedAddressError).forUser("ada").message,
    /^user ada: 2 Braze profiles hold email ada@example\.com, so which one is this user cannot be told and neither profile's values are recorded; /,
  );
});

wire("an address one identified profile holds is reported: updates by it reach that profile, not an email-only one", async () => {
  const { client } = recordingClient(() => ({ message: "success", users: [{ external_id: "u-7", first_name: "Ada" }] }));
  const api = new BrazeUsersApi(client, { maxObjectsPerRequest: 50 });
  const [byEmail] = await api.exportAll([{ email: "ada@example.com" }], ["first_name"]);
  assert.is(byEmail.ok, false);
  const error = (byEmail as { error: Error }).error as SharedAddressError;
  assert.instance(error, SharedAddressError);
  assert.is(error.heldBy, "u-7");
  assert.match(
    error.forUser("ada").message,
    /^user ada: email ada@example\.com belongs to the identified profile external_id u-7, where Braze sends every update by that address .*; declare the user by external_id "u-7"/,
  );
});
wire.run();
