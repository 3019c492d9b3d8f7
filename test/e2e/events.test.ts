// Events and purchases through the real engine: the root program's one
// BrazeUserSet, braze-local, exact request bodies. One stack, five ups.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { LoggedRequest } from "../harness/local-braze";
import { userSets } from "../harness/recorded-users";
import { startYamlStack, type YamlStack } from "../harness/yaml-stack";

interface Context extends YamlStack {
  seen: number;
}

async function newRequests(context: Context): Promise<LoggedRequest[]> {
  const all = await context.braze.requests();
  const fresh = all.slice(context.seen);
  context.seen = all.length;
  return fresh;
}

const alias = (name: string) => ({ alias_name: name, alias_label: "events" });
const rental = {
  id: "ada-first-rental",
  name: "rented_movie",
  time: "2024-05-01T10:00:00Z",
  properties: { title: "Dune", release: { studio: "FilmStudio", year: 2022 } },
};
const gold = {
  id: "ada-gold",
  product_id: "gold-plan",
  currency: "USD",
  price: 9.99,
  quantity: 1,
  time: "2024-05-02T10:00:00Z",
  properties: { coupon: "SPRING" },
};
const ada = (events: object[], purchases: object[]) => ({ alias: { name: "ada", label: "events" }, attributes: { first_name: "Ada" }, events, purchases });
const bob = { alias: { name: "bob", label: "events" }, attributes: { first_name: "Bob" } };

/** What braze-local holds for a user: events as `name@time`, purchases as `product_id@time`. */
async function logged(context: Context, name: string): Promise<string[]> {
  const user = (await context.braze.users()).find((u: any) => u.user_aliases[0].alias_name === name) as any;
  return [...user.events.map((e: any) => `${e.name}@${e.time}`), ...user.purchases.map((p: any) => `${p.product_id}@${p.time}`)].sort();
}

const Events = suite<Context>("events and purchases in the desired state, each sent once (root program, one set)");

Events.before(async (context) => {
  Object.assign(context, await startYamlStack({ projectName: "events" }), { seen: 0 });
});
Events.after(async (context) => context.close?.());

Events("create: the counts are read, the attributes create the users, and the entries go once Braze shows ada", async (context) => {
  context.writeUsers([ada([rental], [gold]), bob]);
  await context.stack.up();
  const requests = await newRequests(context);
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", "/users/track", "/users/export/ids", "/users/track"],
  );
  assert.equal(requests[1].body, {
    attributes: [
      { user_alias: alias("ada"), _update_existing_only: false, first_name: "Ada" },
      { user_alias: alias("bob"), _update_existing_only: false, first_name: "Bob" },
    ],
  });
  assert.equal((requests[2].body as any).user_aliases, [alias("ada")], "only the new user with entries is read");
  assert.equal(requests[3].body, {
    events: [
      {
        user_alias: alias("ada"),
        _update_existing_only: true,
        name: "rented_movie",
        time: "2024-05-01T10:00:00Z",
        properties: { release: { studio: "FilmStudio", year: 2022 }, title: "Dune" },
      },
    ],
    purchases: [
      {
        user_alias: alias("ada"),
        _update_existing_only: true,
        product_id: "gold-plan",
        currency: "USD",
        price: 9.99,
        quantity: 1,
        time: "2024-05-02T10:00:00Z",
        properties: { coupon: "SPRING" },
      },
    ],
  });
  assert.equal(await logged(context, "ada"), ["gold-plan@2024-05-02T10:00:00.000Z", "rented_movie@2024-05-01T10:00:00.000Z"]);
});

Events("the same file again: preview expects no change, up sends nothing", async (context) => {
  await context.stack.preview({ expectNoChanges: true });
  await context.stack.up();
  assert.equal(await newRequests(context), []);
});

Events("a new entry sends exactly that entry", async (context) => {
  const second = { id: "ada-second-rental", name: "rented_movie", time: "-3d" };
  context.writeUsers([ada([rental, second], [gold]), bob]);
  await context.stack.up();
  const requests = await newRequests(context);
  assert.equal(
    requests.map((r) => r.path),
    ["/users/export/ids", "/users/track"],
  );
  const [event] = (requests[1].body as any).events;
  assert.equal(Object.keys(requests[1].body as object), ["events"]);
  assert.equal({ ...event, time: "resolved" }, { user_alias: alias("ada"), _update_existing_only: true, name: "rented_movie", time: "resolved" });
  assert.ok(Math.abs(Date.parse(event.time) - (Date.now() - 3 * 86_400_000)) < 600_000, `-3d resolved at send: ${event.time}`);
  assert.is((await logged(context, "ada")).length, 3);
  // Compared as written: the relative time is the same event on the next run.
  await context.stack.up();
  assert.equal(await newRequests(context), []);
});

Events("a changed entry fails naming it, and nothing is sent", async (context) => {
  context.writeUsers([
    ada(
      [
        { ...rental, properties: { title: "Dune: Part Two" } },
        { id: "ada-second-rental", name: "rented_movie", time: "-3d" },
      ],
      [gold],
    ),
    { ...bob, attributes: { first_name: "Bobby" } },
  ]);
  const failure = await context.stack.up().then(
    () => undefined,
    (error: Error) => error,
  );
  assert.ok(failure, "the run fails");
  assert.match(
    failure!.message,
    'users["events/ada"].events.ada-first-rental: it changed (properties) after Braze logged it on an earlier up, and Braze cannot change a logged event',
  );
  assert.match(failure!.message, "give the changed event a new id");
  assert.equal(await newRequests(context), [], "not even bob's change");
});

Events("a removed entry sends nothing, and the run says so once", async (context) => {
  context.writeUsers([ada([{ id: "ada-second-rental", name: "rented_movie", time: "-3d" }], []), bob]);
  await context.stack.up();
  assert.equal(await newRequests(context), []);
  const outputs = userSets(await context.stack.exportState())[0].outputs;
  assert.equal(outputs.forgotten, { "events/ada": ["events.ada-first-rental", "purchases.ada-gold"] });
  assert.equal(outputs.pending, {});
  assert.is((await logged(context, "ada")).length, 3, "Braze keeps what it logged");
});

Events.run();
