// An identified user's external_id changed under the same key, end to end:
// the real engine and braze-local. The same profile takes the new id
// (/users/external_ids/rename), keeps its attributes and events, and the old
// id is removed (/users/external_ids/remove); nothing is deleted.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LoggedRequest } from "../harness/local-braze";
import { startLossyProxy } from "../harness/lossy-proxy";
import { planReport } from "../harness/plan-command";
import { recordedUsers } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const rental = { id: "erin-rental", name: "rented_movie", time: "2024-05-01T10:00:00Z" };
const erin = { key: "erin", external_id: "u-erin", attributes: { first_name: "Erin", plan: "free" }, events: [rental] };
const renamed = { ...erin, external_id: "u-erin-2" };

const Rename = suite<YamlStack>("renaming an external_id in place");
const byPath = (requests: LoggedRequest[], path: string) => requests.filter((request) => request.path === path).map((request) => request.body);
const profile = async (stack: YamlStack, externalId: string) => (await stack.braze.users()).find((user) => user.external_id === externalId);

/** The profile braze-local holds under this external_id; fails the test when there is none. */
async function held(stack: YamlStack, externalId: string): Promise<Record<string, unknown>> {
  const user = await profile(stack, externalId);
  assert.ok(user, `braze-local holds a user with external_id ${externalId}`);
  return user as Record<string, unknown>;
}

Rename.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "external-id-rename" }));
});
Rename.after(async (context) => context.close?.());

Rename("an identified user with an event is created", async (context) => {
  context.writeUsers([erin]);
  await context.stack.up();
  assert.ok(await profile(context, "u-erin"));
});

Rename("the plan calls the change rename external_id and lists its requests", async (context) => {
  context.writeUsers([renamed]);
  const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
  assert.equal(
    report.changes.map((change) => [change.action, change.key, change.externalId, change.dataPoints, change.sends]),
    [["rename_external_id", "erin", "u-erin-2", 0, ["/users/external_ids/rename", "/users/external_ids/remove", "/users/export/ids"]]],
  );
  assert.is(report.users.rename_external_id, 1);
});

Rename("up renames the id in place: both ids read, one rename, one remove, no delete; the profile keeps its data under the new id", async (context) => {
  const before = await held(context, "u-erin");
  await context.braze.newRequests();
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((request) => request.path).sort(),
    ["/users/export/ids", "/users/export/ids", "/users/external_ids/remove", "/users/external_ids/rename"],
    "no /users/delete, no /users/track (no attribute changed)",
  );
  assert.equal(
    byPath(requests, "/users/export/ids")
      .map((body) => (body as { external_ids: string[] }).external_ids)
      .sort(),
    [["u-erin"], ["u-erin-2"]],
  );
  assert.equal(byPath(requests, "/users/external_ids/rename"), [{ external_id_renames: [{ current_external_id: "u-erin", new_external_id: "u-erin-2" }] }]);
  assert.equal(byPath(requests, "/users/external_ids/remove"), [{ external_ids: ["u-erin"] }]);
  const paths = requests.map((request) => request.path);
  assert.ok(paths.indexOf("/users/external_ids/rename") < paths.indexOf("/users/external_ids/remove"), "renamed, then the old id removed");

  const after = await held(context, "u-erin-2");
  assert.is(after.braze_id, before.braze_id, "the same profile");
  assert.equal(after.custom, { plan: "free" }, "its attributes kept");
  assert.equal((after.standard as Record<string, unknown>).first_name, "Erin");
  assert.is((after.events as unknown[]).length, 1, "its event kept, not logged again");
  assert.is(await profile(context, "u-erin"), undefined, "the old id addresses no one");
  assert.equal([...recordedUsers(await context.stack.exportState()).keys()], ["u-erin-2"], "the record holds the new id");
});

Rename("afterwards: no change previewed, and the next up sends nothing", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.equal(await context.braze.newRequests(), []);
});

Rename("a rename together with a changed attribute and a new event: the delta and the event go to the new id, between rename and remove", async (context) => {
  const movie = { id: "erin-movie-2", name: "rented_movie", time: "2024-05-02T10:00:00Z" };
  context.writeUsers([{ ...renamed, external_id: "u-erin-3", attributes: { first_name: "Erin", plan: "pro" }, events: [rental, movie] }]);
  await context.stack.up();
  const requests = await context.braze.newRequests();
  const paths = requests.map((request) => request.path);
  const tracks = byPath(requests, "/users/track") as Array<{ attributes?: Array<Record<string, unknown>>; events?: Array<Record<string, unknown>> }>;
  assert.equal(
    tracks.flatMap((body) => [...(body.attributes ?? []), ...(body.events ?? [])].map((object) => object.external_id)),
    ["u-erin-3", "u-erin-3"],
  );
  assert.ok(paths.indexOf("/users/external_ids/rename") < paths.indexOf("/users/track"));
  assert.ok(paths.lastIndexOf("/users/track") < paths.indexOf("/users/external_ids/remove"));
  assert.equal(byPath(requests, "/users/external_ids/remove"), [{ external_ids: ["u-erin-2"] }]);
  const after = await held(context, "u-erin-3");
  assert.equal(after.custom, { plan: "pro" });
  assert.is((after.events as unknown[]).length, 2, "the new event once, the old one not again");
  await context.stack.preview({ expectNoChanges: true });
});

Rename(
  "a rename whose answer is lost: the record keeps the old id, and the next up finds the new one in Braze, renames nothing twice and removes the old id",
  async (context) => {
    const proxy = await startLossyProxy(context.braze.url, (route) => route === "/users/external_ids/rename");
    try {
      const current = {
        ...renamed,
        external_id: "u-erin-3",
        attributes: { first_name: "Erin", plan: "pro" },
        events: [rental, { id: "erin-movie-2", name: "rented_movie", time: "2024-05-02T10:00:00Z" }],
      };
      await context.stack.setConfig({ "braze:restEndpoint": { value: proxy.url } });
      context.writeUsers([{ ...current, external_id: "u-erin-4" }]);
      const failed = await context.stack.up().then(
        () => undefined,
        (error: Error) => error,
      );
      assert.ok(failed, "the up whose rename got no answer fails");
      assert.match(failed!.message, /users\.erin: its external_id was not renamed: POST \/users\/external_ids\/rename: no answer/);
      assert.ok(proxy.dropped > 0);
      assert.equal([...recordedUsers(await context.stack.exportState()).keys()], ["u-erin-3"], "the record keeps the old id: whether Braze renamed is unknown");
      assert.ok(await profile(context, "u-erin-4"), "braze-local did rename it");
      const lost = await context.braze.newRequests();
      assert.equal(
        lost.filter((request) => request.path === "/users/track" || request.path === "/users/external_ids/remove"),
        [],
        "nothing is sent for the user until its rename is known",
      );

      await context.stack.setConfig({ "braze:restEndpoint": { value: context.braze.url } });
      await context.stack.up();
      const requests = await context.braze.newRequests();
      assert.equal(
        requests.map((request) => request.path).sort(),
        ["/users/export/ids", "/users/export/ids", "/users/external_ids/remove"],
        "both ids read, no second rename, the old id removed",
      );
      assert.equal(byPath(requests, "/users/external_ids/remove"), [{ external_ids: ["u-erin-3"] }]);
      const after = await held(context, "u-erin-4");
      assert.equal(after.custom, { plan: "pro" });
      assert.is((after.events as unknown[]).length, 2, "no event logged again");
      assert.equal([...recordedUsers(await context.stack.exportState()).keys()], ["u-erin-4"]);
      await context.stack.preview({ expectNoChanges: true });
    } finally {
      await proxy.close();
    }
  },
);

Rename.run();
