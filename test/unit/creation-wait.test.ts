// Which entries wait for their user, and how long the wait reads Braze.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { BrazeUsersApi } from "../../provider/braze/users-api";
import type { UserIdentifier } from "../../provider/braze/wire-types";
import { CREATION_VISIBILITY_TIMEOUT_MS, entryTiming, waitUntilHeld } from "../../provider/runtime/creation-wait";

const alias = (name: string): UserIdentifier => ({ user_alias: { alias_name: name, alias_label: "qa" } });

const Timing = suite("entryTiming: the entries of a user Braze does not hold wait for its creation");

Timing("a user Braze holds gets its entries at once, whatever its object", () => {
  assert.is(entryTiming(true, undefined), "send");
  assert.is(entryTiming(true, { ...alias("a"), _update_existing_only: false }), "send");
});

Timing("a user Braze does not hold, created by this run's object: its entries wait", () => {
  assert.is(entryTiming(false, { ...alias("a"), _update_existing_only: false }), "wait");
  assert.is(entryTiming(false, { external_id: "u1", _update_existing_only: false }), "wait");
});

Timing("a user Braze does not hold and nothing creates: its entries would be dropped, so they are held", () => {
  assert.is(entryTiming(false, undefined), "orphaned");
  assert.is(entryTiming(false, { ...alias("a"), _update_existing_only: true }), "orphaned");
});

Timing.run();

/** An export that shows each user from its `shownAt`-th read on, on a clock that moves only by sleeping. */
function fakeBraze(shownAt: Record<string, number>) {
  let clock = 0;
  const reads: string[][] = [];
  const seen: Record<string, number> = {};
  const api = {
    async exportAll(identifiers: readonly UserIdentifier[]) {
      reads.push(identifiers.map((id) => id.user_alias!.alias_name));
      return identifiers.map((id) => {
        const name = id.user_alias!.alias_name;
        seen[name] = (seen[name] ?? 0) + 1;
        return { ok: true as const, value: seen[name] >= shownAt[name] ? { braze_id: name } : undefined };
      });
    },
  } as unknown as BrazeUsersApi;
  const options = { now: () => clock, sleep: async (ms: number) => void (clock += ms) };
  return { api, options, reads, elapsed: () => clock };
}

const Wait = suite("waitUntilHeld: reads until each user shows, then stops");

Wait("users shown at once cost one read and no pause", async () => {
  const braze = fakeBraze({ a: 1, b: 1 });
  assert.equal(await waitUntilHeld(braze.api, [alias("a"), alias("b")], braze.options), [true, true]);
  assert.equal(braze.reads, [["a", "b"]]);
  assert.is(braze.elapsed(), 0);
});

Wait("a user shown later is read again alone, with doubling pauses", async () => {
  const braze = fakeBraze({ a: 1, b: 3 });
  assert.equal(await waitUntilHeld(braze.api, [alias("a"), alias("b")], braze.options), [true, true]);
  assert.equal(braze.reads, [["a", "b"], ["b"], ["b"]]);
  assert.is(braze.elapsed(), 250 + 500);
});

Wait("a user never shown is given up once the timeout would pass", async () => {
  const braze = fakeBraze({ a: Number.POSITIVE_INFINITY });
  assert.equal(await waitUntilHeld(braze.api, [alias("a")], braze.options), [false]);
  assert.ok(braze.elapsed() <= CREATION_VISIBILITY_TIMEOUT_MS, `waited ${braze.elapsed()} ms`);
  assert.ok(braze.elapsed() > CREATION_VISIBILITY_TIMEOUT_MS / 2, `waited ${braze.elapsed()} ms`);
});

Wait.run();
