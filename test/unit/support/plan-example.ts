// One fixed plan with every kind of change, for the formatters' exact-output tests:
// a create, an update (changed, removed, resent, released), a rename, a label
// change, a delete, a move to another set (forget), two unchanged users, and
// events and purchases: one to send, one left out of the file (forgotten).
import type { ManagedUser } from "../../../provider/model";
import { NO_ENTRIES, type UserEntries } from "../../../provider/model/entries";
import { memberToText } from "../../../provider/encoding/user-text";
import type { PlanInput } from "../../../plan/plan-report";

const qa = (name: string, attributes: ManagedUser["attributes"] = {}, subscriptionGroups: ManagedUser["subscriptionGroups"] = {}): ManagedUser => ({
  alias: { name, label: "qa" },
  attributes,
  subscriptionGroups,
});

const recorded: Record<string, ManagedUser> = {
  "qa/ada": qa("ada", { first_name: "Ada", plan: "free", seats: 2, email_subscribe: "opted_in" }, { newsletter: "subscribed", offers: "subscribed" }),
  "qa/bob": qa("bob", { first_name: "Bob" }),
  "qa-cy": qa("cy", { first_name: "Cy", loyalty: { tier: "silver", points: 10 } }),
  "qa/dan": { alias: { name: "dan", label: "qa" }, attributes: { first_name: "Dan" }, subscriptionGroups: {} },
  "qa/eve": qa("eve", { first_name: "Eve" }),
  "qa/fay": qa("fay", { first_name: "Fay" }),
  "qa/gus": qa("gus", { first_name: "Gus" }),
  "qa/hal": qa("hal", { first_name: "Hal", city: "Lyon" }),
};

const desired: Record<string, ManagedUser> = {
  // update: plan changed, seats removed, a group flipped, email_subscribe and a group released
  "qa/ada": qa("ada", { first_name: "Ada", plan: "pro" }, { newsletter: "unsubscribed" }),
  // rename under a stable key, with a change
  "qa-cy": qa("cyrus", { first_name: "Cy", loyalty: { tier: "gold", points: 10 } }),
  // label change: Braze cannot relabel
  "qa/dan": { alias: { name: "dan", label: "vip" }, attributes: { first_name: "Dan" }, subscriptionGroups: {} },
  "qa/fay": qa("fay", { first_name: "Fay" }),
  "qa/gus": qa("gus", { first_name: "Gus" }),
  // unsure: its city is sent again
  "qa/hal": qa("hal", { first_name: "Hal", city: "Lyon" }),
  // create
  "qa/ivy": qa("ivy", { first_name: "Ivy", tags: ["beta", "vip"] }, { newsletter: "subscribed" }),
};

const entries: Record<string, { recorded?: Partial<UserEntries>; desired?: Partial<UserEntries> }> = {
  "qa/ada": {
    recorded: { events: { "old-login": { name: "login", time: "2024-01-01T00:00:00Z" } } },
    desired: { events: { "first-order": { name: "ordered", time: "2024-05-01T10:00:00Z" } } },
  },
  "qa/ivy": {
    desired: { purchases: { p1: { product_id: "plan-pro", currency: "USD", price: 9.99, time: "2024-06-01T00:00:00Z", properties: { coupon: "WELCOME" } } } },
  },
};

const texts = (users: Record<string, ManagedUser>, side: "recorded" | "desired") =>
  Object.fromEntries(Object.entries(users).map(([key, user]) => [key, memberToText({ user, entries: { ...NO_ENTRIES, ...entries[key]?.[side] } })]));

/** bob leaves the set (deleted); eve moved to the "staff" set (forgotten). */
export function examplePlanInput(): PlanInput {
  return {
    stack: "dev",
    sets: [
      {
        name: "users",
        operation: "update",
        record: { users: texts(recorded, "recorded"), unsure: { "qa/hal": { attributes: ["city"], subscriptionGroups: [] } }, logs: {} },
        desired: texts(desired, "desired"),
      },
      {
        name: "staff",
        operation: "update",
        record: { users: {}, unsure: {}, logs: {} },
        desired: texts({ "qa/eve": qa("eve", { first_name: "Eve" }) }, "desired"),
      },
    ],
    declarations: new Map([["qa/eve", ['BrazeUserSet "staff"']]]),
    trackCaps: { perArray: 75, combined: 225 },
    budgets: { maxDeletes: 10, maxDataPoints: 100 },
    unplanned: [],
    refreshed: false,
  };
}
