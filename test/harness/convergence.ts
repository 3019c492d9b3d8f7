import * as assert from "uvu/assert";
import type { LocalBraze } from "./local-braze";
import type { PersonaDeclaration } from "./personas";
import { recordedUsers, unsureUsers } from "./recorded-users";
import type { TestStack } from "./test-stack";

/**
 * The invariants of a converged stack: braze-local holds exactly the desired
 * users; for every key any run ever managed (`everManaged`, removed ones
 * included), Braze holds exactly the desired value or nothing when none is
 * desired; and Pulumi's record of each user equals what braze-local holds.
 */
export async function assertConverged(
  stack: TestStack,
  braze: LocalBraze,
  desired: PersonaDeclaration[],
  everManaged: PersonaDeclaration[][] = [],
): Promise<void> {
  const stored = await braze.users();
  assert.is(stored.length, desired.length, "braze-local holds exactly the desired users");
  const managedKeys = new Map<string, Set<string>>();
  for (const user of [...everManaged.flat(), ...desired]) {
    const id = `${user.alias.label}/${user.alias.name}`;
    const keys = managedKeys.get(id) ?? new Set<string>();
    for (const key of Object.keys(user.attributes)) keys.add(key);
    managedKeys.set(id, keys);
  }
  for (const user of desired) {
    const held = await braze.userByAlias(user.alias.label, user.alias.name);
    for (const key of managedKeys.get(`${user.alias.label}/${user.alias.name}`) ?? []) {
      assert.equal(held.attributes[key], user.attributes[key], `${user.alias.name}.${key}: Braze holds ${JSON.stringify(held.attributes[key])}`);
    }
    assert.equal(pick(held.subscriptionGroups, Object.keys(user.subscription_groups)), user.subscription_groups, `${user.alias.name} groups`);
  }
  const state = await stack.exportState();
  assert.equal(unsureUsers(state), [], "nothing is left unsure");
  const recorded = recordedUsers(state);
  assert.equal(
    [...recorded.keys()].sort(),
    desired.map((user) => `${user.alias!.label}/${user.alias!.name}`).sort(),
    "state records exactly the desired users",
  );
  for (const user of recorded.values()) {
    const alias = user.alias!;
    const held = await braze.userByAlias(alias.label, alias.name);
    assert.equal(pick(held.attributes, Object.keys(user.attributes)), user.attributes, `state vs braze: ${alias.name}`);
    assert.equal(pick(held.subscriptionGroups, Object.keys(user.subscriptionGroups)), user.subscriptionGroups, `state vs braze: ${alias.name} groups`);
  }
}

function pick(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => values[key] !== undefined).map((key) => [key, values[key]]));
}

/**
 * Runs `up` until it succeeds, at most `attempts` times. Returns the error
 * messages of the failed runs, which must name what failed.
 */
export async function upUntilConverged(stack: TestStack, attempts: number, parallel = 100): Promise<string[]> {
  const failures: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      await stack.up({ parallel });
      return failures;
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
      if (attempt >= attempts) throw error;
    }
  }
}
