import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ExportShapeError, exportFieldsFor, observedUser } from "../../provider/delta";
import { ADA_ALIAS, user } from "./support/users";

const observed = suite("observedUser");

observed("replaces managed standard and custom attributes by what Braze holds", () => {
  const recorded = user({ attributes: { first_name: "Ada", plan: "free", tags: ["a"] } });
  const result = observedUser(recorded, {
    user_aliases: [ADA_ALIAS],
    first_name: "Augusta",
    custom_attributes: { plan: "pro", tags: ["a", "b"] },
  });
  assert.equal(result.attributes, { first_name: "Augusta", plan: "pro", tags: ["a", "b"] });
  assert.equal(result.alias, recorded.alias);
});

observed("drops a managed attribute that Braze no longer holds (absent or null)", () => {
  const recorded = user({ attributes: { first_name: "Ada", last_name: "Byron", plan: "free" } });
  const result = observedUser(recorded, { user_aliases: [ADA_ALIAS], first_name: "Ada", last_name: null, custom_attributes: {} });
  assert.equal(result.attributes, { first_name: "Ada" });
});

observed("never includes attributes the resource does not manage", () => {
  const recorded = user({ attributes: { plan: "free" } });
  const result = observedUser(recorded, {
    user_aliases: [ADA_ALIAS],
    first_name: "Someone",
    email: "x@example.com",
    custom_attributes: { plan: "free", set_by_a_campaign: true },
  });
  assert.equal(result.attributes, { plan: "free" });
});

observed("reads current_location from last_coordinates [longitude, latitude]", () => {
  const recorded = user({ attributes: { current_location: { longitude: 1, latitude: 2 } } });
  const result = observedUser(recorded, { last_coordinates: [3, 4] });
  assert.equal(result.attributes, { current_location: { longitude: 3, latitude: 4 } });
});

observed("keeps the recorded spelling of a date Braze returns in its own format", () => {
  const recorded = user({ attributes: { churned_at: "2024-03-31", profile: { at: { $time: "2024-03-30T18:05:00Z" } } } });
  const result = observedUser(recorded, {
    custom_attributes: { churned_at: "2024-03-31T00:00:00.000Z", profile: { at: "2024-03-30T18:05:00.000Z" } },
  });
  assert.equal(result.attributes, recorded.attributes);
});

observed("sees a different date as drift", () => {
  const recorded = user({ attributes: { churned_at: "2024-03-31" } });
  const result = observedUser(recorded, { custom_attributes: { churned_at: "2024-04-01T00:00:00.000Z" } });
  assert.equal(result.attributes, { churned_at: "2024-04-01T00:00:00.000Z" });
});

observed("keeps the recorded phone when Braze holds the same digits without the plus", () => {
  const recorded = user({ attributes: { phone: "+15043277269" } });
  assert.equal(observedUser(recorded, { phone: "15043277269" }).attributes, { phone: "+15043277269" });
});

observed("keeps the recorded subscription groups: Braze's export has no group states to read back", () => {
  const recorded = user({ subscriptionGroups: { g1: "subscribed", g2: "subscribed" } });
  // Even an export that carried groups (braze-local's extension) does not change them: no Braze behaviour depends on the server.
  const result = observedUser(recorded, {
    subscription_groups: [
      { subscription_group_id: "g1", subscription_state: "unsubscribed" },
      { subscription_group_id: "unmanaged", subscription_state: "subscribed" },
    ],
  });
  assert.equal(result.subscriptionGroups, { g1: "subscribed", g2: "subscribed" });
  assert.equal(observedUser(recorded, { first_name: "Ada" }).subscriptionGroups, { g1: "subscribed", g2: "subscribed" });
});

observed("refuses a managed value of a shape no attribute can have", () => {
  const recorded = user({ attributes: { profile: { tier: "gold" } } });
  try {
    observedUser(recorded, { custom_attributes: { profile: { tier: null } } });
    assert.unreachable("expected ExportShapeError");
  } catch (error) {
    assert.instance(error, ExportShapeError);
    const typed = error as ExportShapeError;
    assert.is(typed.name, "ExportShapeError", "name");
    assert.is(typed.field, "profile", "field");
    assert.equal(typed.value, { tier: null }, "value");
    assert.is(
      typed.message,
      'POST /users/export/ids: profile holds {"tier":null}, where a string, number, boolean, list or object without nulls was expected; correct profile in Braze (or stop managing it), then refresh again',
    );
  }
});

observed("does not change the recorded user", () => {
  const recorded = user({ attributes: { plan: "free" }, subscriptionGroups: { g: "subscribed" } });
  const before = JSON.stringify(recorded);
  observedUser(recorded, { custom_attributes: { plan: "pro" }, subscription_groups: [] });
  assert.is(JSON.stringify(recorded), before);
});

observed.run();

const fields = suite("exportFieldsFor");

fields("asks for each managed standard field by its export name, custom attributes once, sorted", () => {
  const managed = user({
    attributes: { first_name: "Ada", dob: "1990-12-10", plan: "pro", tags: ["a"], current_location: { longitude: 1, latitude: 2 } },
  });
  assert.equal(exportFieldsFor(managed), ["custom_attributes", "dob", "first_name", "last_coordinates"]);
});

fields("never asks for subscription_groups, which Braze's export does not have", () => {
  assert.equal(exportFieldsFor(user({ subscriptionGroups: { g: "subscribed" } })), []);
  assert.equal(exportFieldsFor(user({ attributes: { plan: "pro" }, subscriptionGroups: { g: "subscribed" } })), ["custom_attributes"]);
});

fields.run();
