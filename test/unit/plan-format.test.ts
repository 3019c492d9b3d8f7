// The plan's outputs on one fixed example with every kind of change
// (support/plan-example.ts): the markdown a pull request shows and the JSON a
// machine reads, checked whole, so any change to either is a visible diff here.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatJson } from "../../plan/format-json";
import { formatMarkdown, MAX_ROWS } from "../../plan/format-markdown";
import { formatTable } from "../../plan/format-table";
import { buildReport } from "../../plan/plan-report";
import { examplePlanInput } from "./support/plan-example";

const Format = suite("plan formats");

const MARKDOWN = `### Braze plan for stack \`dev\`

**Users:** 3 to create, 2 to update, 1 to rename, 2 to delete, 2 unchanged, 1 to forget (declared elsewhere, not deleted)  
**Requests:** /users/track 3, /users/delete 1, /users/alias/update 1, /users/export/ids 4  
**Data points:** 11  
**Budgets:** ✅ 2 of at most 10 deletes, 11 of at most 100 data points: within budgets: up sends this plan

| | set | key | alias | data points | what changes |
|---|---|---|---|---:|---|
| + create | \`staff\` | \`qa/eve\` | \`qa/eve\` | 1 | attribute first\\_name: "Eve" |
| ~ rename | \`users\` | \`qa-cy\` | \`qa/cyrus\` | 1 | attribute loyalty: {"points":10,"tier":"silver"} → {"points":10,"tier":"gold"}<br>_renamed from qa/cy_ |
| ~ update | \`users\` | \`qa/ada\` | \`qa/ada\` | 3 | attribute email\\_subscribe: no longer managed (Braze keeps "opted\\_in"; nothing sent)<br>attribute plan: "free" → "pro"<br>attribute seats: 2 → removed (sent as null)<br>subscription group newsletter: "subscribed" → "unsubscribed"<br>subscription group offers: no longer managed (Braze keeps "subscribed"; nothing sent)<br>event first-order: {"name":"ordered","time":"2024-05-01T10:00:00Z"}<br>event old-login: left the file (Braze keeps what it logged; nothing sent) |
| - delete | \`users\` | \`qa/bob\` | \`qa/bob\` | 0 |  |
| - delete | \`users\` | \`qa/dan\` | \`qa/dan\` | 0 | _the alias label changed (qa/dan to vip/dan): the Braze user qa/dan is deleted, with everything it holds, and a new one created_ |
| + create | \`users\` | \`qa/dan\` | \`vip/dan\` | 1 | attribute first\\_name: "Dan"<br>_the alias label changed (qa/dan to vip/dan): Braze cannot relabel, so the Braze user qa/dan is deleted and a new one, vip/dan, created_ |
|  forget | \`users\` | \`qa/eve\` | \`qa/eve\` | 0 | _leaves this set but BrazeUserSet "staff" declares it: not deleted, nothing sent_ |
| ~ update | \`users\` | \`qa/hal\` | \`qa/hal\` | 1 | attribute city: "Lyon" (sent again: its last request's outcome is unknown) |
| + create | \`users\` | \`qa/ivy\` | \`qa/ivy\` | 4 | attribute first\\_name: "Ivy"<br>attribute tags: ["beta","vip"]<br>subscription group newsletter: "subscribed"<br>purchase p1: {"currency":"USD","price":9.99,"product\\_id":"plan-pro","properties":{"coupon":"WELCOME"},"time":"2024-06-01T00:00:00Z"} |

> renames: /users/export/ids is counted for one check of the aliases before and one after renaming; Braze applies renames asynchronously, so a slow workspace takes further exports of the same aliases (no data points)
> planned against what state records; add --refresh to read Braze first and plan against what it holds (reads only)
`;

const attribute = (name: string, change: string, values: { from?: unknown; to?: unknown }) => ({ kind: "attribute", name, change, ...values });
const group = (name: string, change: string, values: { from?: unknown; to?: unknown }) => ({ kind: "subscription_group", name, change, ...values });
const track = ["/users/track"];

const JSON_DOCUMENT = {
  stack: "dev",
  users: { create: 3, update: 2, rename: 1, identify: 0, rename_external_id: 0, delete: 2, unchanged: 2, forget: 1 },
  requests: {
    "/users/track": 3,
    "/users/delete": 1,
    "/users/alias/update": 1,
    "/users/export/ids": 4,
    "/users/alias/new": 0,
    "/users/identify": 0,
    "/users/external_ids/rename": 0,
    "/users/external_ids/remove": 0,
    "/subscription/status/get": 0,
  },
  data_points: 11,
  budgets: { max_deletes: 10, max_data_points: 100, deletes: 2, data_points: 11, within: true, exceeded: [], verdict: "within budgets: up sends this plan" },
  changes: [
    {
      set: "staff",
      key: "qa/eve",
      alias: { name: "eve", label: "qa" },
      action: "create",
      data_points: 1,
      sends: track,
      parts: [attribute("first_name", "added", { to: "Eve" })],
    },
    {
      set: "users",
      key: "qa-cy",
      alias: { name: "cyrus", label: "qa" },
      action: "rename",
      data_points: 1,
      sends: ["/users/track", "/users/alias/update", "/users/export/ids"],
      parts: [attribute("loyalty", "modified", { from: { points: 10, tier: "silver" }, to: { points: 10, tier: "gold" } })],
      renamed_from: { name: "cy", label: "qa" },
    },
    {
      set: "users",
      key: "qa/ada",
      alias: { name: "ada", label: "qa" },
      action: "update",
      data_points: 3,
      sends: ["/users/track", "/users/export/ids"],
      parts: [
        attribute("email_subscribe", "released", { from: "opted_in" }),
        attribute("plan", "modified", { from: "free", to: "pro" }),
        attribute("seats", "removed", { from: 2 }),
        group("newsletter", "modified", { from: "subscribed", to: "unsubscribed" }),
        group("offers", "released", { from: "subscribed" }),
        { kind: "event", name: "first-order", change: "added", to: { name: "ordered", time: "2024-05-01T10:00:00Z" } },
        { kind: "event", name: "old-login", change: "released" },
      ],
    },
    { set: "users", key: "qa/bob", alias: { name: "bob", label: "qa" }, action: "delete", data_points: 0, sends: ["/users/delete"], parts: [] },
    {
      set: "users",
      key: "qa/dan",
      alias: { name: "dan", label: "qa" },
      action: "delete",
      data_points: 0,
      sends: ["/users/delete"],
      parts: [],
      note: "the alias label changed (qa/dan to vip/dan): the Braze user qa/dan is deleted, with everything it holds, and a new one created",
    },
    {
      set: "users",
      key: "qa/dan",
      alias: { name: "dan", label: "vip" },
      action: "create",
      data_points: 1,
      sends: track,
      parts: [attribute("first_name", "added", { to: "Dan" })],
      note: "the alias label changed (qa/dan to vip/dan): Braze cannot relabel, so the Braze user qa/dan is deleted and a new one, vip/dan, created",
    },
    {
      set: "users",
      key: "qa/eve",
      alias: { name: "eve", label: "qa" },
      action: "forget",
      data_points: 0,
      sends: [],
      parts: [],
      note: 'leaves this set but BrazeUserSet "staff" declares it: not deleted, nothing sent',
    },
    {
      set: "users",
      key: "qa/hal",
      alias: { name: "hal", label: "qa" },
      action: "update",
      data_points: 1,
      sends: track,
      parts: [attribute("city", "resent", { to: "Lyon" })],
    },
    {
      set: "users",
      key: "qa/ivy",
      alias: { name: "ivy", label: "qa" },
      action: "create",
      data_points: 4,
      sends: ["/users/track", "/users/export/ids"],
      parts: [
        attribute("first_name", "added", { to: "Ivy" }),
        attribute("tags", "added", { to: ["beta", "vip"] }),
        group("newsletter", "added", { to: "subscribed" }),
        {
          kind: "purchase",
          name: "p1",
          change: "added",
          to: { currency: "USD", price: 9.99, product_id: "plan-pro", properties: { coupon: "WELCOME" }, time: "2024-06-01T00:00:00Z" },
        },
      ],
    },
  ],
  not_planned: [],
  notes: [
    "renames: /users/export/ids is counted for one check of the aliases before and one after renaming; Braze applies renames asynchronously, so a slow workspace takes further exports of the same aliases (no data points)",
    "planned against what state records; add --refresh to read Braze first and plan against what it holds (reads only)",
  ],
  changes_anything: true,
};

Format("markdown: the totals, the verdict, one row per changed user with its parts (events and purchases too), a label change as a delete and a create", () => {
  assert.fixture(formatMarkdown(buildReport(examplePlanInput())), MARKDOWN);
});

Format("json: the documented contract, every value whole", () => {
  const text = formatJson(buildReport(examplePlanInput()));
  assert.ok(text.endsWith("}\n"));
  assert.equal(JSON.parse(text), JSON_DOCUMENT);
});

Format("json: an email-only or phone-only user is named by its address", () => {
  const report = buildReport(examplePlanInput());
  const changes = report.changes.map((change, index) =>
    index === 0 ? { ...change, alias: undefined, email: "lead@example.com" } : index === 1 ? { ...change, alias: undefined, phone: "+15043277270" } : change,
  );
  const document = JSON.parse(formatJson({ ...report, changes }));
  assert.equal(
    [document.changes[0].email, document.changes[0].alias, document.changes[1].phone, "email" in document.changes[2]],
    ["lead@example.com", null, "+15043277270", false],
  );
});

Format("table: totals first, then each changed user followed by its parts and remarks", () => {
  const lines = formatTable(buildReport(examplePlanInput())).split("\n");
  assert.equal(lines.slice(0, 9), [
    'Plan for stack dev: what "pulumi up" sends to Braze',
    "",
    "Users:        3 to create, 2 to update, 1 to rename, 2 to delete, 2 unchanged, 1 to forget (declared elsewhere, not deleted)",
    "Requests:     /users/track 3, /users/delete 1, /users/alias/update 1, /users/export/ids 4",
    "Data points:  11",
    "Budgets:      2 of at most 10 deletes, 11 of at most 100 data points: within budgets: up sends this plan",
    "",
    "  ACTION  SET    KEY     ALIAS     DATA POINTS",
    "+ create  staff  qa/eve  qa/eve    1",
  ]);
  assert.ok(
    lines.includes("      (the alias label changed (qa/dan to vip/dan): the Braze user qa/dan is deleted, with everything it holds, and a new one created)"),
  );
  assert.ok(lines.includes("      attribute seats: 2 → removed (sent as null)"));
});

Format(`markdown: a plan longer than ${MAX_ROWS} rows lists ${MAX_ROWS} and counts the rest`, () => {
  const input = examplePlanInput();
  const users = Object.fromEntries(Array.from({ length: MAX_ROWS + 5 }, (_, i) => [`qa/u${i}`, JSON.stringify({ alias: { label: "qa", name: `u${i}` } })]));
  input.sets = [{ name: "users", operation: "create", record: { users: {}, unsure: {}, logs: {} }, desired: users }];
  const markdown = formatMarkdown(buildReport(input));
  assert.is(markdown.split("\n").filter((line) => line.startsWith("| + create")).length, MAX_ROWS);
  assert.ok(markdown.includes(`… and 5 more changed users (\`braze-profiles plan\` lists them all).`));
});

Format("markdown: a value holding | or a line break cannot break the table", () => {
  const input = examplePlanInput();
  input.sets = [
    {
      name: "users",
      operation: "create",
      record: { users: {}, unsure: {}, logs: {} },
      desired: { "qa/x": JSON.stringify({ alias: { label: "qa", name: "x" }, attributes: { motto: "a|b\nc" } }) },
    },
  ];
  const row = formatMarkdown(buildReport(input))
    .split("\n")
    .find((line) => line.startsWith("| + create"));
  assert.is(row, '| + create | `users` | `qa/x` | `qa/x` | 1 | attribute motto: "a\\|b\\\\nc" |'); // JSON's \n, its backslash escaped for markdown
});

Format.run();
