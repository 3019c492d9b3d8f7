import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BATCH_QUIET_MIN_MS, INITIAL_PACE_MS, MicroBatcher, QUIET_GAPS, type ItemOutcome } from "../../provider/batching/micro-batcher";

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
  assert.equal(settled.map((s) => s.status === "rejected" && (s.reason as Error).message), [
    "POST /users/track: 401 Unauthorized",
    "POST /users/track: 401 Unauthorized",
  ]);
});

Batcher("items arriving after a quiet period start a new batch", async () => {
  const { batcher, batches } = recordingBatcher(75);
  await batcher.submit(1);
  await batcher.submit(2);
  assert.equal(batches, [[1], [2]]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Submits `count` items `gapMs` apart, as the engine does when each step waits on a checkpoint write. */
async function trickle(batcher: MicroBatcher<number, string>, count: number, gapMs: number): Promise<void> {
  const pending: Array<Promise<string>> = [];
  for (let item = 1; item <= count; item++) {
    pending.push(batcher.submit(item));
    await sleep(gapMs);
  }
  await Promise.all(pending);
}

Batcher("learns the pace of a trickle and keeps the batch open for it", async () => {
  const { batcher, batches } = recordingBatcher(75);
  await trickle(batcher, 12, 50);
  // The quiet period is three gaps (assumed, then measured), so the trickle shares
  // one batch; timers on a busy machine may split it once.
  assert.ok(batches.length <= 2, `${batches.length} batches: ${JSON.stringify(batches)}`);
  assert.ok(batches[batches.length - 1].length >= 6, JSON.stringify(batches));
  assert.equal(batches.flat(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

Batcher("a burst teaches a short pace, so the next batch closes after the minimum quiet period", async () => {
  const { batcher, batches } = recordingBatcher(75);
  await Promise.all(Array.from({ length: 20 }, (_, index) => batcher.submit(index + 1)));
  assert.equal(batches, [Array.from({ length: 20 }, (_, index) => index + 1)]);
  assert.is(batcher.quietMs, BATCH_QUIET_MIN_MS);
});

Batcher("before any pace is known, the quiet period is the assumed pace's", () => {
  const { batcher } = recordingBatcher(75);
  assert.is(batcher.quietMs, QUIET_GAPS * INITIAL_PACE_MS);
});

Batcher("never holds a batch longer than maxWaitMs after its first item", async () => {
  const batches: Array<{ items: number[]; at: number }> = [];
  const started = Date.now();
  const batcher = new MicroBatcher<number, string>({
    maxItems: 75,
    maxWaitMs: 150,
    send: async (items) => {
      batches.push({ items: [...items], at: Date.now() - started });
      return items.map((item) => ({ ok: true as const, value: String(item) }));
    },
  });
  await trickle(batcher, 16, 25);
  assert.ok(batches.length >= 3, JSON.stringify(batches));
  for (const batch of batches) assert.ok(batch.items.length <= 8, `a batch held ${batch.items.length} items: ${JSON.stringify(batches)}`);
});

Batcher("rejects a cap that is not a positive integer", () => {
  assert.throws(() => new MicroBatcher({ maxItems: 0, send: async () => [] }), /maxItems must be a positive integer, got 0/);
});

Batcher.run();
