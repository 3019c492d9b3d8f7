// Realistic personas for the benchmarks, from a fixed seed: the same --users N
// gives the same users, the same 10% changed and the same 5% removed on every
// run, so figures from two runs compare. Alias-only by default; identified
// personas (an external_id, no alias) for the sets series' identified run.
import * as fs from "node:fs";
import { stringify } from "yaml";
import type { AttributeValue, ManagedUser, SubscriptionState } from "../provider/model";

/** Seed of every draw the benchmark makes. */
export const PERSONA_SEED = 20_261_122;
export const PERSONA_LABEL = "bench-personas";

/** A small, fast, seeded PRNG (mulberry32): enough spread for test data, no dependency. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** `count` distinct items, in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [copy[index], copy[other]] = [copy[other], copy[index]];
    }
    return copy.slice(0, count);
  }
}

const FIRST_NAMES = ["Ada", "Bob", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas", "Kiri", "Lena", "Mateo", "Noor", "Omar", "Priya"];
const LAST_NAMES = ["Lovelace", "Okafor", "Nguyen", "Schmidt", "Rossi", "Tanaka", "Silva", "Kowalski", "Haddad", "Larsen"];
const COUNTRIES: Array<{ country: string; language: string; timeZone: string; city: string }> = [
  { country: "GB", language: "en", timeZone: "Europe/London", city: "Leeds" },
  { country: "US", language: "en", timeZone: "America/New_York", city: "Boston" },
  { country: "DE", language: "de", timeZone: "Europe/Berlin", city: "Hamburg" },
  { country: "FR", language: "fr", timeZone: "Europe/Paris", city: "Lyon" },
  { country: "JP", language: "ja", timeZone: "Asia/Tokyo", city: "Osaka" },
  { country: "BR", language: "pt", timeZone: "America/Sao_Paulo", city: "Recife" },
  { country: "CA", language: "en", timeZone: "America/Toronto", city: "Toronto" },
];
const PLANS = ["free", "trial", "pro", "team", "enterprise"];
const GENRES = ["sci-fi", "drama", "comedy", "documentary", "thriller", "romance", "anime", "horror"];
const DEVICES = ["ios", "android", "web", "tv", "watch"];
const BETA_FEATURES = ["new-checkout", "dark-mode", "smart-search", "offline-mode"];
const TIERS = ["bronze", "silver", "gold", "platinum"];
const SUBSCRIPTION_GROUPS = ["5e1f0a2c-newsletter", "7b2d9e41-product-updates", "a3c8f210-offers", "c9d04b77-surveys"];
const STATES: SubscriptionState[] = ["subscribed", "unsubscribed"];

type AttributeMaker = (random: Random, index: number) => AttributeValue;

/** Every persona has these 8. */
const REQUIRED: Record<string, AttributeMaker> = {
  first_name: (random) => random.pick(FIRST_NAMES),
  last_name: (random) => random.pick(LAST_NAMES),
  email: (_random, index) => `persona-${index}@example.com`,
  country: (random) => random.pick(COUNTRIES).country,
  plan: (random) => random.pick(PLANS),
  lifetime_orders: (random) => random.int(0, 250),
  favorite_genres: (random) => random.sample(GENRES, random.int(1, 4)),
  loyalty: (random) => ({ tier: random.pick(TIERS), points: random.int(0, 20_000) }),
};

/** And 2 to 12 of these, so each has 10 to 20 attributes. */
const OPTIONAL: Record<string, AttributeMaker> = {
  language: (random) => random.pick(COUNTRIES).language,
  time_zone: (random) => random.pick(COUNTRIES).timeZone,
  home_city: (random) => random.pick(COUNTRIES).city,
  dob: (random) => `${random.int(1950, 2005)}-${String(random.int(1, 12)).padStart(2, "0")}-${String(random.int(1, 28)).padStart(2, "0")}`,
  gender: (random) => random.pick(["M", "F", "O", "N", "P"]),
  email_subscribe: (random) => random.pick(["opted_in", "subscribed", "unsubscribed"]),
  trial_user: (random) => random.next() < 0.3,
  signup_source: (random) => random.pick(["organic", "paid-search", "referral", "partner"]),
  devices: (random) => random.sample(DEVICES, random.int(1, 3)),
  beta_features: (random) => random.sample(BETA_FEATURES, random.int(1, 2)),
  last_cart: (random) => ({ items: random.sample(["sku-1042", "sku-2210", "sku-3307", "sku-4415"], random.int(1, 3)), value: random.int(500, 40_000) / 100 }),
  preferences: (random) => ({
    channel: random.pick(["email", "push", "sms"]),
    frequency: random.pick(["daily", "weekly", "monthly"]),
    digest: random.next() < 0.5,
  }),
};

/** How personas are identified: an alias (`bench-personas/persona-00001`), or an external_id (`persona-00001`) and no alias. */
export const PERSONA_IDENTITIES = ["alias", "external_id"] as const;
export type PersonaIdentity = (typeof PERSONA_IDENTITIES)[number];

/** `count` personas, `persona-00001` onwards, the same values for the same count whatever identifies them. */
export function generatePersonas(count: number, seed = PERSONA_SEED, identity: PersonaIdentity = "alias"): ManagedUser[] {
  const random = new Random(seed);
  const width = Math.max(5, String(count).length);
  return Array.from({ length: count }, (_, index) => {
    const attributes: Record<string, AttributeValue> = {};
    for (const [key, make] of Object.entries(REQUIRED)) attributes[key] = make(random, index);
    for (const key of random.sample(Object.keys(OPTIONAL), random.int(2, 12))) attributes[key] = OPTIONAL[key](random, index);
    const subscriptionGroups: Record<string, SubscriptionState> = {};
    for (const group of random.sample(SUBSCRIPTION_GROUPS, random.int(2, 3))) subscriptionGroups[group] = random.pick(STATES);
    const name = `persona-${String(index).padStart(width, "0")}`;
    return identity === "alias"
      ? { alias: { name, label: PERSONA_LABEL }, attributes, subscriptionGroups }
      : { externalId: name, attributes, subscriptionGroups };
  });
}

/** Scalar attributes every persona has; a "changed" user changes exactly one of them (one data point). */
const CHANGEABLE = ["plan", "lifetime_orders", "last_name"] as const;

/**
 * The same users with `fraction` of them (chosen by the seed) changing one scalar
 * attribute each. Returns the new list and how many users changed.
 */
export function changeOneAttribute(users: readonly ManagedUser[], fraction: number, seed = PERSONA_SEED + 1): { users: ManagedUser[]; changed: number } {
  const random = new Random(seed);
  const chosen = new Set(
    random.sample(
      users.map((_, index) => index),
      Math.round(users.length * fraction),
    ),
  );
  const next = users.map((user, index) => {
    if (!chosen.has(index)) return user;
    const key = random.pick(CHANGEABLE);
    const old = user.attributes[key];
    const value = typeof old === "number" ? old + 1 : `${String(old)}-changed`;
    return { ...user, attributes: { ...user.attributes, [key]: value } };
  });
  return { users: next, changed: chosen.size };
}

/** The users without `fraction` of them (chosen by the seed). */
export function removeUsers(users: readonly ManagedUser[], fraction: number, seed = PERSONA_SEED + 2): { users: ManagedUser[]; removed: ManagedUser[] } {
  const random = new Random(seed);
  const chosen = new Set(
    random.sample(
      users.map((_, index) => index),
      Math.round(users.length * fraction),
    ),
  );
  return { users: users.filter((_, index) => !chosen.has(index)), removed: users.filter((_, index) => chosen.has(index)) };
}

/** Writes users as a desired-state YAML file (the format program/index.ts reads). */
export function writeDesiredState(file: string, users: readonly ManagedUser[]): void {
  const document = {
    users: users.map((user) => ({
      ...(user.externalId !== undefined ? { external_id: user.externalId } : {}),
      ...(user.alias ? { alias: user.alias } : {}),
      attributes: user.attributes,
      subscription_groups: user.subscriptionGroups,
    })),
  };
  fs.writeFileSync(file, stringify(document));
}
