import * as assert from "uvu/assert";
import type { LocalBraze } from "./local-braze";
import type { PersonaDeclaration } from "./personas";
import type { TestStack } from "./test-stack";

/**
 * The invariants of a converged stack: braze-local holds exactly the desired
 * users with the desired managed values, and Pulumi's record of each user equals
 * what braze-local holds.
 */
export async function assertConverged(stack: TestStack, braze: LocalBraze, desired: PersonaDeclaration[]): Promise<void> {
  const stored = await braze.users();
  assert.is(stored.length, desired.length, "braze-local holds exactly the desired users");
  for (const user of desired) {
    const held = await braze.userByAlias(user.alias.label, user.alias.name);
    for (const [key, value] of Object.entries(user.attributes)) {
      assert.equal(held.attributes[key], value, `${user.alias.name}.${key}`);
    }
    for (const [group, state] of Object.entries(user.subscription_groups)) {
      assert.is(held.subscriptionGroups[group], state, `${user.alias.name} group ${group}`);
    }
  }
  const state = await stack.exportState();
  const recorded = state.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/braze:User");
  assert.is(recorded.length, desired.length, "state records exactly the desired users");
  for (const resource of recorded) {
    const outputs = resource.outputs as { alias: { name: string; label: string }; attributes: Record<string, unknown>; subscriptionGroups: Record<string, string> };
    const held = await braze.userByAlias(outputs.alias.label, outputs.alias.name);
    for (const [key, value] of Object.entries(outputs.attributes)) assert.equal(held.attributes[key], value, `state vs braze: ${outputs.alias.name}.${key}`);
    for (const [group, value] of Object.entries(outputs.subscriptionGroups)) assert.is(held.subscriptionGroups[group], value, `state vs braze: ${outputs.alias.name} ${group}`);
  }
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
