// Wire compatibility: the community `braze-api` client (braze-community/braze-node,
// not written here) drives track, export, alias and delete against braze-local.
import { Braze } from "braze-api";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startTestServer, type TestServer } from "./local-server";

const Client = suite<{ braze: TestServer; client: Braze }>("braze-api client against braze-local");
Client.before(async (context) => {
  context.braze = await startTestServer({ apiKeys: ["client-key"] });
  context.client = new Braze(context.braze.url, "client-key");
});
Client.after(async (context) => context.braze.close());

Client("track, export, alias update and delete round-trip through the independent client", async ({ braze, client }) => {
  const tracked = await client.users.track({
    attributes: [{ user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: false, first_name: "Ada", plan: "pro" } as any],
    events: [{ external_id: "e1", name: "signed_up", time: "2020-01-01T00:00:00Z" }],
  });
  assert.equal(tracked, { message: "success", attributes_processed: 1, events_processed: 1 });
  const exported = await client.users.export.ids({
    user_aliases: [{ alias_name: "ada", alias_label: "qa" }],
    fields_to_export: ["first_name", "custom_attributes"],
  });
  assert.equal(exported.users, [{ first_name: "Ada", custom_attributes: { plan: "pro" } }] as any);
  await client.users.alias.new({ user_aliases: [{ alias_name: "eve", alias_label: "crm", external_id: "e1" }] } as any);
  await client.users.alias.update({ alias_updates: [{ alias_label: "qa", old_alias_name: "ada", new_alias_name: "ada2" }] });
  const renamed = await client.users.export.ids({ user_aliases: [{ alias_name: "ada2", alias_label: "qa" }], fields_to_export: ["user_aliases"] });
  assert.equal(renamed.users, [{ user_aliases: [{ alias_name: "ada2", alias_label: "qa" }] }] as any);
  const deleted = await client.users.delete({ user_aliases: [{ alias_name: "ada2", alias_label: "qa" }] });
  assert.is(deleted.deleted, 1);
  assert.equal(
    (await braze.users()).map((user: any) => [user.external_id, user.user_aliases]),
    [["e1", [{ alias_name: "eve", alias_label: "crm" }]]],
  );
});

Client("the client surfaces braze-local's fatal errors with their status and message", async ({ braze }) => {
  const wrongKey = new Braze(braze.url, "wrong-key");
  try {
    await wrongKey.users.track({ attributes: [{ external_id: "x" }] });
    assert.unreachable("a wrong key is refused");
  } catch (error) {
    assert.equal([(error as any).status, (error as Error).message], [401, "Invalid API key"]);
  }
});

Client.run();
