// Randomized garbage at every route: the server never answers 5xx, never
// crashes, and keeps serving well-formed requests afterwards.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { seededRandom } from "../../server/faults";
import { aliasObject, startTestServer } from "./local-server";

const ROUTES = [
  "/users/track",
  "/users/export/ids",
  "/users/delete",
  "/users/alias/new",
  "/users/alias/update",
  "/users/identify",
  "/users/unknown",
  "/_local/reset-not",
  "/",
];
const KEYS = [
  "attributes",
  "events",
  "purchases",
  "external_id",
  "user_alias",
  "alias_name",
  "alias_label",
  "email",
  "phone",
  "braze_id",
  "name",
  "time",
  "properties",
  "product_id",
  "currency",
  "price",
  "quantity",
  "_update_existing_only",
  "_merge_objects",
  "inc",
  "add",
  "remove",
  "$add",
  "$remove",
  "$update",
  "$identifier_key",
  "$identifier_value",
  "$new_object",
  "$time",
  "subscription_groups",
  "subscription_group_id",
  "subscription_state",
  "email_subscribe",
  "user_aliases",
  "external_ids",
  "fields_to_export",
  "alias_updates",
  "old_alias_name",
  "new_alias_name",
  "aliases_to_identify",
  "emails_to_identify",
  "prioritization",
  "email_addresses",
  "phone_numbers",
  "current_location",
  "country",
  "gender",
  "dob",
  "__proto__",
  "constructor",
  "",
];

const Garbage = suite("garbage at every route");

Garbage("3,000 random bodies, shapes and bytes never get a 5xx, and the server still works", async () => {
  const braze = await startTestServer({ faults: {} });
  const random = seededRandom(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const value = (depth: number): unknown => {
    const roll = random();
    if (depth > 4 || roll < 0.35)
      return pick([null, true, false, 0, -1, 1.5, 1e308, "", "x", "2020-01-01", "+15550001111", "a@b.c", "z".repeat(300), "qa", "subscribed", "USD"]);
    if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(KEYS), value(depth + 1)]));
  };
  const statuses = new Map<number, number>();
  for (let round = 0; round < 3000; round++) {
    const route = pick(ROUTES);
    const kind = random();
    let text: string;
    if (kind < 0.1) text = Array.from({ length: Math.floor(random() * 40) }, () => String.fromCharCode(Math.floor(random() * 256))).join("");
    else if (kind < 0.2) text = JSON.stringify(value(0)).slice(0, Math.floor(random() * 50));
    else text = JSON.stringify({ [pick(KEYS)]: value(1), [pick(KEYS)]: value(1), attributes: [value(1), value(1)], events: [value(2)] });
    const answer = await braze.postRaw(route, text);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    assert.ok(answer.status < 500, `${route} ${text.slice(0, 300)} -> ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  assert.ok((statuses.get(201) ?? 0) > 0, `some garbage is valid enough to apply: ${JSON.stringify([...statuses])}`);
  const ok = await braze.post("/users/track", { attributes: [aliasObject("after")] });
  assert.is(ok.status, 201);
  assert.ok((await braze.users()).some((user: any) => user.user_aliases.some((held: any) => held.alias_name === "after")));
  await braze.close();
});

Garbage.run();
