// The provider and braze-local read Braze's rules independently. This test
// generates attribute values (standard and custom, valid and not), validates
// each with the provider as a user's only attribute, sends it to braze-local
// as one attributes object all the same, and requires the two readings to
// agree:
// - the provider accepts it  ⇒ braze-local answers 201 without errors, stores
//   exactly the value sent (a `{"$time"}` as the instant the generator meant),
//   and bills the data points the provider's countDataPoints says;
// - the provider refuses it  ⇒ braze-local rejects it, drops it, or stores
//   something else than was sent (Braze would trim, truncate, map or clear it).
// Seeded and bounded (RUNS values, a few seconds).
import fc from "fast-check";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_STRING_ARRAY_MAX_ITEMS, ISO_3166_ALPHA2_CODES, NESTED_ATTRIBUTE_MAX_BYTES } from "../../braze-facts";
import type { TrackAttributesObject } from "../../provider/braze/wire-types";
import { countDataPoints } from "../../provider/delta";
import { countEntryPoints } from "../../provider/delta/data-points";
import type { EventEntry, PurchaseEntry } from "../../provider/model/entries";
import type { AttributeValue } from "../../provider/model";
import { addressKey } from "../../provider/desired-state/address-findings";
import { entryProblems, userProblems } from "../../provider/desired-state/user-problems";
import { HAND_PRICED_CREATE, HAND_PRICED_CREATE_POINTS } from "../fixtures/hand-priced-create";
import { startTestServer, type TestServer } from "./local-server";

// DIFFERENTIAL_SEED and DIFFERENTIAL_RUNS explore beyond the pinned run.
const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 300);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 20_251_201);

// ---------------------------------------------------------------------------
// Dates: generated from an instant and a format, so the generator knows the
// instant each `{"$time"}` text means without asking either implementation.

/** `$time` text -> the ISO 8601 instant it means (only for texts meant valid, years 0-3000 as written). */
const timeOracle = new Map<string, string>();

const pad = (value: number, width = 2) => String(value).padStart(width, "0");
const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function formatDate(parts: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  milli: number;
  offset: number;
  format: number;
}): string {
  const { year, month, day, hour, minute, second, milli, offset, format } = parts;
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, milli);
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}`;
  const sign = offset < 0 ? "-" : "+";
  const zoneColon = offset === 0 ? "Z" : `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const zoneCompact = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  let text: string;
  let instant = local.getTime();
  switch (format) {
    case 0: // ISO 8601 with milliseconds and a zone
      text = `${date}T${time}.${pad(milli, 3)}${zoneColon}`;
      instant -= offset * 60_000;
      break;
    case 1: // yyyy-MM-ddTHH:mm:ss:SSSZ
      text = `${date}T${time}:${pad(milli, 3)}${zoneCompact}`;
      instant -= offset * 60_000;
      break;
    case 2: // yyyy-MM-ddTHH:mm:ss (UTC)
      text = `${date}T${time}`;
      instant -= milli;
      break;
    case 3: // yyyy-MM-dd HH:mm:ss (UTC)
      text = `${date} ${time}`;
      instant -= milli;
      break;
    case 4: // yyyy-MM-dd (midnight UTC)
      text = date;
      instant -= ((hour * 60 + minute) * 60 + second) * 1000 + milli;
      break;
    case 5: // MM/dd/yyyy (midnight UTC)
      text = `${pad(month)}/${pad(day)}/${pad(year, 4)}`;
      instant -= ((hour * 60 + minute) * 60 + second) * 1000 + milli;
      break;
    default: // ddd MM dd HH:mm:ss.TZD YYYY
      text = `${DAY_NAMES[local.getUTCDay()]} ${pad(month)} ${pad(day)} ${time}.${zoneColon} ${pad(year, 4)}`;
      instant -= offset * 60_000 + milli;
      break;
  }
  if (year <= 3000) timeOracle.set(text, new Date(instant).toISOString());
  return text;
}

const validTimeText = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1970, max: 2100 }), fc.integer({ min: 0, max: 3100 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    milli: fc.integer({ min: 0, max: 999 }),
    offset: fc.constantFrom(0, 60, -300, 330, -600, 840),
    format: fc.integer({ min: 0, max: 6 }),
  })
  .map(formatDate);

/** Texts meant invalid: look-alikes of each format. */
const invalidTimeText = fc.oneof(
  fc.constantFrom(
    "Wed 13 45 19:20:30.foo 2013",
    "Wed 07 16 19:20:30.foo 2013",
    "Wed 07 16 19:20:30 +01:00 2013",
    "wed 07 16 19:20:30.Z 2013",
    "2024-02-30",
    "2023-02-29T00:00:00Z",
    "2024-13-01",
    "2024-01-01T24:00:00Z",
    "2024-01-01T10:60:00Z",
    " 2024-01-01",
    "2024-01-01 ",
    "2024-01-01t10:00:00z",
    "2024-01-01 +01:00",
    "2024-01-01T10:00:00 Z",
    "13/01/2024",
    "1/2/2024",
    "yesterday",
    "",
  ),
  fc.string({ maxLength: 12 }),
);

// ---------------------------------------------------------------------------
// Values.

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

const emoji = fc.constantFrom("😀", "é", "中", "𝒳");
const padded = (text: fc.Arbitrary<string>) => fc.tuple(fc.constantFrom(" ", "\n", "\t", "\u00a0"), text).map(([space, value]) => `${space}${value}`);
/** Strings around Braze's 255 characters, in ASCII or in characters outside the BMP. */
const nearLimitString = fc.oneof(
  fc.integer({ min: 250, max: 260 }).map((length) => "x".repeat(length)),
  fc.tuple(fc.integer({ min: 250, max: 260 }), emoji).map(([length, char]) => char.repeat(length)),
);
const shortString = fc.string({ maxLength: 10 });
const textValue = fc.oneof(shortString, fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }), padded(shortString), nearLimitString, anyJson);

const nestedKey = fc.oneof(
  fc.constantFrom("tier", "points", "add", "inc", "remove", "$time", "$add", "a b", "a.b", "a$b", "", "x".repeat(256), "__proto__", "constructor"),
  fc.string({ maxLength: 8 }),
);

const nestedLeaf = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(shortString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()) },
  { weight: 2, arbitrary: fc.oneof(validTimeText, validTimeText, invalidTimeText).map((text) => ({ $time: text })) },
  { weight: 1, arbitrary: fc.oneof(nearLimitString, fc.constant(null), fc.constant({ $time: 5 }), fc.constant({ $time: "2024-01-01", extra: 1 })) },
);

const { nestedObject } = fc.letrec((tie) => ({
  nestedValue: fc.oneof({ depthSize: "small", withCrossShrink: true }, nestedLeaf, tie("nestedObject"), tie("nestedArray")),
  nestedObject: fc.dictionary(nestedKey, tie("nestedValue"), { maxKeys: 4, noNullPrototype: true }),
  nestedArray: fc.array(tie("nestedValue"), { maxLength: 3 }),
})) as { nestedObject: fc.Arbitrary<Record<string, unknown>> };

/** A nested object of strings (each at most 250 characters) whose compact JSON is `bytes` long. */
function objectOfJsonBytes(bytes: number): Record<string, string> {
  const object: Record<string, string> = {};
  const size = () => Buffer.byteLength(JSON.stringify(object));
  const nextKey = () => `k${pad(Object.keys(object).length, 4)}`;
  while (bytes - size() > 500) object[nextKey()] = "n".repeat(250);
  const [first, second] = [nextKey(), `${nextKey()}x`];
  object[first] = "";
  object[second] = "";
  const rest = bytes - size();
  object[first] = "n".repeat(Math.floor(rest / 2));
  object[second] = "n".repeat(rest - Math.floor(rest / 2));
  return object;
}

/** Nested values around Braze's size limit: an object, or an array of objects. */
const nearSizeLimit = fc.oneof(
  fc.integer({ min: NESTED_ATTRIBUTE_MAX_BYTES - 20, max: NESTED_ATTRIBUTE_MAX_BYTES + 20 }).map(objectOfJsonBytes),
  fc.integer({ min: NESTED_ATTRIBUTE_MAX_BYTES - 20, max: NESTED_ATTRIBUTE_MAX_BYTES + 20 }).map((bytes) => {
    // [{…}, {"k":"…"}]: the first object carries all but the second item's 11 bytes and the 3 of "[", "," and "]".
    const tail = { k: "x".repeat(200) };
    return [objectOfJsonBytes(bytes - Buffer.byteLength(JSON.stringify(tail)) - 3), tail];
  }),
);

const customValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.oneof(shortString, padded(shortString), nearLimitString, fc.string({ unit: "grapheme", maxLength: 5 })) },
  { weight: 1, arbitrary: fc.oneof(validTimeText, invalidTimeText) }, // date-like strings at the top level are plain strings
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.array(shortString, { maxLength: 6 }),
      fc.array(shortString, { minLength: DEFAULT_STRING_ARRAY_MAX_ITEMS - 1, maxLength: DEFAULT_STRING_ARRAY_MAX_ITEMS + 2 }),
      fc.array(padded(shortString), { minLength: 1, maxLength: 2 }),
    ),
  },
  { weight: 4, arbitrary: nestedObject },
  { weight: 2, arbitrary: fc.array(nestedObject, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.integer().map((by) => ({ inc: by })),
      fc.array(shortString, { maxLength: 2 }).map((add) => ({ add })),
      fc.array(shortString, { maxLength: 2 }).map((add) => ({ add, tier: "gold" })),
      nestedObject.map((item) => ({ $add: [item] })),
      fc.constant({ $time: "2024-01-01" }),
      fc.constant([{ $time: "2024-01-01" }]),
      fc.constant([1, "a"]),
      fc.constant(null),
    ),
  },
  { weight: 1, arbitrary: nearSizeLimit },
);

/** Keys no value may be generated for: they address the object, or the schema refuses them for being unreadable, not invalid. */
const NOT_GENERATED = new Set([
  "external_id",
  "user_alias",
  "braze_id",
  "_update_existing_only",
  "_merge_objects",
  "push_token_import",
  "subscription_groups",
  "push_tokens",
  "date_of_first_session",
  "date_of_last_session",
  "marked_email_as_spam_at",
  "email_open_tracking_disabled",
  "email_click_tracking_disabled",
  "facebook",
  "twitter",
  "image_url",
  "bio",
]);
const STANDARD_KEYS = new Set([
  "first_name",
  "last_name",
  "home_city",
  "email",
  "phone",
  "gender",
  "dob",
  "country",
  "language",
  "time_zone",
  "email_subscribe",
  "push_subscribe",
  "current_location",
]);

const customKey = fc
  .oneof(
    fc.constantFrom(
      "plan",
      "loyalty",
      "pets",
      "tags",
      "First_Name",
      "my key",
      "a.b",
      "__proto__",
      "constructor",
      " padded",
      "$plan",
      "x".repeat(255),
      "x".repeat(256),
      "😀".repeat(255),
    ),
    fc.string({ minLength: 0, maxLength: 12 }),
  )
  .filter((key) => !NOT_GENERATED.has(key) && !STANDARD_KEYS.has(key));

const codes = [...ISO_3166_ALPHA2_CODES];
const letter = (from: string) => fc.integer({ min: 0, max: 25 }).map((index) => String.fromCharCode(from.charCodeAt(0) + index));
const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((list) => list.join(""));

const standardEntry: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constantFrom("first_name", "last_name", "home_city"), textValue),
  fc.tuple(
    fc.constant("email"),
    fc.oneof(
      fc
        .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,10}$/), fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.constantFrom("com", "co.uk", "io"))
        .map(([local, domain, tld]) => `${local}@${domain}.${tld}`),
      fc.constantFrom(
        "a@b",
        " ada@example.com",
        "ada@example.com ",
        "no-at.example.com",
        "a b@example.com",
        "Ada@Example.COM",
        `${"a".repeat(250)}@example.com`,
      ),
      anyJson,
    ),
  ),
  fc.tuple(
    fc.constant("phone"),
    fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 9 }), digits(6, 14)).map(([first, rest]) => `+${first}${rest}`),
      fc.constantFrom("+1 (504) 327-7269", "15043277269", "+0123456789", "+12", "+1234567890123456", " +15043277269"),
      anyJson,
    ),
  ),
  fc.tuple(fc.constant("gender"), fc.oneof(fc.constantFrom("M", "F", "O", "N", "P", "m", "male", "X", ""), anyJson)),
  fc.tuple(
    fc.constant("dob"),
    fc.oneof(validTimeText, fc.constantFrom("1990-12-10", "1990-02-30", "1990-13-01", "12/10/1990", "0004-02-29", "1990-1-1"), anyJson),
  ),
  fc.tuple(
    fc.constant("country"),
    fc.oneof(
      fc.constantFrom(...codes),
      fc.tuple(letter("A"), letter("A")).map(([a, b]) => a + b),
      fc.constantFrom("Germany", "de", " DE", "UK", "ZZ", "XK"),
      anyJson,
    ),
  ),
  fc.tuple(
    fc.constant("language"),
    fc.oneof(
      fc.tuple(letter("a"), letter("a")).map(([a, b]) => a + b),
      fc.constantFrom("EN", "eng", "e", " en"),
      anyJson,
    ),
  ),
  fc.tuple(
    fc.constant("time_zone"),
    fc.oneof(fc.constantFrom("America/New_York", "Europe/London", "UTC", "Etc/GMT+5", "Not/AZone", "america/new_york", "", " UTC", "US/Pacific"), anyJson),
  ),
  fc.tuple(
    fc.constantFrom("email_subscribe", "push_subscribe"),
    fc.oneof(fc.constantFrom("opted_in", "subscribed", "unsubscribed", "OPTED_IN", "yes"), anyJson),
  ),
  fc.tuple(
    fc.constant("current_location"),
    fc.oneof(
      fc.record({ longitude: fc.double({ min: -200, max: 200, noNaN: true }), latitude: fc.double({ min: -100, max: 100, noNaN: true }) }),
      fc.constant({ longitude: 1 }),
      fc.constant({ longitude: 1, latitude: 2, altitude: 3 }),
      fc.constant({ longitude: "1", latitude: 2 }),
      anyJson,
    ),
  ),
);

const attributeEntry: fc.Arbitrary<[string, unknown]> = fc.oneof(
  { weight: 2, arbitrary: standardEntry },
  { weight: 3, arbitrary: fc.tuple(customKey, customValue) },
);

// ---------------------------------------------------------------------------
// What braze-local should hold when it applied a value exactly.

const NO_ORACLE = Symbol("no oracle");

/** The value as stored: every `{"$time": text}` as the instant the generator meant; NO_ORACLE when one is unknown. */
function expectedStored(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(expectedStored);
    return items.includes(NO_ORACLE) ? NO_ORACLE : items;
  }
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0][0] === "$time" && typeof entries[0][1] === "string") return timeOracle.get(entries[0][1]) ?? NO_ORACLE;
  const result: Record<string, unknown> = {};
  for (const [key, child] of entries) {
    const stored = expectedStored(child);
    if (stored === NO_ORACLE) return NO_ORACLE;
    Object.defineProperty(result, key, { value: stored, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

function storedValue(user: any, key: string): unknown {
  if (!user) return undefined;
  if (key === "email_subscribe" || key === "push_subscribe") return user[key];
  const place = STANDARD_KEYS.has(key) ? user.standard : user.custom;
  return Object.hasOwn(place, key) ? place[key] : undefined;
}

/** Deep equality on parsed JSON (own keys only, so "__proto__" compares as a key). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortedDeep(a)) === JSON.stringify(sortedDeep(b));
}

function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (typeof value !== "object" || value === null) return value;
  return Object.keys(value)
    .sort()
    .map((key) => [key, sortedDeep((value as Record<string, unknown>)[key])]);
}

/**
 * Refusals that are not readings of Braze's rules, so braze-local (like Braze)
 * stores what they refuse:
 * - JavaScript cannot carry a key named "__proto__" through the provider (YAML
 *   loading and plain objects drop it);
 * - a custom name one slip away from a standard field ("did you mean") and
 *   custom text that looks like a date Braze cannot read are likely mistakes:
 *   Braze would store them, as a custom attribute and as text.
 */
const REFUSED_FOR_THE_PROVIDERS_OWN_SAKE = /^cannot be "__proto__"|did you mean|looks like a date but is not one Braze reads/;

const describe = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
};

// ---------------------------------------------------------------------------

/** braze-local's clock: an event time after it is stored as it (Braze sets a future time to the time of receipt). */
const RECEIVED_AT = Date.parse("2030-01-01T00:00:00.000Z");

const Differential = suite<{ braze: TestServer }>("the provider's validation and braze-local agree on generated values");

Differential.before(async (context) => {
  // A workspace whose string arrays keep as many items as the provider allows: both at the default setting.
  context.braze = await startTestServer({ stringArrayMaxItems: DEFAULT_STRING_ARRAY_MAX_ITEMS, now: () => RECEIVED_AT });
});
Differential.after(async (context) => context.braze.close());

Differential(
  `${RUNS} generated attribute values: accepted ones are applied exactly and billed alike, refused ones are rejected, dropped or altered`,
  async ({ braze }) => {
    let accepted = 0;
    let refused = 0;
    let ownSake = 0;
    const details = await fc.check(
      fc.asyncProperty(attributeEntry, async ([key, value]) => {
        // Object.fromEntries keeps "__proto__" an own key, as JSON.parse does.
        const attributes = Object.fromEntries([[key, value]]) as Record<string, AttributeValue>;
        const problems = userProblems({ alias: { name: "generated", label: "diff" }, attributes, subscriptionGroups: {} });
        const object = {
          user_alias: { alias_name: "generated", alias_label: "diff" },
          _update_existing_only: false,
          ...Object.fromEntries([[key, value]]),
        } as TrackAttributesObject;

        await braze.reset();
        const answer = await braze.post("/users/track", { attributes: [object] });
        const user = (await braze.users())[0];
        const stored = storedValue(user, key);
        const expected = expectedStored(value);
        const cleanlyApplied = answer.status === 201 && answer.body.errors === undefined && expected !== NO_ORACLE && sameJson(stored, expected);
        const context = `${describe(key)}: ${describe(value)} -> braze-local ${answer.status} ${describe(answer.body)}, stored ${describe(stored)}`;

        if (problems.length === 0) {
          accepted++;
          assert.ok(expected !== NO_ORACLE, `the provider accepted a $time the generator meant as invalid: ${context}`);
          assert.ok(cleanlyApplied, `the provider accepts what braze-local does not apply as sent: ${context}`);
          const points = (await braze.stats()).data_points.attributes;
          assert.is(countDataPoints(object), points, `data points of ${context}`);
        } else if (problems.every((problem) => REFUSED_FOR_THE_PROVIDERS_OWN_SAKE.test(problem.message))) {
          ownSake++;
        } else {
          refused++;
          const refusal = problems.map((problem) => `${problem.property}: ${problem.message}`).join("; ");
          assert.not.ok(cleanlyApplied, `the provider refuses (${refusal}) what braze-local applies as sent: ${context}`);
          if (expected === NO_ORACLE) {
            // A {"$time"} the generator meant as invalid (or a year above 3000): braze-local must refuse or drop it, not store an instant for it.
            const rejectedOrDropped = answer.status !== 201 || answer.body.errors !== undefined || stored === undefined;
            assert.ok(rejectedOrDropped, `the provider refuses (${refusal}) a date braze-local stores: ${context}`);
          }
        }
      }),
      // No shrinking: shrinking 100 KB values takes minutes; the report below is short anyway.
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    if (details.failed) {
      // fast-check's own report prints the whole counterexample, which can be 100 KB.
      const reason = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      assert.unreachable(
        `after ${details.numRuns} values (seed ${details.seed}, path ${details.counterexamplePath}, shrunk ${details.numShrinks} times): ${reason}`,
      );
    }
    console.log(`  differential: ${accepted} accepted, ${refused} refused, ${ownSake} refused for the provider's own sake (seed ${SEED})`);
    // Both sides must be exercised, or the agreement says nothing.
    assert.ok(accepted > RUNS / 5 && refused > RUNS / 5, `accepted ${accepted}, refused ${refused}`);
  },
);

Differential("the hand-priced create costs what was added up by hand, on both sides", async ({ braze }) => {
  await braze.reset();
  const answer = await braze.post("/users/track", { attributes: [HAND_PRICED_CREATE] });
  assert.equal([answer.status, answer.body.errors], [201, undefined]);
  assert.is((await braze.stats()).data_points.attributes, HAND_PRICED_CREATE_POINTS, "braze-local");
  assert.is(countDataPoints(HAND_PRICED_CREATE), HAND_PRICED_CREATE_POINTS, "the provider");
});

Differential("events and purchases cost the same on both sides: 1 per event, 1 per purchase plus 1 per property", async ({ braze }) => {
  const user_alias = { alias_name: "priced", alias_label: "diff" };
  const events: EventEntry[] = [
    { name: "plain", time: "2024-05-01T10:00:00Z" },
    { name: "with_properties", time: "2024-05-01T10:00:00Z", properties: { a: 1, b: { c: "d" }, e: [1, 2] } },
  ];
  const purchases: PurchaseEntry[] = [
    { product_id: "plain", currency: "USD", price: 1, time: "2024-05-01T10:00:00Z" },
    { product_id: "three", currency: "EUR", price: 2.5, quantity: 3, time: "2024-05-01T10:00:00Z", properties: { coupon: "X", nested: { a: 1 }, list: ["a"] } },
  ];
  await braze.reset();
  const answer = await braze.post("/users/track", {
    attributes: [{ user_alias, _update_existing_only: false }],
    events: events.map((event) => ({ user_alias, ...event })),
    purchases: purchases.map((purchase) => ({ user_alias, ...purchase })),
  });
  assert.equal([answer.status, answer.body.errors], [201, undefined]);
  const stats = (await braze.stats()).data_points;
  assert.is(
    stats.events,
    events.reduce((sum, event) => sum + countEntryPoints("event", event), 0),
    "events",
  );
  assert.is(
    stats.purchases,
    purchases.reduce((sum, purchase) => sum + countEntryPoints("purchase", purchase), 0),
    "purchases",
  );
});

// ---------------------------------------------------------------------------
// Email-only and phone-only users: the provider's reading of an address as an
// identifier against braze-local's, and of which addresses are one profile.

const emailText = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((email) => email.toUpperCase()),
  fc.emailAddress().map((email) => ` ${email} `),
  fc.constantFrom("ada@example.com", "ada@localhost", "ada", "@example.com", "ada@@example.com", "a da@example.com", `${"a".repeat(250)}@x.io`),
);
const phoneText = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{6,14}$/)).map(([first, rest]) => `+${first}${rest}`),
  fc.constantFrom("+15043277269", "+1 504 327 7269", "+1-504-327-7269", "15043277269", "+05043277269", "+123456", "+1234567890123456", "(504) 327-7269"),
);

Differential(
  `${RUNS} generated emails and phones as identifiers: one the provider accepts creates exactly one profile holding it as sent; one it refuses braze-local refuses or stores otherwise`,
  async ({ braze }) => {
    let accepted = 0;
    let refused = 0;
    const identifier = fc.oneof(
      emailText.map((email) => ({ email })),
      phoneText.map((phone) => ({ phone })),
    );
    await fc.assert(
      fc.asyncProperty(identifier, async (address) => {
        const [kind, value] = Object.entries(address)[0] as ["email" | "phone", string];
        const problems = userProblems({ ...address, attributes: {}, subscriptionGroups: {} });
        await braze.reset();
        const answer = await braze.post("/users/track", { attributes: [{ ...address, _update_existing_only: false, first_name: "Gen" }] });
        const users = await braze.users();
        const cleanlyApplied = answer.status === 201 && answer.body.errors === undefined && users.length === 1 && users[0][kind] === value;
        const context = `${kind} ${describe(value)} -> braze-local ${answer.status} ${describe(answer.body)}, stored ${describe(users.map((user) => user[kind]))}`;
        if (problems.length === 0) {
          accepted++;
          assert.ok(cleanlyApplied, `the provider accepts an identifier braze-local does not create a profile for as sent: ${context}`);
        } else {
          refused++;
          assert.not.ok(
            cleanlyApplied,
            `the provider refuses (${problems.map((problem) => problem.message).join("; ")}) what braze-local applies as sent: ${context}`,
          );
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    assert.ok(accepted > RUNS / 5 && refused > RUNS / 10, `accepted ${accepted}, refused ${refused}`);
  },
);

Differential("two spellings of an address are one profile exactly when the provider's addressKey says so", async ({ braze }) => {
  const pairs: Array<["email" | "phone", string, string]> = [
    ["email", "ada@example.com", "ADA@Example.com"],
    ["email", "ada@example.com", "ada@example.org"],
    ["phone", "+15043277269", "+1 504 327 7269"],
    ["phone", "+15043277269", "+15043277260"],
  ];
  for (const [kind, first, second] of pairs) {
    await braze.reset();
    for (const value of [first, second]) await braze.post("/users/track", { attributes: [{ [kind]: value, _update_existing_only: false }] });
    const profiles = (await braze.users()).length;
    assert.is(profiles === 1, addressKey(kind, first) === addressKey(kind, second), `${kind} ${first} and ${second}: braze-local holds ${profiles} profiles`);
  }
});

// ---------------------------------------------------------------------------
// Events: the provider's reading of an event's time and name against braze-local's.

/** Sends one event for a fresh user and returns braze-local's answer and the event it stored, if any. */
async function sendEvent(braze: TestServer, name: string, time: string) {
  await braze.reset();
  const answer = await braze.post("/users/track", { events: [{ external_id: "diff", name, time }] });
  const user = (await braze.users())[0];
  return { answer, stored: user?.events[0] as { name: string; time: string } | undefined };
}

/** The instant of one of the fixed texts below, in the forms JavaScript's Date reads (a `.` before the milliseconds, a zone as ±hh:mm). */
function instantOfFixedTime(text: string): string {
  const readable = text
    .replace(/T(\d{2}:\d{2}:\d{2}):(\d{3})/, "T$1.$2")
    .replace(/([+-]\d{2})(\d{2})$/, "$1:$2")
    .replace(/([+-]\d{2})$/, "$1:00");
  return new Date(readable).toISOString();
}

const eventTimeText = fc.oneof(
  validTimeText,
  invalidTimeText,
  fc.constantFrom(
    "2024-05-01T10:00:00Z",
    "2024-05-01T12:00:00+02:00",
    "2024-05-01T10:00:00:123-0500",
    "2024-05-01T10:00",
    "2024-05-01T10:00:00.5+0530",
    "2024-05-01T10:00:00+05",
  ),
);

Differential(
  `${RUNS} generated event times: a time the provider accepts is stored by braze-local at the instant it means; formats Braze's event object does not list are refused by both`,
  async ({ braze }) => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(eventTimeText, async (time) => {
        const problems = entryProblems({ events: [{ id: "e", name: "played", time }] });
        const { answer, stored } = await sendEvent(braze, "played", time);
        const context = `${describe(time)} -> braze-local ${answer.status} ${describe(answer.body)}, stored ${describe(stored)}`;
        if (problems.length === 0) {
          accepted++;
          const written = timeOracle.get(time) ?? instantOfFixedTime(time);
          const meant = Date.parse(written) > RECEIVED_AT ? new Date(RECEIVED_AT).toISOString() : written;
          assert.ok(answer.status === 201 && answer.body.errors === undefined, `the provider accepts a time braze-local refuses: ${context}`);
          assert.is(stored?.time, meant, `stored instant of ${context}`);
        } else if (/^\d{2}\/|^[A-Za-z]{3} |^\d{4}-\d{2}-\d{2} /.test(time)) {
          // MM/dd/yyyy, the long form and a space for the T: date formats of event properties, not of an event's time.
          assert.ok(
            answer.body.errors !== undefined || answer.status !== 201,
            `braze-local accepts a time format Braze's event object does not list: ${context}`,
          );
        }
        // Other refusals are the provider's own stricter reading (a zone and a time of day required): braze-local reads those as UTC.
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    assert.ok(accepted > RUNS / 10, `accepted ${accepted}`);
  },
);

// Skipped until the provider agrees with braze-local: Braze's event object
// forbids a leading "$" in property names only, so braze-local stores an
// event named "$x"; the provider still refuses it (schema/desired-state.schema.json,
// definitions.eventName, pattern "^[^$]"). Unskip when that pattern is gone.
Differential("generated event names: the provider accepts exactly the names braze-local stores unchanged", async ({ braze }) => {
  const eventName = fc.oneof(
    fc.constantFrom("played", "$internal", "$", " padded", "padded ", "n".repeat(255), "n".repeat(256), "😀".repeat(255), ""),
    fc.string({ maxLength: 12 }),
  );
  await fc.assert(
    fc.asyncProperty(eventName, async (name) => {
      const problems = entryProblems({ events: [{ id: "e", name, time: "2024-05-01T10:00:00Z" }] });
      const { answer, stored } = await sendEvent(braze, name, "2024-05-01T10:00:00Z");
      const storedUnchanged = answer.status === 201 && answer.body.errors === undefined && stored?.name === name;
      const context = `${describe(name)} -> braze-local ${answer.status} ${describe(answer.body)}, stored ${describe(stored)}; provider: ${problems.map((problem) => problem.message).join("; ") || "accepted"}`;
      assert.is(storedUnchanged, problems.length === 0, context);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
});

Differential.run();
