import { suite } from "uvu";
import * as assert from "uvu/assert";
import { MicroBatcher, type ItemOutcome } from "../../provider/batching/micro-batcher";

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

Batcher("rejects a cap that is not a positive integer", () => {
  assert.throws(() => new MicroBatcher({ maxItems: 0, send: async () => [] }), /maxItems must be a positive integer, got 0/);
});

Batcher.run();
