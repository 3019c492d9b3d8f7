// examples/identified-personas/users.yaml through the root program against
// braze-local: identified users (one with an alias attached, a push token, a
// group and an event), an email-only lead and a phone-only contact are created
// addressed as Braze's /users/track page describes, a second up and a refresh
// find nothing to do, and destroy deletes each kind of identifier in its own request.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startLocalBraze } from "../harness/local-braze";
import { recordedUsers } from "../harness/recorded-users";
import { createTestStack } from "../harness/test-stack";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const FILE = path.join(repoRoot, "examples", "identified-personas", "users.yaml");
const NEWSLETTER = { subscription_group_id: "5e1f0a2c-newsletter", subscription_state: "subscribed" };
const ADA_TOKEN = { app_id: "4d1a6f0e-1111-4a2b-9c3d-5e6f7a8b9c0d", token: "0f9e8d7c6b5a49382716a5b4c3d2e1f0", device_id: "ada-iphone" };

const Example = suite("examples/identified-personas");

Example(
  "identified, email-only and phone-only users: created as addressed, nothing sent again, no drift, deleted one identifier kind per request",
  async () => {
    const braze = await startLocalBraze();
    const stack = await createTestStack({
      programDir: path.join(repoRoot, "dist", "program"),
      projectName: "identified-personas",
      env: { BRAZE_REST_ENDPOINT: braze.url },
      config: { "braze:desiredState": { value: FILE } },
    });
    try {
      await stack.up();
      const requests = await braze.requests();
      const tracked = requests.filter((request) => request.path === "/users/track").map((request) => request.body as Record<string, unknown[]>);
      const attributes = tracked.flatMap((body) => body.attributes ?? []);
      assert.equal(
        attributes,
        [
          { phone: "+15043277270", _update_existing_only: false, first_name: "Pat", sms_opt_in_source: "keyword" },
          { email: "lead@example.com", _update_existing_only: false, first_name: "Lee", lead_source: "webinar", subscription_groups: [NEWSLETTER] },
          {
            external_id: "tester-ada",
            _update_existing_only: false,
            first_name: "Ada",
            email: "ada@example.com",
            email_subscribe: "opted_in",
            plan: "pro",
            push_tokens: [ADA_TOKEN],
            subscription_groups: [NEWSLETTER],
          },
          { external_id: "tester-bob", _update_existing_only: false, first_name: "Bob", plan: "free", trial_user: true },
        ],
        "one object per user (in key order), addressed by external_id, else email, else phone; the alias never beside the external_id",
      );
      assert.equal(
        tracked.flatMap((body) => body.events ?? []),
        [{ external_id: "tester-ada", _update_existing_only: true, name: "signed_up", time: "2024-05-01T10:00:00Z" }],
        "the event is logged once, by external_id, never creating a profile",
      );
      assert.equal(
        requests.filter((request) => request.path === "/users/alias/new").map((request) => request.body),
        [{ user_aliases: [{ external_id: "tester-ada", alias_name: "ada-tester", alias_label: "testers" }] }],
        "the alias is attached to the identified profile, not made a second profile",
      );
      const held = await braze.users();
      assert.is(held.length, 4, "four profiles, one per declared user");
      assert.equal((await braze.userByAlias("testers", "ada-tester")).attributes.plan, "pro");
      assert.equal([...recordedUsers(await stack.exportState()).keys()].sort(), ["+15043277270", "lead@example.com", "tester-ada", "tester-bob"]);

      await braze.post("/_local/reset-log", {});
      await stack.up();
      assert.equal(
        (await braze.requests()).filter((request) => request.path !== "/users/export/ids"),
        [],
        "a second up sends nothing",
      );
      const refreshed = await stack.refresh();
      assert.is(
        refreshed.summary.resourceChanges?.update,
        undefined,
        `refresh finds no drift (groups read by external_id and email, the push token by export):\n${stack.lastOutput}`,
      );
      await stack.preview({ expectNoChanges: true });

      await braze.post("/_local/reset-log", {});
      await stack.destroy();
      const deletes = (await braze.requests()).filter((request) => request.path === "/users/delete").map((request) => request.body);
      const prioritization = ["unidentified", "most_recently_updated"];
      assert.equal(
        deletes.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
        [
          { email_addresses: [{ email: "lead@example.com", prioritization }] },
          { external_ids: ["tester-ada", "tester-bob"] },
          { phone_numbers: [{ phone: "+15043277270", prioritization }] },
        ],
        "one /users/delete per kind of identifier, as Braze requires",
      );
      assert.equal(await braze.users(), []);
    } finally {
      await stack.cleanup();
      await braze.close();
    }
  },
);

Example.run();
