// The round trip issue 29 promises: users made outside Pulumi (alias-only,
// identified, email-only; nested attributes, dates, arrays; subscription groups) are read into a file
// by `braze-profiles import`, and `pulumi up` with that file takes them over
// without a single /users/track request or data point; the preview after it
// shows no change, and one attribute changed in the file sends exactly one object.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parseDocument } from "yaml";
import { DEVELOPMENT_API_KEY } from "../../server";
import { recordedUsers, unsureUsers } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

const BIN = path.resolve(__dirname, "../../..", "bin", "braze-profiles.js");
const LABEL = "seeded";
const ALIAS_ONLY = 120;
const IDENTIFIED = 150;
const EMAIL_ONLY = 30;

const aliasName = (index: number) => `lead-${String(index).padStart(3, "0")}`;
const externalId = (index: number) => `member-${String(index).padStart(3, "0")}`;
const emailOf = (index: number) => `reader-${index}@example.com`;

/** A value of every attribute kind: standard fields, a date, a date-time text, numbers, a boolean, a string array, nested objects and an array of objects. */
function attributesOf(index: number): Record<string, unknown> {
  return {
    first_name: `Persona ${index}`,
    dob: `19${String(50 + (index % 50)).padStart(2, "0")}-0${1 + (index % 9)}-1${index % 10}`,
    country: "GB",
    plan: index % 3 === 0 ? "pro" : "free",
    zip: "01234",
    score: index + 0.5,
    visits: index,
    beta: index % 2 === 0,
    signed_up_at: "2024-05-01T09:30:00Z",
    tags: ["seeded", `cohort-${index % 4}`],
    profile: { city: "London", langs: { en: true, fr: index % 2 === 1 }, level: index % 5 },
    orders: [{ id: `o-${index}`, total: 9.99 }, { id: "o-0" }],
  };
}

/** The groups seeded on identified users (two) and email-only users (one); alias-only users have none. */
const identifiedGroups = (index: number) => ({ news: "subscribed", offers: index % 2 === 0 ? "subscribed" : "unsubscribed" });
const emailOnlyGroups = { news: "unsubscribed" };
const trackGroups = (groups: Record<string, string>) => Object.entries(groups).map(([id, state]) => ({ subscription_group_id: id, subscription_state: state }));

/**
 * Runs the import in a child process. Asynchronously: braze-local answers from
 * this process's event loop, which a synchronous spawn would block until the
 * import timed out.
 */
function importInto(folder: string, url: string, lists: Record<string, string[]>, out: string): Promise<{ status: number | null; stderr: string }> {
  const args = ["import", "--endpoint", url, "--out", out];
  for (const [option, lines] of Object.entries(lists)) {
    const file = path.join(folder, `${option.slice(2)}.txt`);
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    args.push(option, file);
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: folder, env: { PATH: process.env.PATH, BRAZE_REST_API_KEY: DEVELOPMENT_API_KEY }, encoding: "utf8" },
      (error, _stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

const RoundTrip = suite<YamlStack>("import, then pulumi up: a takeover with nothing to send");

RoundTrip.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "import-round-trip" }));
  const objects = [
    ...Array.from({ length: ALIAS_ONLY }, (_, index) => ({
      user_alias: { alias_name: aliasName(index), alias_label: LABEL },
      _update_existing_only: false,
      ...attributesOf(index),
    })),
    ...Array.from({ length: IDENTIFIED }, (_, index) => ({
      external_id: externalId(index),
      ...attributesOf(1000 + index),
      subscription_groups: trackGroups(identifiedGroups(index)),
    })),
    ...Array.from({ length: EMAIL_ONLY }, (_, index) => ({
      email: emailOf(index),
      ...attributesOf(2000 + index),
      subscription_groups: trackGroups(emailOnlyGroups),
    })),
  ];
  for (let start = 0; start < objects.length; start += 50) {
    await context.braze.track({ attributes: objects.slice(start, start + 50) });
  }
  // History that import can only count: the file declares none, so none is logged again.
  await context.braze.track({ events: [{ external_id: externalId(0), name: "rented", time: "2024-05-01T10:00:00Z" }] });
});
RoundTrip.after(async (context) => context.close?.());

RoundTrip("the imported file is taken over with zero /users/track requests and zero data points; preview then shows no change", async (context) => {
  const result = await importInto(
    path.dirname(context.file),
    context.braze.url,
    {
      "--aliases": Array.from({ length: ALIAS_ONLY }, (_, index) => `${LABEL},${aliasName(index)}`),
      "--external-ids": Array.from({ length: IDENTIFIED }, (_, index) => externalId(index)),
      "--emails": Array.from({ length: EMAIL_ONLY }, (_, index) => emailOf(index)),
    },
    context.file,
  );
  assert.is(result.status, 0, result.stderr);
  const users = parseDocument(fs.readFileSync(context.file, "utf8")).toJS().users as Array<Record<string, unknown>>;
  assert.is(users.length, ALIAS_ONLY + IDENTIFIED + EMAIL_ONLY);
  assert.ok(
    users.every((user) => user.adopt === true),
    "import marks every user adopt: true",
  );
  const groupsOf = (user: Record<string, unknown>) => user.subscription_groups;
  assert.equal(groupsOf(users.find((user) => user.external_id === externalId(7))!), identifiedGroups(7));
  assert.equal(groupsOf(users.find((user) => user.email === emailOf(3))!), emailOnlyGroups);
  assert.is(users.filter((user) => user.alias !== undefined && groupsOf(user) !== undefined).length, 0, "alias-only users' groups cannot be listed");

  await context.braze.post("/_local/reset-log", {});
  const statsBefore = (await context.braze.stats()) as { data_points: { total: number } };
  await context.stack.up();
  const paths = (await context.braze.requests()).map((request) => request.path);
  assert.is(paths.filter((p) => p === "/users/track").length, 0, `no /users/track request: ${paths.join(", ")}`);
  // Aliases and external_ids are read 50 at a time, an email one per request.
  assert.is(paths.filter((p) => p === "/users/export/ids").length, Math.ceil((ALIAS_ONLY + IDENTIFIED) / 50) + EMAIL_ONLY);
  // Groups are read one group and 50 users per request: two groups of 150 identified users, one of 30 email-only users.
  assert.is(paths.filter((p) => p === "/subscription/status/get").length, 2 * Math.ceil(IDENTIFIED / 50) + 1);
  const statsAfter = (await context.braze.stats()) as { data_points: { total: number } };
  assert.is(statsAfter.data_points.total, statsBefore.data_points.total, "zero data points");

  const state = await context.stack.exportState();
  assert.equal(unsureUsers(state), []);
  const recorded = recordedUsers(state);
  assert.is(recorded.size, ALIAS_ONLY + IDENTIFIED + EMAIL_ONLY, "every user is recorded");
  assert.equal(recorded.get(externalId(7))?.attributes, { email_subscribe: "subscribed", push_subscribe: "subscribed", ...attributesOf(1007) });
  assert.equal(recorded.get(externalId(7))?.subscriptionGroups, identifiedGroups(7));

  await context.braze.post("/_local/reset-log", {});
  await context.stack.preview({ expectNoChanges: true });
  assert.equal(await context.braze.requests(), [], "the preview calls nothing");
});

RoundTrip("one attribute changed in the imported file sends exactly one object with only that attribute", async (context) => {
  const document = parseDocument(fs.readFileSync(context.file, "utf8"));
  const target = (document.get("users") as { items: Array<{ get(key: string): unknown; setIn(path: string[], value: unknown): void }> }).items.find(
    (user) => user.get("external_id") === externalId(42),
  );
  assert.ok(target, "the imported file holds member-042");
  target.setIn(["attributes", "plan"], "enterprise");
  fs.writeFileSync(context.file, document.toString());

  await context.braze.post("/_local/reset-log", {});
  await context.stack.up();
  const tracked = (await context.braze.requests()).filter((request) => request.path === "/users/track").map((request) => request.body);
  assert.equal(tracked, [{ attributes: [{ external_id: externalId(42), _update_existing_only: true, plan: "enterprise" }] }]);
  const member = (await context.braze.users()).find((user) => user.external_id === externalId(42));
  assert.is((member?.custom as Record<string, unknown> | undefined)?.plan, "enterprise");
});

RoundTrip.run();
