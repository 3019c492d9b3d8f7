// Events and purchases in the desired state: what a user may declare, the
// rules Braze applies to them (each refused with its exact line), and that both
// readings of the file (the fast one and the positioned one) give the same
// arrays, exactly as written, or the same problems at the same places.
import { isDeepStrictEqual } from "node:util";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import schema from "../../schema/desired-state.schema.json";
import { EVENT_PROPERTIES_MAX_BYTES, EVENT_PROPERTIES_MAX_COUNT, ISO_4217_CURRENCY_CODES, PURCHASE_MAX_QUANTITY } from "../../braze-facts";
import { DesiredStateError, entryProblems, type DesiredEvent, type DesiredState, type DesiredStateIssue } from "../../provider/desired-state";
import { isEventTime, relativeEventTimeOffset, resolveEventTime } from "../../provider/model/event-time";
import { readPlainYaml } from "../../provider/desired-state/fast-read";
import { parsePositioned, readDesiredState } from "../../provider/desired-state/load";
import { assertIssues } from "./support/expect-error";

const lines = (...text: string[]) => `${text.join("\n")}\n`;
const issue = (line: number, column: number, path: string, message: string): DesiredStateIssue => ({ file: "users.yaml", line, column, path, message });

/** The state both readings give; fails when they differ or when either refuses the file. */
function load(text: string): DesiredState {
  const chosen = readDesiredState(text, "users.yaml");
  const positioned = parsePositioned(text, "users.yaml");
  assert.ok(
    isDeepStrictEqual(chosen.state, positioned),
    `the readings differ\nfast: ${JSON.stringify(chosen.state)}\npositioned: ${JSON.stringify(positioned)}`,
  );
  assert.is(chosen.reading, "fast", "a plain valid file takes the fast reading");
  return chosen.state;
}

/** The issues both readings report (the same ones, at the same places); fails when either accepts the file. */
function problems(text: string): readonly DesiredStateIssue[] {
  const read = (reader: () => unknown): DesiredStateError => {
    try {
      reader();
    } catch (error) {
      assert.instance(error, DesiredStateError);
      return error as DesiredStateError;
    }
    assert.unreachable("the file was accepted");
    throw new Error("unreachable");
  };
  const fast = read(() => readDesiredState(text, "users.yaml"));
  const positioned = read(() => parsePositioned(text, "users.yaml"));
  assert.is(fast.message, positioned.message, "both readings report the same problems");
  return fast.issues;
}

/** A file of one user (ada) with these lines under it. */
const ada = (...userLines: string[]) => lines("users:", "  - alias: { name: ada, label: qa-personas }", ...userLines.map((line) => `    ${line}`));
/** A file whose one user has one event, written on one line as a flow mapping (the event starts at column 9 of line 4). */
const event = (fields: string) => ada("events:", `  - { ${fields} }`);
/** The same for one purchase. */
const purchase = (fields: string) => ada("purchases:", `  - { ${fields} }`);

const TIME_EXPECTED =
  "an ISO 8601 date-time with a time zone, such as 2024-05-01T10:00:00Z or 2024-05-01T12:00:00+02:00, or a time relative to the first send, such as -3d (units m, h, d, w)";

const ISSUE_EXAMPLE = lines(
  "users:",
  "  - alias: { name: ada, label: qa-personas }",
  "    attributes: { first_name: Ada }",
  "    events:",
  "      - id: ada-first-rental          # stable identity, unique within the user; never sent to Braze",
  "        name: rented_movie",
  "        time: 2024-05-01T10:00:00Z",
  "        properties: { title: Dune, release: { studio: FilmStudio, year: 2022 } }",
  "    purchases:",
  "      - id: ada-gold",
  "        product_id: gold-plan",
  "        currency: USD",
  "        price: 9.99",
  "        quantity: 1",
  "        time: 2024-05-02T10:00:00Z",
  "        properties: { coupon: SPRING }",
);

const declared = suite("events and purchases: what a user declares");

declared("the issue's example loads with both arrays as written, on both readings", () => {
  const [user] = load(ISSUE_EXAMPLE).users;
  assert.equal(user, {
    user: { alias: { name: "ada", label: "qa-personas" }, attributes: { first_name: "Ada" }, subscriptionGroups: {} },
    events: [
      {
        id: "ada-first-rental",
        name: "rented_movie",
        time: "2024-05-01T10:00:00Z",
        properties: { title: "Dune", release: { studio: "FilmStudio", year: 2022 } },
      },
    ],
    purchases: [
      { id: "ada-gold", product_id: "gold-plan", currency: "USD", price: 9.99, quantity: 1, time: "2024-05-02T10:00:00Z", properties: { coupon: "SPRING" } },
    ],
  });
});

declared("an unquoted time stays the text written (never a Date), as a quoted one", () => {
  for (const written of [
    "2024-05-01T10:00:00Z",
    "2024-05-01T12:00:00+02:00",
    "2024-05-01T10:00:00.123Z",
    "2013-07-16T19:20:30:000+0100",
    "2024-05-01T10:00Z",
    "2024-05-01T10:00:00-05",
  ]) {
    for (const source of [written, `"${written}"`, `'${written}'`]) {
      const [user] = load(event(`id: e1, name: opened, time: ${source}`)).users;
      assert.is(user.events?.[0].time, written, source);
    }
  }
});

declared("a relative time is kept as written, for the provider to resolve at the first send", () => {
  const [user] = load(
    ada(
      "events:",
      "  - { id: e1, name: opened, time: -3d }",
      "  - { id: e2, name: opened, time: -90m }",
      "purchases:",
      "  - { id: p1, product_id: gold, currency: EUR, price: 5, time: -2w }",
    ),
  ).users;
  assert.equal(
    user.events?.map((entry) => entry.time),
    ["-3d", "-90m"],
  );
  assert.is(user.purchases?.[0].time, "-2w");
});

declared("a user without events or purchases carries neither; an empty list stays an empty list", () => {
  const state = load(lines("users:", "  - alias: { name: ada, label: qa }", "  - alias: { name: bob, label: qa }", "    events: []", "    purchases: []"));
  assert.equal(Object.keys(state.users[0]), ["user"]);
  assert.equal(state.users[1].events, []);
  assert.equal(state.users[1].purchases, []);
});

declared("app_id (documented by Braze for events and purchases), a refund's negative price and every property kind are accepted", () => {
  const [user] = load(
    ada(
      "events:",
      "  - id: e1",
      "    name: rented_movie",
      "    time: -1h",
      "    app_id: your_app_identifier",
      "    properties: { n: 1.5, b: true, at: 2024-05-01, s: '', cast: [{ name: Actor1 }, [1, two]], release: { year: 2022, on: 2022-03-01 } }",
      "purchases:",
      "  - { id: p1, product_id: gold, currency: USD, price: -9.99, time: -1d, app_id: your_app_identifier }",
    ),
  ).users;
  assert.is(user.events?.[0].app_id, "your_app_identifier");
  assert.equal(user.events?.[0].properties, {
    n: 1.5,
    b: true,
    at: "2024-05-01",
    s: "",
    cast: [{ name: "Actor1" }, [1, "two"]],
    release: { year: 2022, on: "2022-03-01" },
  });
  assert.is(user.purchases?.[0].price, -9.99);
});

declared("the same id in two users is two entries", () => {
  const state = load(
    lines(
      "users:",
      "  - alias: { name: ada, label: qa }",
      "    events: [{ id: welcome, name: opened, time: -1d }]",
      "  - alias: { name: bob, label: qa }",
      "    events: [{ id: welcome, name: opened, time: -1d }]",
    ),
  );
  assert.is(state.users.length, 2);
});

declared("a flat properties object over 100 KB is accepted: Braze's 100 KB cap applies to properties holding a list or a mapping", () => {
  const properties = Array.from({ length: 256 }, (_, index) => `${String(index).padStart(3, "0")}${"k".repeat(197)}: ${"v".repeat(255)}`).join(", ");
  assert.ok(properties.length > EVENT_PROPERTIES_MAX_BYTES, "the payload is over the cap");
  const [user] = load(event(`id: e1, name: opened, time: -1d, properties: { ${properties} }`)).users;
  assert.is(Object.keys(user.events?.[0].properties ?? {}).length, 256);
});

declared.run();

const times = suite("events and purchases: time");

times("refuses a date-time without a time zone, saying to add one", () => {
  assertIssues(problems(event("id: e1, name: opened, time: 2024-05-01T10:00:00")), [
    issue(
      4,
      39,
      "users[0].events[0].time",
      'needs a time zone (got "2024-05-01T10:00:00"): add Z for UTC (2024-05-01T10:00:00Z) or an offset such as +02:00, so the time does not depend on how it is read',
    ),
  ]);
});

times("refuses a date without a time, a day that does not exist, a lower-case z and a space for T", () => {
  for (const written of [
    "2024-05-01",
    "2024-02-30T10:00:00Z",
    "2024-05-01T10:00:00z",
    "2024-05-01 10:00:00Z",
    "2024-05-01T24:00:00Z",
    "3001-01-01T00:00:00Z",
  ]) {
    assertIssues(problems(event(`id: e1, name: opened, time: ${written}`)), [
      issue(4, 39, "users[0].events[0].time", `must be ${TIME_EXPECTED} (got "${written}")`),
    ]);
  }
});

times("refuses a relative time with an unknown unit, no number, zero, a plus sign or a leading zero", () => {
  for (const written of ["-3y", "-d", "-0d", "+3d", "-03d", "3d", "-3 d", "-100000w"]) {
    assertIssues(problems(event(`id: e1, name: opened, time: "${written}"`)), [
      issue(4, 39, "users[0].events[0].time", `must be ${TIME_EXPECTED} (got "${written}")`),
    ]);
  }
});

times("refuses a time YAML reads as a number or null, saying what a time is", () => {
  assertIssues(problems(event("id: e1, name: opened, time: -3")), [issue(4, 39, "users[0].events[0].time", `must be ${TIME_EXPECTED} (got -3)`)]);
  assertIssues(problems(purchase("id: p1, product_id: gold, currency: USD, price: 1, time: ")), [
    issue(4, 69, "users[0].purchases[0].time", `must be ${TIME_EXPECTED} (got null)`),
  ]);
});

times("a relative time resolves to the instant that far before now, in UTC; an absolute one is sent as written", () => {
  const now = Date.parse("2024-05-04T10:00:00.000Z");
  assert.is(resolveEventTime("-3d", now), "2024-05-01T10:00:00.000Z");
  assert.is(resolveEventTime("-90m", now), "2024-05-04T08:30:00.000Z");
  assert.is(resolveEventTime("-2h", now), "2024-05-04T08:00:00.000Z");
  assert.is(resolveEventTime("-1w", now), "2024-04-27T10:00:00.000Z");
  assert.is(resolveEventTime("2024-05-01T12:00:00+02:00", now), "2024-05-01T12:00:00+02:00");
  assert.is(relativeEventTimeOffset("-99999w"), 99999 * 7 * 86_400_000);
  assert.is(relativeEventTimeOffset("2024-05-01T10:00:00Z"), undefined);
  assert.ok(isEventTime("-1m") && isEventTime("0000-01-01T00:00:00Z") && !isEventTime("-100000w"));
});

times.run();

const events = suite("events and purchases: the fields Braze checks");

events("refuses an entry without its required fields, at the entry", () => {
  assertIssues(problems(event("name: opened")), [issue(4, 9, "users[0].events[0].id", "is required"), issue(4, 9, "users[0].events[0].time", "is required")]);
  assertIssues(problems(purchase("id: p1")), [
    issue(4, 9, "users[0].purchases[0].currency", "is required"),
    issue(4, 9, "users[0].purchases[0].price", "is required"),
    issue(4, 9, "users[0].purchases[0].product_id", "is required"),
    issue(4, 9, "users[0].purchases[0].time", "is required"),
  ]);
});

events("refuses a field Braze's objects do not have, naming the ones they do", () => {
  assertIssues(problems(event("id: e1, name: opened, time: -1d, external_id: ada")), [
    issue(4, 44, "users[0].events[0].external_id", "is not a known field (expected one of id, name, time, app_id, properties)"),
  ]);
  assertIssues(problems(purchase("id: p1, product_id: gold, currency: USD, price: 1, time: -1d, name: gold")), [
    issue(4, 73, "users[0].purchases[0].name", "is not a known field (expected one of id, product_id, currency, price, quantity, time, app_id, properties)"),
  ]);
});

events("refuses events and purchases that are not lists of mappings", () => {
  assertIssues(problems(ada("events: { e1: opened }")), [issue(3, 13, "users[0].events", 'must be a list (got {"e1":"opened"})')]);
  assertIssues(problems(ada("purchases:", "  - gold")), [issue(4, 9, "users[0].purchases[0]", 'must be a mapping (got "gold")')]);
});

events("refuses an empty id, one with surrounding whitespace, and a number", () => {
  assertIssues(problems(event('id: "", name: opened, time: -1d')), [issue(4, 15, "users[0].events[0].id", "must not be empty")]);
  assertIssues(problems(event('id: " e1", name: opened, time: -1d')), [
    issue(4, 15, "users[0].events[0].id", 'must be an id without leading or trailing whitespace (got " e1")'),
  ]);
  assertIssues(problems(event("id: 7, name: opened, time: -1d")), [issue(4, 15, "users[0].events[0].id", "must be a string (got 7)")]);
});

events("refuses an id used twice in a user, in its events or across events and purchases, naming the first and where it is", () => {
  assertIssues(
    problems(
      ada(
        "events:",
        "  - { id: welcome, name: opened, time: -2d }",
        "  - { id: welcome, name: opened, time: -1d }",
        "purchases:",
        "  - { id: welcome, product_id: gold, currency: USD, price: 1, time: -1d }",
      ),
    ),
    [
      issue(
        5,
        15,
        "users[0].events[1].id",
        'duplicates the id "welcome" of users[0].events[0] (users.yaml:4:15): an id names one entry, unique across the user\'s events and purchases; give this entry a new id',
      ),
      issue(
        7,
        15,
        "users[0].purchases[0].id",
        'duplicates the id "welcome" of users[0].events[0] (users.yaml:4:15): an id names one entry, unique across the user\'s events and purchases; give this entry a new id',
      ),
    ],
  );
});

events("refuses an event name that is empty, has surrounding whitespace or is over 255 characters, and takes one starting with $", () => {
  assertIssues(problems(event('id: e1, name: "", time: -1d')), [issue(4, 25, "users[0].events[0].name", "must not be empty")]);
  // Braze's event object forbids "$" at the start of property names only.
  load(event('id: e1, name: "$opened", time: -1d'));
  assertIssues(problems(event('id: e1, name: "opened ", time: -1d')), [
    issue(4, 25, "users[0].events[0].name", 'cannot start or end with whitespace: Braze trims event names (got "opened ")'),
  ]);
  assertIssues(problems(event(`id: e1, name: ${"n".repeat(256)}, time: -1d`)), [
    issue(4, 25, "users[0].events[0].name", "must be at most 255 characters (got 256)"),
  ]);
  load(event(`id: e1, name: ${"n".repeat(255)}, time: -1d`));
});

events("refuses an empty app_id", () => {
  assertIssues(problems(event('id: e1, name: opened, time: -1d, app_id: ""')), [issue(4, 52, "users[0].events[0].app_id", "must not be empty")]);
});

events("in a large file read in parts, a mistake and a repeated id far down are placed as the whole-file reading places them", () => {
  const users: string[] = [];
  for (let index = 0; index < 1500; index++) {
    users.push(
      `  - alias: { name: user-${index}, label: qa }`,
      "    events:",
      `      - { id: e-${index}, name: opened, time: -${index + 1}h, properties: { screen: home, tags: [a, b] } }`,
    );
    if (index === 420) users.push("      - { id: e-420, name: opened, time: 2024-05-01T10:00:00 }");
  }
  const text = lines("users:", ...users);
  const fast = readPlainYaml(text);
  assert.ok("layout" in fast && fast.layout !== undefined, "read in parts, so the mistakes are placed item by item");
  assertIssues(problems(text), [
    issue(
      1265,
      15,
      "users[420].events[1].id",
      'duplicates the id "e-420" of users[420].events[0] (users.yaml:1264:15): an id names one entry, unique across the user\'s events and purchases; give this entry a new id',
    ),
    issue(
      1265,
      42,
      "users[420].events[1].time",
      'needs a time zone (got "2024-05-01T10:00:00"): add Z for UTC (2024-05-01T10:00:00Z) or an offset such as +02:00, so the time does not depend on how it is read',
    ),
  ]);
});

events.run();

const purchases = suite("events and purchases: purchase fields");

purchases("refuses a currency that is not an upper-case ISO 4217 code", () => {
  for (const currency of ["usd", "US", "DOLLAR", "ABC", "XXX", "XTS"]) {
    assertIssues(problems(purchase(`id: p1, product_id: gold, currency: ${currency}, price: 1, time: -1d`)), [
      issue(4, 47, "users[0].purchases[0].currency", `must be an ISO 4217 currency code in capitals, such as "USD" or "EUR" (got "${currency}")`),
    ]);
  }
  for (const currency of ["EUR", "JPY", "CHF", "XOF", "ZWG"]) load(purchase(`id: p1, product_id: gold, currency: ${currency}, price: 1, time: -1d`));
});

purchases("refuses a price that is text or not finite", () => {
  assertIssues(problems(purchase('id: p1, product_id: gold, currency: USD, price: "9.99", time: -1d')), [
    issue(4, 59, "users[0].purchases[0].price", 'must be a number (got "9.99")'),
  ]);
  assertIssues(problems(purchase("id: p1, product_id: gold, currency: USD, price: .inf, time: -1d")), [
    issue(4, 59, "users[0].purchases[0].price", "must be a finite number (got Infinity)"),
  ]);
});

purchases("refuses a quantity outside 1 to 100 or not whole, saying to split a larger one", () => {
  const at = (quantity: string) => problems(purchase(`id: p1, product_id: gold, currency: USD, price: 1, quantity: ${quantity}, time: -1d`));
  assertIssues(at("0"), [issue(4, 72, "users[0].purchases[0].quantity", "must be at least 1 (got 0)")]);
  assertIssues(at("1.5"), [issue(4, 72, "users[0].purchases[0].quantity", "must be an integer (got 1.5)")]);
  assertIssues(at("101"), [
    issue(
      4,
      72,
      "users[0].purchases[0].quantity",
      "must be at most 100 (got 101): Braze takes at most 100 units in one purchase; split it into several purchases, each with its own id",
    ),
  ]);
  load(purchase("id: p1, product_id: gold, currency: USD, price: 1, quantity: 100, time: -1d"));
});

purchases("refuses a product_id that is empty, has surrounding whitespace or is over 255 characters", () => {
  assertIssues(problems(purchase('id: p1, product_id: "", currency: USD, price: 1, time: -1d')), [
    issue(4, 31, "users[0].purchases[0].product_id", "must not be empty"),
  ]);
  assertIssues(problems(purchase('id: p1, product_id: " gold", currency: USD, price: 1, time: -1d')), [
    issue(4, 31, "users[0].purchases[0].product_id", 'must be text without leading or trailing whitespace (Braze trims it) (got " gold")'),
  ]);
  assertIssues(problems(purchase(`id: p1, product_id: ${"p".repeat(256)}, currency: USD, price: 1, time: -1d`)), [
    issue(4, 31, "users[0].purchases[0].product_id", "must be at most 255 characters (got 256)"),
  ]);
});

purchases.run();

const properties = suite("events and purchases: properties");

properties("refuses Braze's reserved property names, names starting with $, empty names and names over 255 characters", () => {
  assertIssues(problems(event(`id: e1, name: opened, time: -1d, properties: { time: 1, event_name: 2, $plan: 3, "": 4, ${"k".repeat(256)}: 5 }`)), [
    issue(4, 58, "users[0].events[0].properties.time", "cannot be time or event_name: Braze reserves these property names and refuses the entry"),
    issue(4, 67, "users[0].events[0].properties.event_name", "cannot be time or event_name: Braze reserves these property names and refuses the entry"),
    issue(4, 82, 'users[0].events[0].properties["$plan"]', 'cannot start with "$": Braze refuses property names starting with "$"'),
    issue(4, 92, 'users[0].events[0].properties[""]', "must not be empty"),
    issue(4, 99, `users[0].events[0].properties.${"k".repeat(256)}`, "must be at most 255 characters"),
  ]);
});

properties("refuses a purchase's own field names as its property names", () => {
  assertIssues(problems(purchase("id: p1, product_id: gold, currency: USD, price: 1, time: -1d, properties: { price: 2, coupon: SPRING }")), [
    issue(
      4,
      87,
      "users[0].purchases[0].properties.price",
      "cannot be product_id, quantity, price or currency: Braze reserves these names in purchase properties; they are fields of the purchase",
    ),
  ]);
});

properties("refuses a string value over 255 characters, at any depth: an error for events, not a truncation", () => {
  assertIssues(problems(event(`id: e1, name: opened, time: -1d, properties: { a: ${"v".repeat(256)}, b: { c: [${"w".repeat(256)}] } }`)), [
    issue(4, 61, "users[0].events[0].properties.a", "must be at most 255 characters (got 256)"),
    issue(4, 328, "users[0].events[0].properties.b.c[0]", "must be at most 255 characters (got 256)"),
  ]);
});

properties("refuses null, at any depth: Braze lists no null property value", () => {
  assertIssues(problems(event("id: e1, name: opened, time: -1d, properties: { a: null, b: { c: ~ }, d: [1, null] }")), [
    issue(
      4,
      61,
      "users[0].events[0].properties.a",
      "must be a string, number, boolean, list or mapping (null is not a property value: leave the property out) (got null)",
    ),
    issue(
      4,
      75,
      "users[0].events[0].properties.b.c",
      "must be a string, number, boolean, list or mapping (null is not a property value: leave the property out) (got null)",
    ),
    issue(
      4,
      87,
      "users[0].events[0].properties.d[1]",
      "must be a string, number, boolean, list or mapping (null is not a property value: leave it out) (got null)",
    ),
  ]);
});

properties("refuses a date inside a list, also inside a mapping in a list, and accepts one elsewhere", () => {
  const dateInList =
    "cannot be a date inside a list: Braze does not support dates in event and purchase property lists; move the date to a property of its own";
  assertIssues(problems(event("id: e1, name: opened, time: -1d, properties: { seen: [2024-05-01], cast: [{ born: 05/01/1990 }] }")), [
    issue(4, 65, "users[0].events[0].properties.seen[0]", `${dateInList} (got "2024-05-01")`),
    issue(4, 93, "users[0].events[0].properties.cast[0].born", `${dateInList} (got "05/01/1990")`),
  ]);
  load(event("id: e1, name: opened, time: -1d, properties: { seen: 2024-05-01, release: { on: 2024-05-01 }, tags: [2024] }"));
});

properties("refuses more than 256 properties: Braze drops the others", () => {
  const many = Array.from({ length: 257 }, (_, index) => `p${index}: 1`).join(", ");
  assertIssues(problems(event(`id: e1, name: opened, time: -1d, properties: { ${many} }`)), [
    issue(4, 56, "users[0].events[0].properties", "must have at most 256 properties (got 257): Braze drops the others"),
  ]);
});

properties("refuses properties over 100 KB that hold a list, and accepts them at the limit", () => {
  // Each item is 92 bytes as JSON with its comma; the rest of the object is 11 bytes.
  const withItems = (count: number) =>
    event(`id: e1, name: opened, time: -1d, properties: { big: [${Array.from({ length: count }, () => "y".repeat(90)).join(", ")}] }`);
  const bytes = (count: number) => Buffer.byteLength(JSON.stringify({ big: Array.from({ length: count }, () => "y".repeat(90)) }));
  const fits = Math.floor((EVENT_PROPERTIES_MAX_BYTES - 10) / 93);
  assert.ok(bytes(fits) <= EVENT_PROPERTIES_MAX_BYTES && bytes(fits + 1) > EVENT_PROPERTIES_MAX_BYTES, "the sizes straddle the cap");
  load(withItems(fits));
  assertIssues(problems(withItems(fits + 1)), [
    issue(
      4,
      56,
      "users[0].events[0].properties",
      `must be at most 100000 bytes as JSON (got ${bytes(fits + 1)}): Braze refuses properties over 100 KB when they hold a list or a mapping`,
    ),
  ]);
});

properties.run();

const inCode = suite("events and purchases declared in TypeScript");

inCode("entryProblems applies the file's rules, by property path, and names the first of two equal ids", () => {
  const events = [
    { id: "welcome", name: "opened", time: "-1d" },
    { id: "welcome", name: " opened", time: "2024-05-01T10:00:00" },
  ] as DesiredEvent[];
  assert.equal(entryProblems({ events, purchases: [{ id: "gold", product_id: "gold", currency: "usd", price: 1, time: "-1d" }] }), [
    { property: "events[1].name", message: 'cannot start or end with whitespace: Braze trims event names (got " opened")' },
    {
      property: "events[1].time",
      message:
        'needs a time zone (got "2024-05-01T10:00:00"): add Z for UTC (2024-05-01T10:00:00Z) or an offset such as +02:00, so the time does not depend on how it is read',
    },
    { property: "purchases[0].currency", message: 'must be an ISO 4217 currency code in capitals, such as "USD" or "EUR" (got "usd")' },
    {
      property: "events[1].id",
      message: 'duplicates the id "welcome" of events[0]: an id names one entry, unique across the user\'s events and purchases; give this entry a new id',
    },
  ]);
  assert.equal(entryProblems({ events: [events[0]] }), []);
  assert.equal(entryProblems({}), []);
});

inCode.run();

const facts = suite("events and purchases: the schema's limits are braze-facts'");

facts("the schema's numbers are the shared facts braze-local can read", () => {
  const definitions = (schema as unknown as { definitions: Record<string, Record<string, unknown>> }).definitions;
  assert.is((definitions.eventProperties.else as Record<string, unknown>)["x-max-json-bytes"], EVENT_PROPERTIES_MAX_BYTES);
  assert.is(definitions.eventProperties.maxProperties, EVENT_PROPERTIES_MAX_COUNT);
  const quantity = (definitions.purchaseDeclaration.properties as Record<string, Record<string, unknown>>).quantity;
  assert.is(quantity.maximum, PURCHASE_MAX_QUANTITY);
  assert.ok(ISO_4217_CURRENCY_CODES.has("USD") && !ISO_4217_CURRENCY_CODES.has("XXX") && ISO_4217_CURRENCY_CODES.size === 181);
});

facts.run();
