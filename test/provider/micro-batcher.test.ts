import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  BATCH_MAX_WAIT_MS,
  BATCH_QUIET_MAX_MS,
  BATCH_QUIET_MIN_MS,
  INITIAL_PACE_MS,
  MicroBatcher,
  QUIET_GAPS,
  type ItemOutcome,
} from "../../provider/batching/micro-batcher";
import { ManualClock } from "../harness/manual-clock";

function recordingBatcher(maxItems: number, outcome: (item: number) => ItemOutcome<string> = (item) => ({ ok: true, value: `done ${item}` })) {
  const batches: number[][] = [];
  const batcher = new MicroBatcher<number, string>({
    maxItems,
    send: async (items) => {
      batches.push([...items]);
      return items.map(outcome);
    },
  });
  return { batcher, batches };
}

const Batcher = suite("micro-batcher");

Batcher("items submitted together go out in one batch, each caller gets its own result", async () => {
  const { batcher, batches } = recordingBatcher(75);
  const results = await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
  assert.equal(batches, [[1, 2, 3]]);
  assert.equal(results, ["done 1", "done 2", "done 3"]);
});

Batcher("a full batch is sent at once and the rest follow, never above the cap", async () => {
  const { batcher, batches } = recordingBatcher(2);
  await Promise.all([1, 2, 3, 4, 5].map((item) => batcher.submit(item)));
  assert.equal(batches, [[1, 2], [3, 4], [5]]);
});

Batcher("one failed item rejects only its own caller", async () => {
  const { batcher } = recordingBatcher(10, (item) => (item === 2 ? { ok: false, error: new Error("bad 2") } : { ok: true, value: `done ${item}` }));
  const settled = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));
  assert.equal(
    settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message)),
    ["done 1", "bad 2", "done 3"],
  );
});

Batcher("a failed send rejects every item of that batch with its error", async () => {
  const batcher = new MicroBatcher<number, string>({
    maxItems: 10,
    send: async () => {
      throw new Error("POST /users/track: 401 Unauthorized");
    },
  });
  const settled = await Promise.allSettled([1, 2].map((item) => batcher.submit(item)));
  assert.equal(
    settled.map((s) => s.status === "rejected" && (s.reason as Error).message),
    ["POST /users/track: 401 Unauthorized", "POST /users/track: 401 Unauthorized"],
  );
});

Batcher("a burst submitted together is sent as one batch once the minimum quiet period passes", async () => {
  const { batcher, batches } = recordingBatcher(75);
  await Promise.all(Array.from({ length: 20 }, (_, index) => batcher.submit(index + 1)));
  assert.equal(batches, [Array.from({ length: 20 }, (_, index) => index + 1)]);
  assert.is(batcher.quietMs, BATCH_QUIET_MIN_MS);
});

Batcher("before any pace is known, the quiet period is the assumed pace's", () => {
  const { batcher } = recordingBatcher(75);
  assert.is(batcher.quietMs, QUIET_GAPS * INITIAL_PACE_MS);
});

Batcher.run();

// The timing decisions, on a manual clock: every expected time below is worked
// out by hand from the documented rule (quiet period = QUIET_GAPS × pace, clamped
// to [BATCH_QUIET_MIN_MS, BATCH_QUIET_MAX_MS]; pace += 1/4 × (gap − pace) for gaps
// up to 2 s; a batch closes BATCH_MAX_WAIT_MS after its first item at the latest),
// not by running the batcher's own arithmetic.
const Timing = suite("micro-batcher timing (manual clock)");

interface TimedBatch {
  items: number[];
  at: number;
}

function clockedBatcher(options: { maxItems?: number; maxWaitMs?: number } = {}) {
  const clock = new ManualClock();
  const batches: TimedBatch[] = [];
  const results: string[] = [];
  const batcher = new MicroBatcher<number, string>({
    maxItems: options.maxItems ?? 75,
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    clock,
    send: async (items) => {
      batches.push({ items: [...items], at: clock.now() });
      return items.map((item) => ({ ok: true as const, value: `done ${item}` }));
    },
  });
  const submit = (item: number) => void batcher.submit(item).then((value) => results.push(value));
  return { clock, batcher, batches, results, submit };
}

/** Items 1..count, one every gapMs from time 0 (the engine handing over steps at its own pace). */
async function trickleOn(setup: ReturnType<typeof clockedBatcher>, count: number, gapMs: number, quietAfterEach: number[] = []) {
  for (let item = 1; item <= count; item++) {
    setup.submit(item);
    quietAfterEach.push(setup.batcher.quietMs);
    if (item < count) await setup.clock.advance(gapMs);
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

Timing("a lone item waits QUIET_GAPS × INITIAL_PACE_MS (150 ms) before it is sent, not a millisecond less", async () => {
  const setup = clockedBatcher();
  assert.is(QUIET_GAPS * INITIAL_PACE_MS, 150);
  setup.submit(1);
  await setup.clock.advance(149);
  assert.equal(setup.batches, [], "still open at 149 ms");
  assert.equal(setup.results, []);
  await setup.clock.advance(1);
  assert.equal(setup.batches, [{ items: [1], at: 150 }]);
  assert.equal(setup.results, ["done 1"]);
});

Timing("items arriving after a quiet period start a new batch", async () => {
  const setup = clockedBatcher();
  setup.submit(1);
  await setup.clock.advance(2_500);
  // 2.5 s is a pause between phases, longer than any pace: the quiet period stays 150 ms.
  setup.submit(2);
  await setup.clock.advance(150);
  assert.equal(setup.batches, [
    { items: [1], at: 150 },
    { items: [2], at: 2_650 },
  ]);
  assert.equal(setup.results, ["done 1", "done 2"]);
});

Timing("an item arriving just before the quiet period ends joins the open batch and restarts the period", async () => {
  const setup = clockedBatcher();
  setup.submit(1);
  await setup.clock.advance(149);
  setup.submit(2);
  // Gap 149 ms: pace 50 + (149 − 50)/4 = 74.75 ms, quiet period round(3 × 74.75) = 224 ms from 149 ms.
  assert.is(setup.batcher.quietMs, 224);
  assert.equal(setup.clock.pendingDueTimes, [373], "one timer, restarted from the second item");
  await setup.clock.advance(223);
  assert.equal(setup.batches, []);
  await setup.clock.advance(1);
  assert.equal(setup.batches, [{ items: [1, 2], at: 373 }]);
});

Timing("learns the pace of a 100 ms trickle: the quiet period grows from 150 ms toward three gaps and the trickle shares one batch", async () => {
  const setup = clockedBatcher();
  const quiet: number[] = [];
  await trickleOn(setup, 12, 100, quiet);
  // pace after n gaps = 100 − 50 × 0.75ⁿ; quiet period = round(3 × pace).
  assert.equal(quiet, [150, 188, 216, 237, 253, 264, 273, 280, 285, 289, 292, 294]);
  await setup.clock.advance(293);
  assert.equal(setup.batches, [], "open until 294 ms after the last item");
  await setup.clock.advance(1);
  assert.equal(setup.batches, [{ items: range(1, 12), at: 1_100 + 294 }]);
});

Timing("a trickle slower than the assumed pace splits off its first item only; the learned pace holds the rest together", async () => {
  const setup = clockedBatcher();
  const quiet: number[] = [];
  await trickleOn(setup, 6, 200, quiet);
  await setup.clock.advance(10_000);
  // Item 1 closes at 150 ms, before item 2 at 200 ms. Then pace = 200 − 150 × 0.75ⁿ:
  // quiet periods 263, 347, 410, 458, 493 ms, each longer than the 200 ms gap.
  assert.equal(quiet, [150, 263, 347, 410, 458, 493]);
  assert.equal(setup.batches, [
    { items: [1], at: 150 },
    { items: [2, 3, 4, 5, 6], at: 1_000 + 493 },
  ]);
});

Timing("the quiet period never exceeds BATCH_QUIET_MAX_MS, however slow the pace", async () => {
  const setup = clockedBatcher();
  const quiet: number[] = [];
  await trickleOn(setup, 3, 1_900, quiet);
  await setup.clock.advance(10_000);
  // Pace 512.5 then 859.4 ms: three gaps would be 1,538 and 2,578 ms, held at 1,000.
  assert.is(BATCH_QUIET_MAX_MS, 1_000);
  assert.equal(quiet, [150, 1_000, 1_000]);
  assert.equal(setup.batches, [
    { items: [1], at: 150 },
    { items: [2], at: 1_900 + 1_000 },
    { items: [3], at: 3_800 + 1_000 },
  ]);
});

Timing("a gap of up to 2 s counts toward the pace; a longer one is a pause between phases and leaves the pace alone", async () => {
  const counted = clockedBatcher();
  counted.submit(1);
  await counted.clock.advance(2_000);
  counted.submit(2);
  // Pace 50 + (2,000 − 50)/4 = 537.5 ms: three gaps held at 1,000 ms.
  assert.is(counted.batcher.quietMs, 1_000);
  const ignored = clockedBatcher();
  ignored.submit(1);
  await ignored.clock.advance(2_001);
  ignored.submit(2);
  assert.is(ignored.batcher.quietMs, 150);
});

Timing("a burst teaches a short pace, so its batch closes BATCH_QUIET_MIN_MS after the last item", async () => {
  const setup = clockedBatcher();
  for (const item of range(1, 20)) setup.submit(item);
  // Gaps of 0 ms: pace 50 × 0.75¹⁹ ≈ 0.2 ms, three gaps far below the 20 ms floor.
  assert.is(setup.batcher.quietMs, BATCH_QUIET_MIN_MS);
  assert.equal(setup.clock.pendingDueTimes, [BATCH_QUIET_MIN_MS]);
  await setup.clock.advance(1_000);
  assert.equal(setup.batches, [{ items: range(1, 20), at: BATCH_QUIET_MIN_MS }]);
});

Timing("a full batch is sent the moment it fills; the rest follow at once, then the remainder after its quiet period", async () => {
  const setup = clockedBatcher({ maxItems: 2 });
  for (const item of range(1, 5)) setup.submit(item);
  assert.equal(
    setup.batches,
    [
      { items: [1, 2], at: 0 },
      { items: [3, 4], at: 0 },
    ],
    "sent inside submit, before any timer",
  );
  await setup.clock.advance(1_000);
  // Four gaps of 0 ms: pace 50 × 0.75⁴ = 15.8 ms, quiet period round(47.5) = 47 ms.
  assert.equal(setup.batches[2], { items: [5], at: 47 });
  assert.equal(setup.results, ["done 1", "done 2", "done 3", "done 4", "done 5"]);
});

Timing("a steady stream is cut BATCH_MAX_WAIT_MS (5 s) after each batch's first item", async () => {
  const setup = clockedBatcher();
  await trickleOn(setup, 60, 100);
  await setup.clock.advance(10_000);
  assert.is(BATCH_MAX_WAIT_MS, 5_000);
  // Items every 100 ms never leave a 300 ms quiet period: only the deadline closes
  // the first batch, at 5,000 ms with items 1..50 (0..4,900 ms). Item 51 arrives at
  // 5,000 ms just after; the rest close 300 ms (3 × a 100 ms pace) after item 60.
  assert.equal(setup.batches, [
    { items: range(1, 50), at: 5_000 },
    { items: range(51, 60), at: 5_900 + 300 },
  ]);
});

Timing("maxWaitMs overrides the deadline: 25 ms items under a 150 ms limit go out six at a time", async () => {
  const setup = clockedBatcher({ maxWaitMs: 150 });
  await trickleOn(setup, 16, 25);
  await setup.clock.advance(1_000);
  // Quiet periods (76-93 ms) are longer than the 25 ms gaps, so each batch runs to
  // its deadline; the last (items 13-16 from 300 ms) closes at 450 ms, 1 ms before
  // its quiet period would have ended.
  assert.equal(setup.batches, [
    { items: range(1, 6), at: 150 },
    { items: range(7, 12), at: 300 },
    { items: range(13, 16), at: 450 },
  ]);
});

Timing("rejects a cap that is not a positive integer", () => {
  assert.throws(() => new MicroBatcher({ maxItems: 0, send: async () => [] }), /maxItems must be a positive integer, got 0/);
});

Timing.run();
