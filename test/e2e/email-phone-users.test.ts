// Email-only and phone-only users in the root program's set, end to end: the
// real engine, braze-local, and the exact requests of each run.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LoggedRequest } from "../harness/local-braze";
import { recordedUsers } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const rental = { id: "ada-rental", name: "rented_movie", time: "2024-05-01T10:00:00Z" };
const ada = { email: "ada@example.com", attributes: { first_name: "Ada", plan: "free" }, events: [rental] };
const eve = { email: "eve@example.com", attributes: { first_name: "Eve" } };
const bob = { phone: "+15043277269", attributes: { first_name: "Bob" } };

const Addressed = suite<YamlStack>("email-only and phone-only users in a set");
const paths = (requests: LoggedRequest[]) => requests.map((request) => request.path);
const byPath = (requests: LoggedRequest[], path: string) => requests.filter((request) => request.path === path).map((request) => request.body);

Addressed.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "addressed" }));
});
Addressed.after(async (context) => context.close?.());

Addressed("create: by email and by phone with _update_existing_only false, the event once Braze shows the user", async (context) => {
  context.writeUsers([ada, eve, bob]);
  await context.braze.newRequests();
  await context.stack.up();
  const requests = await context.braze.newRequests();
  const [attributes, track] = byPath(requests, "/users/track") as Array<Record<string, unknown>>;
  assert.equal(attributes, {
    attributes: [
      { phone: "+15043277269", _update_existing_only: false, first_name: "Bob" },
      { email: "ada@example.com", _update_existing_only: false, first_name: "Ada", plan: "free" },
      { email: "eve@example.com", _update_existing_only: false, first_name: "Eve" },
    ],
  });
  assert.equal(track, { events: [{ email: "ada@example.com", _update_existing_only: true, name: "rented_movie", time: "2024-05-01T10:00:00Z" }] });
  for (const body of byPath(requests, "/users/export/ids") as Array<Record<string, unknown>>) {
    assert.equal(Object.keys(body).sort(), ["email_address", "fields_to_export"], "one address per export request");
  }
  const users = await context.braze.users();
  assert.equal(users.map((user) => [user.email, user.phone, user.external_id]).sort(), [
    [null, "+15043277269", null],
    ["ada@example.com", null, null],
    ["eve@example.com", null, null],
  ]);
  assert.equal([...recordedUsers(await context.stack.exportState()).keys()].sort(), ["+15043277269", "ada@example.com", "eve@example.com"]);
});

Addressed("the same file again: no change previewed, no request", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.equal(await context.braze.newRequests(), []);
});

Addressed("one attribute changed: exactly that object, addressed by email, _update_existing_only true", async (context) => {
  context.writeUsers([{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }, eve, bob]);
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((request) => [request.path, request.body]),
    [["/users/track", { attributes: [{ email: "ada@example.com", _update_existing_only: true, plan: "pro" }] }]],
  );
});

Addressed("refresh reads each address in a request of its own and finds no drift", async (context) => {
  await context.stack.refresh();
  const requests = await context.braze.newRequests();
  assert.equal(paths(requests), ["/users/export/ids", "/users/export/ids", "/users/export/ids"]);
  assert.equal(requests.map((request) => (request.body as Record<string, unknown>).email_address ?? (request.body as Record<string, unknown>).phone).sort(), [
    "+15043277269",
    "ada@example.com",
    "eve@example.com",
  ]);
  await context.stack.preview({ expectNoChanges: true });
});

Addressed("a refresh that finds two profiles with one address names the user, the address and the count, and records neither", async (context) => {
  await context.braze.post("/users/track", { attributes: [{ external_id: "someone-else", email: "eve@example.com" }] });
  const before = await context.stack.exportState();
  const failed = await context.stack.refresh().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failed, "the refresh fails");
  assert.match(String(failed?.message), /user eve@example\.com: 2 Braze profiles hold email eve@example\.com, so which one is this user cannot be told/);
  assert.equal(recordedUsers(await context.stack.exportState()), recordedUsers(before), "nothing recorded");
  await context.braze.post("/users/delete", { external_ids: ["someone-else"] });
  await context.braze.newRequests();
});

Addressed("a removed email-only user: exactly one /users/delete by email_addresses with its prioritization", async (context) => {
  context.writeUsers([{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }, bob]);
  await context.braze.newRequests();
  await context.stack.up();
  const requests = await context.braze.newRequests();
  assert.equal(
    requests.map((request) => [request.path, request.body]),
    [["/users/delete", { email_addresses: [{ email: "eve@example.com", prioritization: ["unidentified", "most_recently_updated"] }] }]],
  );
  assert.equal((await context.braze.users()).map((user) => user.email ?? user.phone).sort(), ["+15043277269", "ada@example.com"]);
});

Addressed("two users resolving to one profile are refused, naming both, with no request sent", async (context) => {
  context.writeUsers([{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }, bob, { external_id: "u-ada", attributes: { email: "ada@example.com" } }]);
  await context.braze.newRequests();
  const failed = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failed, "the up fails");
  assert.match(String(failed?.message), /users\.yaml:15:14 users\[2\] \(u-ada\)\.attributes\.email/);
  assert.match(String(failed?.message), /resolves to the same Braze profile as users\[0\] \(ada@example\.com\)/);
  assert.equal(await context.braze.newRequests(), []);
});

Addressed(
  "an email-only user given an external_id under the same key is identified in place: one /users/identify by emails_to_identify, nothing deleted",
  async (context) => {
    const carol = { key: "carol", email: "carol@example.com", attributes: { first_name: "Carol" } };
    const kept = [{ ...ada, attributes: { first_name: "Ada", plan: "pro" } }, bob];
    context.writeUsers([...kept, carol]);
    await context.stack.up();
    const before = (await context.braze.users()).find((user) => user.email === "carol@example.com");
    await context.braze.newRequests();
    context.writeUsers([...kept, { key: "carol", external_id: "u-carol", attributes: { first_name: "Carol" } }]);
    await context.stack.up();
    const requests = await context.braze.newRequests();
    assert.equal(
      requests.map((request) => [request.path, request.body]),
      [
        ["/users/export/ids", { external_ids: ["u-carol"], fields_to_export: ["email", "external_id", "user_aliases"] }],
        [
          "/users/identify",
          { emails_to_identify: [{ external_id: "u-carol", email: "carol@example.com", prioritization: ["unidentified", "most_recently_updated"] }] },
        ],
      ],
    );
    const after = (await context.braze.users()).find((user) => user.external_id === "u-carol");
    assert.ok(before?.braze_id !== undefined && after?.braze_id === before?.braze_id, "the same profile");
    assert.is(after?.email, "carol@example.com");
    await context.stack.preview({ expectNoChanges: true });
    await context.stack.up();
    assert.equal(await context.braze.newRequests(), [], "the next up sends nothing");
  },
);

Addressed.run();
