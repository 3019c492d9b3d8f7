// Which deleted and created users of a set's plan look like one user renamed
// without a key (provider/delta/likely-renames.ts), and where the plan, the
// preview's summary and its changes say so.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { likelyRenames, likelyRenamesOf, stableKeyFor } from "../../provider/delta/likely-renames";
import { planSet } from "../../provider/delta/plan-set";
import { setChanges } from "../../provider/delta/set-changes";
import { setSummary } from "../../provider/delta/set-summary";
import { storedText } from "../../provider/encoding/stored-text";
import { userToText } from "../../provider/encoding/user-text";
import type { ManagedUser } from "../../provider/model";
import { buildReport } from "../../plan/plan-report";

const user = (label: string, name: string, attributes: Record<string, unknown> = { first_name: name }): ManagedUser => ({
  alias: { name, label },
  attributes: attributes as ManagedUser["attributes"],
  subscriptionGroups: {},
});
const keyed = (u: ManagedUser) => ({ key: `${u.alias!.label}/${u.alias!.name}`, user: u });
const texts = (users: ManagedUser[]) =>
  Object.fromEntries(users.map((u) => [`${u.alias!.label}/${u.alias!.name}`, storedText(`${u.alias!.label}/${u.alias!.name}`, userToText(u))]));
const record = (users: ManagedUser[]) => ({ users: texts(users), unsure: {}, logs: {} });

const Renames = suite("likely renames");

Renames("the same alias name under another label is a likely relabel, with the key line that keeps one user", () => {
  const [rename] = likelyRenames([keyed(user("qa", "ada"))], [keyed(user("vip", "ada", { first_name: "Ada", plan: "pro" }))]);
  assert.equal(rename, {
    deleted: "qa/ada",
    created: "vip/ada",
    kind: "relabel",
    keyLine: "key: ada",
    note:
      'looks like a rename: qa/ada is deleted and vip/ada created, the same alias name under another label; to keep one user, put the old alias back, add "key: ada" to its entry and run "pulumi up" (the user only moves to that key), ' +
      "then change its alias under that key: Braze cannot relabel an alias, so under a key it is one replaced user, said as such",
  });
});

Renames("the same attributes under another alias name is a likely rename in place", () => {
  const renames = likelyRenames(
    [keyed(user("qa", "ada", { first_name: "Ada", tags: ["a", "b"] }))],
    [keyed(user("qa", "ada-l", { tags: ["a", "b"], first_name: "Ada" }))],
  );
  assert.equal(
    renames.map(({ deleted, created, kind, keyLine }) => [deleted, created, kind, keyLine]),
    [["qa/ada", "qa/ada-l", "rename", "key: ada"]],
  );
  assert.match(renames[0].note, "under a key its alias is renamed in place (/users/alias/update), keeping its profile and logged history");
});

Renames("different attributes under another name, no attributes, identified users and a deleted user already paired are not renames", () => {
  assert.equal(likelyRenames([keyed(user("qa", "ada"))], [keyed(user("qa", "bob"))]), []);
  assert.equal(likelyRenames([keyed(user("qa", "ada", {}))], [keyed(user("qa", "bob", {}))]), []);
  const identified = { ...user("qa", "ada"), externalId: "u-1" };
  assert.equal(likelyRenames([{ key: "u-1", user: identified }], [keyed(user("vip", "ada"))]), []);
  const once = likelyRenames([keyed(user("qa", "ada"))], [keyed(user("vip", "ada")), keyed(user("gold", "ada"))]);
  assert.equal(
    once.map(({ created }) => created),
    ["vip/ada"],
    "one deleted user pairs once, with the first created user given",
  );
});

Renames("a stable key is made of the characters the schema allows", () => {
  assert.equal([stableKeyFor("ada"), stableKeyFor("-ada lovelace@x"), stableKeyFor("@@")], ["ada", "ada-lovelace-x", "user"]);
});

Renames("a set's plan of a relabel: likelyRenamesOf finds the pair, the summary and the preview's changes say so", () => {
  const old = user("qa", "ada");
  const next = user("vip", "ada");
  const plan = planSet(record([old, user("qa", "kept")]), texts([next, user("qa", "kept")]));
  assert.equal(
    plan.changes.map((change) => [change.action, change.key]),
    [
      ["delete", "qa/ada"],
      ["create", "vip/ada"],
    ],
  );
  const [rename] = likelyRenamesOf(plan);
  assert.equal([rename.deleted, rename.created], ["qa/ada", "vip/ada"]);
  const summary = setSummary(plan, undefined);
  assert.equal(summary.slice(0, 2), ["users: 1 to create, 0 to update (1 data points), 1 to delete", `  ? vip/ada: ${rename.note}`]);
  const changes = setChanges(texts([old]), texts([next]), ["vip/ada"]);
  assert.equal(changes, { "1 vip/ada": { user: "created", note: rename.note }, "2 qa/ada": { user: "deleted" } });
});

Renames("braze-profiles plan notes the likely rename on the created user, and that up refuses it", () => {
  const report = buildReport({
    stack: "dev",
    sets: [{ name: "users", operation: "update", record: record([user("qa", "ada")]), desired: texts([user("vip", "ada")]) }],
    declarations: new Map(),
    trackCaps: { perArray: 50, combined: 50 },
    budgets: { maxDeletes: 10 },
    unplanned: [],
    refreshed: true,
  });
  const created = report.changes.find((change) => change.action === "create")!;
  assert.match(created.note ?? "", "looks like a rename: qa/ada is deleted and vip/ada created");
  assert.ok(
    report.notes.some((note) => note.includes("unless braze:allowLikelyRenames is true")),
    report.notes.join("\n"),
  );
});

Renames.run();
