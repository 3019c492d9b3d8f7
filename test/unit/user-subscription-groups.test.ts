// GET /subscription/user/status on the wire: one user per request, paged by 100,
// its answer read back or refused.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { BrazeClient } from "../../provider/braze/client";
import { groupsOfAnswer, readUserGroups, USER_GROUPS_PAGE, userGroupsQuery } from "../../provider/braze/user-subscription-groups";

const Wire = suite("GET /subscription/user/status: the wire");

Wire("asks for one user, 100 results from the offset", () => {
  assert.is(userGroupsQuery({ parameter: "email", value: "ada@example.com" }, 200).toString(), "email=ada%40example.com&limit=100&offset=200");
});

Wire("reads each entry's group and state; refuses another answer or state", () => {
  const answer = {
    success: true,
    subscription_groups: [
      { subscription_group_id: "g1", subscription_status: "subscribed" },
      { subscription_group_id: "g2", subscription_status: "unsubscribed" },
    ],
  };
  assert.equal(groupsOfAnswer(answer), [
    { groupId: "g1", state: "subscribed" },
    { groupId: "g2", state: "unsubscribed" },
  ]);
  assert.throws(() => groupsOfAnswer({ message: "success" }), /GET \/subscription\/user\/status/);
  assert.throws(
    () => groupsOfAnswer({ success: true, subscription_groups: [{ subscription_group_id: "g1", subscription_status: "maybe" }] }),
    /is not \{"subscription_group_id"/,
  );
});

Wire("pages until a page comes back short", async () => {
  const offsets: string[] = [];
  const client = {
    get: async (_path: string, query: URLSearchParams) => {
      offsets.push(query.get("offset") ?? "");
      const count = query.get("offset") === "0" ? USER_GROUPS_PAGE : 1;
      const start = Number(query.get("offset"));
      return {
        success: true,
        subscription_groups: Array.from({ length: count }, (_, index) => ({ subscription_group_id: `g${start + index}`, subscription_status: "subscribed" })),
      };
    },
  } as unknown as BrazeClient;
  const groups = await readUserGroups(client, { parameter: "external_id", value: "u-1" });
  assert.equal(offsets, ["0", "100"]);
  assert.is(Object.keys(groups).length, USER_GROUPS_PAGE + 1);
  assert.is(groups.g100, "subscribed");
});

Wire.run();
