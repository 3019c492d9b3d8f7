// BrazeUser's provider against braze-local over real HTTP, without the engine:
// what it records when a request fails or its answer is lost, and what it sends
// to a user deleted outside Pulumi.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient } from "../../provider/braze/client";
import { BrazeUsersApi } from "../../provider/braze/users-api";
import { resetDeclarations } from "../../provider/runtime/declared-aliases";
import { PartialFailure } from "../../provider/runtime/partial-failure";
import { UserProvider, type UserOutputs } from "../../provider/runtime/user-provider";
import { DEVELOPMENT_API_KEY } from "../../server";
import { startLossyProxy } from "../harness/lossy-proxy";
import { startTestServer, type TestServer } from "../server/local-server";

function providerFor(endpoint: string): UserProvider {
  const client = new BrazeClient({ endpoint, apiKey: DEVELOPMENT_API_KEY, sleep: async () => {}, random: () => 0 });
  return new UserProvider(new BrazeUsersApi(client, { maxObjectsPerRequest: 75, capScope: "per-array" }));
}

const ada = (seats: number) => ({ alias: { name: "ada", label: "qa" }, attributes: { first_name: "Ada", seats }, subscriptionGroups: {} });

interface Context {
  braze: TestServer;
}

const User = suite<Context>("BrazeUser provider: lost answers and users deleted outside Pulumi");

User.before.each(async (context) => {
  resetDeclarations();
  context.braze = await startTestServer({ rateLimit: "100000/1" });
});
User.after.each(async (context) => context.braze.close());

User("a change whose answer is lost is recorded as unsure, so reverting it is still a change and Braze ends at the reverted value", async (context) => {
  const { outs } = await providerFor(context.braze.url).create(ada(1));
  const proxy = await startLossyProxy(context.braze.url, (route) => route === "/users/track");
  let failure: PartialFailure<UserOutputs>;
  try {
    failure = (await providerFor(proxy.url)
      .update("qa/ada", outs as never, ada(2))
      .catch((error) => error)) as PartialFailure<UserOutputs>;
  } finally {
    await proxy.close();
  }
  assert.instance(failure, PartialFailure);
  assert.is(failure.id, "qa/ada");
  assert.equal(failure.properties, { ...ada(1), unsure: { attributes: ["seats"], subscriptionGroups: [] } }, "state keeps what is known, and what is not");
  assert.is((await context.braze.exportAlias("qa", "ada")).custom_attributes.seats, 2, "braze-local applied the change whose answer was lost");
  const provider = providerFor(context.braze.url);
  assert.is(provider.diff(failure.properties as never, ada(1)).changes, true, "the revert is a change");
  const before = (await context.braze.requests()).length;
  const { outs: after } = await provider.update("qa/ada", failure.properties as never, ada(1));
  assert.equal(
    (await context.braze.requests()).slice(before).map((r: any) => r.request_body),
    [{ attributes: [{ user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: true, seats: 1 }] }],
  );
  assert.equal(after, ada(1));
  assert.is((await context.braze.exportAlias("qa", "ada")).custom_attributes.seats, 1);
});

User("a create whose answer is lost is recorded with its existence unsure, and the next up sends it whole", async (context) => {
  const proxy = await startLossyProxy(context.braze.url, (route) => route === "/users/track");
  let failure: PartialFailure<UserOutputs>;
  try {
    failure = (await providerFor(proxy.url)
      .create(ada(1))
      .catch((error) => error)) as PartialFailure<UserOutputs>;
  } finally {
    await proxy.close();
  }
  assert.instance(failure, PartialFailure);
  assert.equal(failure.properties, { ...ada(1), unsure: "all" });
  const provider = providerFor(context.braze.url);
  assert.is(provider.diff(failure.properties as never, ada(1)).changes, true);
  const before = (await context.braze.requests()).length;
  await provider.update("qa/ada", failure.properties as never, ada(1));
  assert.equal(
    (await context.braze.requests()).slice(before).map((r: any) => r.request_body),
    [{ attributes: [{ user_alias: { alias_name: "ada", alias_label: "qa" }, _update_existing_only: false, first_name: "Ada", seats: 1 }] }],
  );
});

User("an update to a user deleted outside Pulumi creates no partial user; refresh then reports it gone", async (context) => {
  const provider = providerFor(context.braze.url);
  const { outs } = await provider.create(ada(1));
  await context.braze.post("/users/delete", { user_aliases: [{ alias_name: "ada", alias_label: "qa" }] });
  await provider.update("qa/ada", outs as never, ada(2));
  assert.equal(await context.braze.users(), [], "no user holding only the delta");
  assert.equal(await provider.read("qa/ada", ada(2) as never), {}, "refresh drops it from state, so the next up creates it whole");
});

User("two BrazeUser resources declaring one alias are refused at check and before anything is sent, naming both", async (context) => {
  const provider = providerFor(context.braze.url);
  assert.equal(provider.check({ name: "ada", ...ada(1) }).failures, []);
  assert.equal(provider.check({ name: "ada-again", ...ada(2) }).failures, [
    {
      property: "alias",
      reason:
        'alias qa/ada is declared twice, by BrazeUser "ada-again" (alias qa/ada) and by BrazeUser "ada" (alias qa/ada): each alias is one Braze user, so declare it in one place only',
    },
  ]);
  const refused = await provider.create({ name: "ada", ...ada(1) }).catch((error: Error) => error);
  assert.instance(refused, Error);
  assert.is(
    (refused as Error).message,
    'BrazeUser "ada": nothing was sent: 1 of its aliases is declared more than once; each alias is one Braze user, so declare it in one place only\n' +
      'alias qa/ada is declared 2 times, by BrazeUser "ada" (alias qa/ada) and by BrazeUser "ada-again" (alias qa/ada)',
  );
  assert.equal(await context.braze.requests(), []);
});

User.run();
