// The plan is exact: over a seeded random walk of desired states (creates,
// updates, renames, label changes, removals, events and purchases added and
// removed, an unchanged step), the plan made before each `pulumi up` predicts
// exactly what braze-local then counts for that up: data points, requests per
// endpoint, users created, updated, renamed and deleted, events and purchases
// logged. Making the plan sends nothing. Set PLAN_WALK_SEED to replay a walk.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { PlanReport } from "../../plan/plan-report";
import { ENDPOINTS } from "../../plan/plan-report";
import type { LoggedRequest } from "../harness/local-braze";
import { planReport } from "../harness/plan-command";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";
import { seededRandom } from "../harness/seeded-random";

const SEED = Number(process.env.PLAN_WALK_SEED ?? Date.now() % 1_000_000);
const STEPS = 6;
const USERS = 30;

interface Member {
  key?: string;
  alias: { name: string; label: string };
  attributes: Record<string, unknown>;
  subscription_groups: Record<string, "subscribed" | "unsubscribed">;
  events?: Array<{ id: string; name: string; time: string; properties?: Record<string, unknown> }>;
  purchases?: Array<{ id: string; product_id: string; currency: string; price: number; time: string; quantity?: number; properties?: Record<string, unknown> }>;
}

class Walk {
  readonly #random: () => number;
  #serial = 0;
  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }
  chance(p: number): boolean {
    return this.#random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)];
  }
  int(max: number): number {
    return Math.floor(this.#random() * max);
  }
  member(): Member {
    const n = (this.#serial += 1);
    const member: Member = {
      alias: { name: `walker-${n}`, label: this.pick(["qa", "staging"]) },
      attributes: { first_name: `Walker ${n}`, plan: this.pick(["free", "pro"]), seats: this.int(9) + 1 },
      subscription_groups: { "group-news": this.pick(["subscribed", "unsubscribed"] as const) },
    };
    if (this.chance(0.5)) member.key = `k-${n}`;
    if (this.chance(0.5)) member.attributes.tags = this.pick([["a"], ["a", "b"], ["c", "b", "a"]]);
    if (this.chance(0.5)) member.attributes.loyalty = { tier: this.pick(["bronze", "gold"]), points: this.int(100), since: { year: 2020 + this.int(5) } };
    if (this.chance(0.3)) member.attributes.email_subscribe = this.pick(["opted_in", "unsubscribed"]);
    if (this.chance(0.3)) member.events = [this.event()];
    if (this.chance(0.2)) member.purchases = [this.purchase()];
    return member;
  }
  event(): NonNullable<Member["events"]>[number] {
    const n = (this.#serial += 1);
    return {
      id: `e${n}`,
      name: this.pick(["signed_up", "played"]),
      time: this.pick(["2024-05-01T10:00:00Z", "-3d"]),
      ...(this.chance(0.5) ? { properties: { level: this.int(9) } } : {}),
    };
  }
  purchase(): NonNullable<Member["purchases"]>[number] {
    const n = (this.#serial += 1);
    const properties = this.pick([{}, { coupon: "WELCOME" }, { coupon: "X", gift: true }]);
    return {
      id: `p${n}`,
      product_id: this.pick(["plan-pro", "seat"]),
      currency: "USD",
      price: 9.99,
      time: "2024-06-01T00:00:00Z",
      ...(this.chance(0.3) ? { quantity: 2 } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  }
  /** One user changed in one of the ways a file is edited. */
  edit(member: Member): Member {
    const next: Member = structuredClone(member);
    switch (this.int(9)) {
      case 0:
        next.attributes.plan = next.attributes.plan === "pro" ? "enterprise" : "pro";
        break;
      case 1:
        delete next.attributes.seats;
        next.attributes.city = this.pick(["Lyon", "Oslo"]);
        break;
      case 2:
        next.attributes.tags = this.pick([["a", "z"], [], ["b"]]);
        break;
      case 3:
        next.attributes.loyalty = { tier: "platinum", points: this.int(100), since: { year: 2024 } };
        break;
      case 4:
        next.subscription_groups = {
          "group-news": next.subscription_groups["group-news"] === "subscribed" ? "unsubscribed" : "subscribed",
          "group-offers": "subscribed",
        };
        break;
      case 5:
        // Released: Braze keeps the last state, nothing is sent for it.
        delete next.attributes.email_subscribe;
        next.subscription_groups = {};
        break;
      case 6:
        // Logged once, whatever comes next: a new id is a new occurrence.
        next.events = [...(next.events ?? []), this.event()];
        if (this.chance(0.5)) next.purchases = [...(next.purchases ?? []), this.purchase()];
        break;
      case 7:
        // Removed from the file: forgotten, nothing sent (Braze cannot delete a logged event).
        next.events = (next.events ?? []).slice(1);
        break;
      default:
        next.attributes.first_name = `${String(next.attributes.first_name)}!`;
    }
    return next;
  }
  /** The next desired state: a few of each kind of change (`everyKind`: at least one rename and one label change), or none at all. */
  step(users: Member[], unchanged: boolean, everyKind = false): Member[] {
    if (unchanged) return users;
    const next: Member[] = [];
    // Both forced on users with their own key: a keyless user's key changes with
    // its label, so that change is a new user and a removed one, not a relabel.
    const [renamed, relabelled] = everyKind ? users.filter((member) => member.key !== undefined) : [];
    for (const member of users) {
      const roll = member === renamed ? 0.1 : member === relabelled ? 0.15 : this.#random();
      if (roll < 0.08) continue; // removed
      if (roll < 0.13 && member.key !== undefined)
        next.push({ ...this.edit(member), alias: { ...member.alias, name: `${member.alias.name}-r` } }); // renamed in place
      else if (roll < 0.17)
        next.push({ ...member, alias: { ...member.alias, label: member.alias.label === "qa" ? "staging" : "qa" } }); // label changed
      else if (roll < 0.4) next.push(this.edit(member));
      else next.push(member);
    }
    for (let added = this.int(4); added > 0; added -= 1) next.push(this.member());
    return next;
  }
}

/** What braze-local counted for one up, in the plan's terms. */
function counted(requests: LoggedRequest[]) {
  const bodies = (path: string) =>
    requests.filter((request) => request.path === path).map((request) => request.body as Record<string, Array<Record<string, unknown>>>);
  const tracked = bodies("/users/track");
  const objects = tracked.flatMap((body) => body.attributes ?? []);
  return {
    created: objects.filter((object) => object._update_existing_only === false).length,
    updated: objects.filter((object) => object._update_existing_only === true).length,
    deleted: bodies("/users/delete").flatMap((body) => body.user_aliases).length,
    renamed: bodies("/users/alias/update").flatMap((body) => body.alias_updates).length,
    events: tracked.flatMap((body) => body.events ?? []).length,
    purchases: tracked.flatMap((body) => body.purchases ?? []).length,
  };
}

function predicted(report: PlanReport) {
  // An attributes object goes with a change when one of its attributes or groups is sent (a release sends nothing).
  const sendsObject = (change: PlanReport["changes"][number]) =>
    change.parts.some((part) => (part.kind === "attribute" || part.kind === "subscription_group") && part.change !== "released");
  const withObject = (action: string) => report.changes.filter((change) => change.action === action && (action === "create" || sendsObject(change))).length;
  const logged = (kind: string) =>
    report.changes.flatMap((change) => change.parts).filter((part) => part.kind === kind && (part.change === "added" || part.change === "checked")).length;
  return {
    created: withObject("create"),
    updated: withObject("update") + withObject("rename"),
    deleted: report.users.delete,
    renamed: report.users.rename,
    events: logged("event"),
    purchases: logged("purchase"),
  };
}

const Exact = suite<YamlStack & { users: Member[] }>(`plan is exact: a ${STEPS}-step walk over ~${USERS} users (seed ${SEED})`);

Exact.before(async (context) => {
  // The walk relabels users without a key on purpose: the plan counts what such an up sends.
  const config = { "braze:maxDeletes": { value: "1000" }, "braze:allowLikelyRenames": { value: "true" } };
  Object.assign(context, await startYamlStack({ projectName: "plan-exact", config }), { users: [] });
});
Exact.after(async (context) => context.close?.());

Exact("at every step the plan's data points, requests per endpoint and users per action equal braze-local's count for the up", async (context) => {
  const walk = new Walk(SEED);
  const shapes = new Set<string>();
  let labelChanges = 0;
  const entryKinds = new Set<string>();
  let users = Array.from({ length: USERS }, () => walk.member());
  for (let step = 0; step < STEPS; step += 1) {
    if (step > 0) users = walk.step(users, step === 3, step === 1);
    context.writeUsers(users);
    const where = `seed ${SEED} (PLAN_WALK_SEED=${SEED} replays it), step ${step}`;
    await fetch(`${context.braze.url}/_local/reset-log`, { method: "POST" });
    const report = await planReport(context.stack, { BRAZE_REST_ENDPOINT: context.braze.url });
    assert.equal((await context.braze.requests()).length, 0, `${where}: making the plan sent nothing`);
    await context.stack.up();
    const stats = (await context.braze.stats()) as { requests: { by_path: Record<string, number> }; data_points: { total: number } };
    const requests = await context.braze.requests();
    assert.is(report.dataPoints, stats.data_points.total, `${where}: data points`);
    assert.equal(
      report.requests,
      Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, stats.requests.by_path[endpoint] ?? 0])),
      `${where}: requests per endpoint`,
    );
    assert.equal(
      Object.keys(stats.requests.by_path).filter((path) => !(ENDPOINTS as readonly string[]).includes(path)),
      [],
      `${where}: no other endpoint`,
    );
    assert.equal(predicted(report), counted(requests), `${where}: users per action`);
    if (step === 3) assert.is(report.changesAnything, false, `${where}: an unchanged step plans nothing`);
    for (const change of report.changes) shapes.add(change.action);
    for (const part of report.changes.flatMap((change) => change.parts)) entryKinds.add(part.kind);
    labelChanges += report.changes.filter((change) => change.note?.startsWith("the alias label changed")).length;
  }
  assert.ok(
    ["create", "update", "rename", "delete"].every((action) => shapes.has(action)),
    `seed ${SEED}: the walk met only ${[...shapes].join(", ")}`,
  );
  assert.ok(labelChanges > 0, `seed ${SEED}: the walk changed no label`);
  assert.ok(entryKinds.has("event") && entryKinds.has("purchase"), `seed ${SEED}: the walk logged no ${entryKinds.has("event") ? "purchase" : "event"}`);
  context.users = users;
});

Exact.run();
