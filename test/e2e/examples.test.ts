// Every example in examples/ runs for real against braze-local. The expectations
// are written out by hand from the example files, not computed by the loader or
// the planner under test: the exact /users/track bodies, what braze-local then
// holds, and what Pulumi's state records.
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startLocalBraze, type LoggedRequest } from "../harness/local-braze";
import { recordedUsers } from "../harness/recorded-users";
import { createTestStack } from "../harness/test-stack";

const distRoot = path.resolve(__dirname, "..", "..");
const repoRoot = path.resolve(distRoot, "..");

/** The provider's default cap: 50 objects per /users/track request, which every Braze workspace accepts. */
const OBJECTS_PER_TRACK_REQUEST = 50;

type Body = Record<string, unknown> & { user_alias: { alias_name: string; alias_label: string } };

/** One user of an example: the object that creates it, and the user braze-local then holds. */
interface ExpectedUser {
  /** Its key in the root program's set: the user's `key`, else `label/name`. */
  key: string;
  create: Body;
  held: { attributes: Record<string, unknown>; subscriptionGroups: Record<string, string> };
}

const group = (id: string, state: string) => ({ subscription_group_id: id, subscription_state: state });
const qa = (name: string) => ({ alias_name: name, alias_label: "qa-personas" });
const seed = (name: string) => ({ alias_name: name, alias_label: "seed-checkout-tests" });

/** examples/quickstart/users.yaml, user by user. */
const QUICKSTART: ExpectedUser[] = [
  {
    key: "qa-personas/ada",
    create: {
      user_alias: qa("ada"),
      _update_existing_only: false,
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@example.com",
      email_subscribe: "opted_in",
      country: "GB",
      language: "en",
      time_zone: "Europe/London",
      dob: "1990-12-10",
      favorite_genres: ["sci-fi", "drama"],
      loyalty: { tier: "gold", points: 1200 },
      subscription_groups: [group("5e1f0a2c-newsletter", "subscribed"), group("7b2d9e41-product-updates", "unsubscribed")],
    },
    held: {
      attributes: {
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@example.com",
        email_subscribe: "opted_in",
        country: "GB",
        language: "en",
        time_zone: "Europe/London",
        dob: "1990-12-10",
        favorite_genres: ["sci-fi", "drama"],
        loyalty: { tier: "gold", points: 1200 },
      },
      subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed", "7b2d9e41-product-updates": "unsubscribed" },
    },
  },
  {
    key: "qa-bob",
    create: {
      user_alias: qa("bob"),
      _update_existing_only: false,
      first_name: "Bob",
      phone: "+15043277269",
      push_subscribe: "unsubscribed",
      gender: "M",
      trial_user: true,
      signup_source: "paid-search",
    },
    held: {
      attributes: { first_name: "Bob", phone: "+15043277269", push_subscribe: "unsubscribed", gender: "M", trial_user: true, signup_source: "paid-search" },
      subscriptionGroups: {},
    },
  },
  {
    key: "qa-chen-churned",
    create: {
      user_alias: qa("chen"),
      _update_existing_only: false,
      first_name: "Chen",
      email: "chen@example.com",
      email_subscribe: "unsubscribed",
      home_city: "Toronto",
      country: "CA",
      churned_at: "2024-03-31",
      lifetime_orders: 17,
      last_cart: { items: ["sku-1042", "sku-2210"], value: 84.5, abandoned_at: { $time: "2024-03-30T18:05:00Z" } },
      subscription_groups: [group("5e1f0a2c-newsletter", "unsubscribed")],
    },
    held: {
      attributes: {
        first_name: "Chen",
        email: "chen@example.com",
        email_subscribe: "unsubscribed",
        home_city: "Toronto",
        country: "CA",
        churned_at: "2024-03-31",
        lifetime_orders: 17,
        // A nested time is stored as the instant it names.
        last_cart: { items: ["sku-1042", "sku-2210"], value: 84.5, abandoned_at: "2024-03-30T18:05:00.000Z" },
      },
      subscriptionGroups: { "5e1f0a2c-newsletter": "unsubscribed" },
    },
  },
];

/** examples/seed-test-workspace/users.yaml, user by user. */
const SEED_TEST_WORKSPACE: ExpectedUser[] = [
  {
    key: "seed-checkout-tests/new-signup",
    create: {
      user_alias: seed("new-signup"),
      _update_existing_only: false,
      first_name: "Nia",
      email: "nia.new@example.com",
      email_subscribe: "subscribed",
      signup_completed: false,
      subscription_groups: [group("5e1f0a2c-newsletter", "subscribed")],
    },
    held: {
      attributes: { first_name: "Nia", email: "nia.new@example.com", email_subscribe: "subscribed", signup_completed: false },
      subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed" },
    },
  },
  {
    key: "seed-checkout-tests/cart-abandoner",
    create: {
      user_alias: seed("cart-abandoner"),
      _update_existing_only: false,
      first_name: "Omar",
      email: "omar.cart@example.com",
      email_subscribe: "opted_in",
      cart_value: 129.99,
      cart_items: ["sku-1042", "sku-7781"],
      last_cart_at: "2026-11-20T09:15:00Z",
      subscription_groups: [group("5e1f0a2c-newsletter", "subscribed"), group("9c3a77f0-cart-reminders", "subscribed")],
    },
    held: {
      attributes: {
        first_name: "Omar",
        email: "omar.cart@example.com",
        email_subscribe: "opted_in",
        cart_value: 129.99,
        cart_items: ["sku-1042", "sku-7781"],
        last_cart_at: "2026-11-20T09:15:00Z",
      },
      subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed", "9c3a77f0-cart-reminders": "subscribed" },
    },
  },
  {
    key: "seed-checkout-tests/opted-out",
    create: {
      user_alias: seed("opted-out"),
      _update_existing_only: false,
      first_name: "Pia",
      email: "pia.optout@example.com",
      email_subscribe: "unsubscribed",
      push_subscribe: "unsubscribed",
      subscription_groups: [group("5e1f0a2c-newsletter", "unsubscribed"), group("9c3a77f0-cart-reminders", "unsubscribed")],
    },
    held: {
      attributes: { first_name: "Pia", email: "pia.optout@example.com", email_subscribe: "unsubscribed", push_subscribe: "unsubscribed" },
      subscriptionGroups: { "5e1f0a2c-newsletter": "unsubscribed", "9c3a77f0-cart-reminders": "unsubscribed" },
    },
  },
  {
    key: "seed-checkout-tests/vip-de",
    create: {
      user_alias: seed("vip-de"),
      _update_existing_only: false,
      first_name: "Quirin",
      email: "quirin.vip@example.com",
      email_subscribe: "opted_in",
      language: "de",
      country: "DE",
      time_zone: "Europe/Berlin",
      lifetime_value: 4820,
      loyalty: { tier: "platinum", points: 48200, since: { $time: "2019-05-01T00:00:00Z" } },
      subscription_groups: [group("5e1f0a2c-newsletter", "subscribed")],
    },
    held: {
      attributes: {
        first_name: "Quirin",
        email: "quirin.vip@example.com",
        email_subscribe: "opted_in",
        language: "de",
        country: "DE",
        time_zone: "Europe/Berlin",
        lifetime_value: 4820,
        loyalty: { tier: "platinum", points: 48200, since: "2019-05-01T00:00:00.000Z" },
      },
      subscriptionGroups: { "5e1f0a2c-newsletter": "subscribed" },
    },
  },
  {
    key: "seed-checkout-tests/sms-only",
    create: {
      user_alias: seed("sms-only"),
      _update_existing_only: false,
      first_name: "Rosa",
      phone: "+14155550123",
      preferred_channel: "sms",
    },
    held: { attributes: { first_name: "Rosa", phone: "+14155550123", preferred_channel: "sms" }, subscriptionGroups: {} },
  },
];

/**
 * The /users/track bodies a set sends to create `users`: their objects in
 * user-key order, OBJECTS_PER_TRACK_REQUEST to a request. Requests run
 * concurrently and may be logged in any order, so both sides are sorted.
 */
function expectedTrackBodies(users: readonly ExpectedUser[]): unknown[] {
  const objects = [...users].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((user) => user.create);
  const bodies: unknown[] = [];
  for (let start = 0; start < objects.length; start += OBJECTS_PER_TRACK_REQUEST)
    bodies.push({ attributes: objects.slice(start, start + OBJECTS_PER_TRACK_REQUEST) });
  return sortedByText(bodies);
}

const sortedByText = (values: unknown[]) => [...values].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const aliasText = ({ alias_label, alias_name }: { alias_label: string; alias_name: string }) => `${alias_label}/${alias_name}`;

/** What a set records for a user: the created values, without the addressing and with groups as a map. */
function recordedOf(user: ExpectedUser) {
  const { user_alias, _update_existing_only, subscription_groups, ...attributes } = user.create;
  return { alias: { name: user_alias.alias_name, label: user_alias.alias_label }, attributes, subscriptionGroups: user.held.subscriptionGroups };
}

const Examples = suite("examples");

for (const [example, users] of [
  ["quickstart", QUICKSTART],
  ["seed-test-workspace", SEED_TEST_WORKSPACE],
] as const) {
  const requestCount = Math.ceil(users.length / OBJECTS_PER_TRACK_REQUEST);
  Examples(
    `${example}: up creates its ${users.length} users in exactly ${requestCount} /users/track request(s) with the exact bodies; a second up sends nothing; destroy deletes them`,
    async () => {
      const braze = await startLocalBraze();
      const file = path.join(repoRoot, "examples", example, "users.yaml");
      const stack = await createTestStack({
        programDir: path.join(distRoot, "program"),
        projectName: example,
        env: { BRAZE_REST_ENDPOINT: braze.url },
        config: { "braze:desiredState": { value: file } },
      });
      try {
        const created = await stack.up({ parallel: 100 });
        assert.equal(created.summary.resourceChanges, { create: 2 }, "the stack and its one set");
        const requests = await braze.requests();
        assert.equal(
          requests.map((r) => [r.path, r.status]),
          Array.from({ length: requestCount }, () => ["/users/track", 201]),
        );
        assert.equal(sortedByText(requests.map((r) => r.body)), expectedTrackBodies(users));

        assert.is((await braze.users()).length, users.length, "braze-local holds exactly the example's users");
        for (const user of users) {
          const held = await braze.userByAlias(user.create.user_alias.alias_label, user.create.user_alias.alias_name);
          assert.equal(held.attributes, user.held.attributes, `${user.key}: attributes braze-local holds`);
          assert.equal(held.subscriptionGroups, user.held.subscriptionGroups, `${user.key}: group states braze-local holds`);
        }
        const recorded = recordedUsers(await stack.exportState());
        assert.equal([...recorded.keys()].sort(), users.map((user) => aliasText(user.create.user_alias)).sort());
        for (const user of users) assert.equal(recorded.get(aliasText(user.create.user_alias)), recordedOf(user), `${user.key}: what state records`);

        const again = await stack.up();
        assert.equal(again.summary.resourceChanges, { same: 2 });
        assert.is((await braze.requests()).length, requests.length, "a second up sends nothing");

        await stack.destroy();
        const deletes = (await braze.requests()).slice(requests.length);
        assert.equal(
          deletes.map((r) => r.path),
          ["/users/delete"],
          "destroy deletes every user in one request (up to 50 aliases each)",
        );
        const deleted = (deletes[0].body as { user_aliases: Array<{ alias_name: string; alias_label: string }> }).user_aliases;
        assert.equal(deleted.map(aliasText).sort(), users.map((user) => aliasText(user.create.user_alias)).sort());
        assert.equal(await braze.users(), []);
      } finally {
        await stack.cleanup();
        await braze.close();
      }
    },
  );
}

/** examples/personas-in-code/index.ts, persona by persona: plan x locale. */
const PERSONAS = [
  {
    name: "free-en",
    first_name: "Free US",
    email_subscribe: "subscribed",
    locale: "en",
    plan: "free",
    seats: 1,
    feature_flags: [],
    productUpdates: "unsubscribed",
  },
  {
    name: "free-de",
    first_name: "Free DE",
    email_subscribe: "subscribed",
    locale: "de",
    plan: "free",
    seats: 1,
    feature_flags: [],
    productUpdates: "unsubscribed",
  },
  {
    name: "trial-en",
    first_name: "Trial US",
    email_subscribe: "opted_in",
    locale: "en",
    plan: "trial",
    seats: 1,
    feature_flags: [],
    productUpdates: "subscribed",
  },
  {
    name: "trial-de",
    first_name: "Trial DE",
    email_subscribe: "opted_in",
    locale: "de",
    plan: "trial",
    seats: 1,
    feature_flags: [],
    productUpdates: "subscribed",
  },
  {
    name: "pro-en",
    first_name: "Pro US",
    email_subscribe: "opted_in",
    locale: "en",
    plan: "pro",
    seats: 25,
    feature_flags: ["sso", "audit-log"],
    productUpdates: "subscribed",
  },
  {
    name: "pro-de",
    first_name: "Pro DE",
    email_subscribe: "opted_in",
    locale: "de",
    plan: "pro",
    seats: 25,
    feature_flags: ["sso", "audit-log"],
    productUpdates: "subscribed",
  },
].map((persona) => {
  const attributes = {
    first_name: persona.first_name,
    email: `qa+${persona.name}@example.com`,
    email_subscribe: persona.email_subscribe,
    ...(persona.locale === "en"
      ? { language: "en", country: "US", time_zone: "America/New_York" }
      : { language: "de", country: "DE", time_zone: "Europe/Berlin" }),
    plan: persona.plan,
    seats: persona.seats,
    feature_flags: persona.feature_flags,
  };
  const groups = { "5e1f0a2c-newsletter": "subscribed", "7b2d9e41-product-updates": persona.productUpdates };
  return {
    name: persona.name,
    attributes,
    groups,
    create: {
      user_alias: { alias_name: persona.name, alias_label: "generated-personas" },
      _update_existing_only: false,
      ...attributes,
      subscription_groups: [group("5e1f0a2c-newsletter", "subscribed"), group("7b2d9e41-product-updates", persona.productUpdates)],
    },
  };
});

Examples("personas-in-code: a TypeScript program importing the package by name sends each persona's exact object once", async () => {
  const braze = await startLocalBraze();
  const stack = await createTestStack({
    programDir: path.join(distRoot, "examples", "personas-in-code"),
    projectName: "personas",
    env: { BRAZE_REST_ENDPOINT: braze.url },
  });
  try {
    const result = await stack.up({ parallel: 100 });
    assert.equal(result.outputs.personas.value, ["free-en", "free-de", "trial-en", "trial-de", "pro-en", "pro-de"]);
    const requests = await braze.requests();
    // One BrazeUser per persona: how many requests carry them depends on the pace the engine hands them over at.
    assert.ok(
      requests.every((r) => r.path === "/users/track" && r.status === 201),
      `only accepted /users/track requests: ${requests.map((r) => r.path)}`,
    );
    const sent = requests.flatMap((r: LoggedRequest) => (r.body as { attributes: Body[] }).attributes);
    const byName = (a: { user_alias: { alias_name: string } }, b: { user_alias: { alias_name: string } }) =>
      a.user_alias.alias_name < b.user_alias.alias_name ? -1 : 1;
    assert.equal([...sent].sort(byName), PERSONAS.map((persona) => persona.create).sort(byName), "each persona's object, exactly once");

    assert.is((await braze.users()).length, PERSONAS.length);
    for (const persona of PERSONAS) {
      const held = await braze.userByAlias("generated-personas", persona.name);
      assert.equal(held.attributes, persona.attributes, `${persona.name}: attributes braze-local holds`);
      assert.equal(held.subscriptionGroups, persona.groups, `${persona.name}: group states braze-local holds`);
    }

    await stack.preview({ expectNoChanges: true });
    assert.is((await braze.requests()).length, requests.length, "preview sends nothing");
    await stack.destroy();
    const deleted = (await braze.requests())
      .slice(requests.length)
      .flatMap((r) => {
        assert.is(r.path, "/users/delete");
        return (r.body as { user_aliases: Array<{ alias_name: string; alias_label: string }> }).user_aliases.map(aliasText);
      })
      .sort();
    assert.equal(deleted, PERSONAS.map((persona) => `generated-personas/${persona.name}`).sort(), "each persona deleted once");
    assert.equal(await braze.users(), []);
  } finally {
    await stack.cleanup();
    await braze.close();
  }
});

Examples.run();
