import { suite } from "uvu";
import * as assert from "uvu/assert";
import { countDataPoints, planCreate } from "../../provider/delta";
import { ADA_ALIAS, user } from "./support/users";

const create = suite("planCreate");

create("addresses the user by alias and sets _update_existing_only false so Braze creates the alias-only user", () => {
  assert.equal(planCreate(user()), { user_alias: ADA_ALIAS, _update_existing_only: false });
});

create("sends every desired attribute whole, keys sorted", () => {
  const object = planCreate(user({ attributes: { loyalty: { tier: "gold", points: 1200 }, first_name: "Ada", favorite_genres: ["sci-fi", "drama"] } }));
  assert.equal(object, {
    user_alias: ADA_ALIAS,
    _update_existing_only: false,
    favorite_genres: ["sci-fi", "drama"],
    first_name: "Ada",
    loyalty: { tier: "gold", points: 1200 },
  });
  assert.equal(Object.keys(object), ["user_alias", "_update_existing_only", "favorite_genres", "first_name", "loyalty"]);
});

create("never asks Braze to merge nested objects: a user that already exists ends up with exactly these values", () => {
  const object = planCreate(user({ attributes: { loyalty: { tier: "gold" } } }));
  assert.is(object._merge_objects, undefined);
});

create("lists subscription groups sorted by id", () => {
  const object = planCreate(user({ subscriptionGroups: { "b-group": "unsubscribed", "a-group": "subscribed" } }));
  assert.equal(object.subscription_groups, [
    { subscription_group_id: "a-group", subscription_state: "subscribed" },
    { subscription_group_id: "b-group", subscription_state: "unsubscribed" },
  ]);
});

create("omits subscription_groups when there are none", () => {
  assert.not.ok("subscription_groups" in planCreate(user({ attributes: { first_name: "Ada" } })));
});

create("costs one data point per billable attribute and nothing for subscription states", () => {
  const object = planCreate(
    user({
      attributes: { first_name: "Ada", email_subscribe: "opted_in", favorite_genres: ["a", "b"], loyalty: { tier: "gold", points: 1 } },
      subscriptionGroups: { g: "subscribed" },
    }),
  );
  assert.is(countDataPoints(object), 1 + 0 + 1 + 2);
});

create.run();
