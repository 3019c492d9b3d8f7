// User sets when Braze refuses or answers are lost: a failed run names each user,
// state records what Braze accepted, a later run finishes the work, and a user
// that moved is never deleted while anything still declares it.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startLocalBraze, type LocalBraze } from "../harness/local-braze";
import { startLossyProxy } from "../harness/lossy-proxy";
import { personas, type PersonaDeclaration } from "../harness/personas";
import { recordedUsers, userSets } from "../harness/recorded-users";
import { createTestStack, type TestStack } from "../harness/test-stack";
import { startYamlStack } from "../harness/yaml-stack";

const TWO_SETS_PROGRAM = path.resolve(__dirname, "..", "fixtures", "two-sets-program");

const Failures = suite("user sets: rejected users, lost answers and moves");

Failures("a user Braze rejects fails the run by name; state holds the accepted users; fixing the file converges", async () => {
  // braze-local refuses every value of this attribute (an injected fault), as Braze refuses values the provider cannot check.
  const REJECTED = "notes_braze_refuses";
  const context = await startYamlStack({ projectName: "set-rejects", braze: { faults: { rejectAttributes: [REJECTED] } } });
  try {
    const users = personas(120, "rejects");
    users[42] = { ...users[42], attributes: { ...users[42].attributes, [REJECTED]: { long: "text" } } };
    context.writeUsers(users);
    const failure = await context.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(failure, "the run fails");
    assert.match(failure!.message, "1 error occurred");
    assert.match(
      failure!.message,
      'users["rejects/persona-0042"]: POST /users/track: Braze rejected the attributes object for alias persona-0042 (label rejects)',
    );
    assert.match(failure!.message, "injected fault");
    // Braze dropped the nested updates of the other objects of that request; they were sent again, alone, in the same run.
    const state = await context.stack.exportState();
    const recorded = recordedUsers(state);
    assert.is(recorded.size, 120, "every user is recorded, the rejected one as pending");
    assert.equal(userSets(state)[0].outputs.pending, { "rejects/persona-0042": failure!.message.match(/users\["rejects\/persona-0042"\]: (.*)/)![1] });
    const before = (await context.braze.requests()).length;
    const { [REJECTED]: _refused, ...rest } = users[42].attributes;
    users[42] = { ...users[42], attributes: { ...rest, notes: { short: "fits" } } };
    context.writeUsers(users);
    await context.stack.up();
    const retry = (await context.braze.requests()).slice(before);
    const expected42 = { ...users[42].attributes };
    assert.equal(
      retry.map((r) => [r.path, r.body]),
      [
        [
          "/users/track",
          {
            attributes: [
              {
                user_alias: { alias_name: "persona-0042", alias_label: "rejects" },
                _update_existing_only: false,
                ...Object.fromEntries(
                  Object.keys(expected42)
                    .sort()
                    .map((key) => [key, expected42[key]]),
                ),
                subscription_groups: Object.keys(users[42].subscription_groups)
                  .sort()
                  .map((id) => ({ subscription_group_id: id, subscription_state: users[42].subscription_groups[id] })),
              },
            ],
          },
        ],
      ],
    );
    assert.equal(userSets(await context.stack.exportState())[0].outputs.pending, {});
    await context.stack.preview({ expectNoChanges: true });
  } finally {
    await context.close();
  }
});

interface Moves {
  braze: LocalBraze;
  stack: TestStack;
  write(name: "a" | "b" | "perUser", users: PersonaDeclaration[]): void;
}

async function twoSets(): Promise<Moves & { close(): Promise<void> }> {
  const braze = await startLocalBraze();
  const stack = await createTestStack({ programDir: TWO_SETS_PROGRAM, projectName: "moves", env: { BRAZE_REST_ENDPOINT: braze.url } });
  const file = (name: string) => path.join(stack.stateDir, `${name}.yaml`);
  const write = (name: string, users: PersonaDeclaration[]) => fs.writeFileSync(file(name), stringify({ users }));
  for (const name of ["a", "b", "perUser"]) write(name, []);
  await stack.setConfig({ "braze:fileA": { value: file("a") }, "braze:fileB": { value: file("b") }, "braze:filePerUser": { value: file("perUser") } });
  return {
    braze,
    stack,
    write,
    async close() {
      await stack.cleanup();
      await braze.close();
    },
  };
}

Failures("users moved from a set to another set and to BrazeUser resources in a run whose answers are lost are never deleted, then converge", async () => {
  const moves = await twoSets();
  const proxy = await startLossyProxy(moves.braze.url, (route) => route === "/users/track");
  try {
    const users = personas(60, "moves");
    moves.write("a", users);
    await moves.stack.up();
    // Every /users/track answer of the next run is lost after braze-local applied it.
    await moves.stack.setConfig({ "braze:restEndpoint": { value: proxy.url } });
    moves.write("a", users.slice(35));
    moves.write(
      "b",
      users.slice(0, 30).map((user) => ({ ...user, attributes: { ...user.attributes, plan: "moved" } })),
    );
    moves.write("perUser", users.slice(30, 35));
    const failed = await moves.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(failed, "the run whose answers were lost fails");
    assert.match(failed!.message, "no answer");
    // A later run, with answers again, finishes the work.
    await moves.stack.setConfig({ "braze:restEndpoint": { value: moves.braze.url } });
    await moves.stack.up();
    await moves.stack.preview({ expectNoChanges: true });
    const deleted = (await moves.braze.requests()).filter((r) => r.path === "/users/delete");
    assert.equal(deleted, [], "no user was deleted: every moved user stayed declared");
    assert.is((await moves.braze.users()).length, 60);
    for (const user of users.slice(0, 30)) assert.is((await moves.braze.userByAlias("moves", user.alias.name)).attributes.plan, "moved");
    const recorded = recordedUsers(await moves.stack.exportState());
    assert.is(recorded.size, 60, "state records each user once");
    // Emptying set b now deletes its users: nothing else declares them.
    await moves.stack.setConfig({ "braze:maxDeletes": { value: "30" } });
    moves.write("b", []);
    await moves.stack.up();
    const deletes = (await moves.braze.requests()).filter((r) => r.path === "/users/delete");
    assert.equal(
      deletes.flatMap((r) => (r.body as { user_aliases: Array<{ alias_name: string }> }).user_aliases.map((a) => a.alias_name)),
      users.slice(0, 30).map((u) => u.alias.name),
    );
  } finally {
    await proxy.close();
    await moves.close();
  }
});

Failures("one alias declared by two sets is refused before anything is sent, naming both", async () => {
  const moves = await twoSets();
  try {
    const users = personas(3, "twice");
    moves.write("a", users);
    moves.write("b", users.slice(1, 2));
    const failure = await moves.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    assert.ok(failure);
    // The set checked second fails its check; the one checked first fails before sending, naming both in order.
    assert.match(
      failure!.message,
      /BrazeUserSet "[ab]": nothing was sent: 1 of its aliases is declared more than once; each alias is one Braze user, so declare it in one place only/,
    );
    assert.match(
      failure!.message,
      'alias twice/persona-0001 is declared 2 times, by BrazeUserSet "a" users["twice/persona-0001"] and by BrazeUserSet "b" users["twice/persona-0001"]',
    );
    assert.match(
      failure!.message,
      /alias twice\/persona-0001 is declared twice, by BrazeUserSet "[ab]" users\["twice\/persona-0001"\] and by BrazeUserSet "[ab]"/,
    );
    assert.equal(await moves.braze.requests(), [], "nothing was sent");
  } finally {
    await moves.close();
  }
});

Failures.run();
