// Reads a large desired-state file's users as a BrazeUserSet's texts on several
// threads. Reading, validating and writing the texts of 100,000 users is about
// 10 s of one core, the largest part of a program's run, while the engine waits
// for the program and the machine's other cores are idle. The file is read in
// parts (fast-read.ts, usersDocuments), each on a worker thread, at once; the
// main thread only joins their texts. Not one part on the main thread: a
// thread's heap grows with what it reads, and a worker gives all of it back
// when it ends, where the main thread's would stay resident for the rest of the
// run, next to the engine's and the provider's memory.
//
// It only ever speeds up a file that reads cleanly: a part the fast reading
// does not vouch for, a part with any problem, or a key or alias in two parts
// makes it answer undefined, and the caller reads the file whole as before,
// which places every problem at file:line:column. A program's declarations are
// synchronous, so the main thread blocks until the workers are done.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { joinDocumentTexts, type DocumentTexts } from "./document-texts";
import { usersDocuments } from "./fast-read";
import type { WorkspaceLimits } from "./string-array-findings";

/**
 * Files shorter than this are read on one thread: starting a worker (loading the
 * reader into a new isolate) costs about 0.3 s, what one thread reads of a file
 * of a few megabytes.
 */
export const PARALLEL_FROM_CHARACTERS = 4_000_000;
/** Threads at most: the reading is CPU-bound, and more parts cost more memory at once. */
const MAX_THREADS = 4;
/**
 * A worker that has not begun reading after this long (a thread the machine
 * could not start) leaves the file to the one-thread reading. Once begun, a
 * worker runs pure code to its end: it answers, or fails and says so.
 */
const WORKER_START_MS = 10_000;
const WORKER_FILE = path.join(__dirname, "document-texts-worker.js");

/**
 * The users of `text` (a desired-state file) as the set `setName` computes their
 * texts, by key; undefined when the file is short, the machine has one core, or
 * the parallel reading finds anything to refuse (read it whole then).
 */
export function fileTextsInParallel(
  text: string,
  setName: string,
  {
    threads = Math.min(availableParallelism(), MAX_THREADS),
    fromCharacters = PARALLEL_FROM_CHARACTERS,
    limits = {},
  }: { threads?: number; fromCharacters?: number; limits?: WorkspaceLimits } = {},
): Record<string, string> | undefined {
  // Run from TypeScript sources (ts-node), there is no compiled worker to start.
  if (threads < 2 || text.length < fromCharacters || !existsSync(WORKER_FILE)) return undefined;
  const documents = usersDocuments(text, threads);
  if (!documents || documents.length < 2) return undefined;
  // [workers begun, workers done]: each worker adds to them, and the main thread waits on them.
  const counts = new Int32Array(new SharedArrayBuffer(8));
  const helpers: Helper[] = [];
  try {
    for (const document of documents) helpers.push(startHelper(document, setName, limits, counts));
    if (!waitForCount(counts, BEGUN, helpers.length, Date.now() + WORKER_START_MS)) return undefined;
    waitForCount(counts, DONE, helpers.length, Infinity);
    return joinDocumentTexts(helpers.map((helper) => helper.result()));
  } catch {
    // A worker that could not be started: the file is read whole.
    return undefined;
  } finally {
    for (const helper of helpers) void helper.stop();
  }
}

/** Indexes of the shared counts. */
const BEGUN = 0;
const DONE = 1;

/** Blocks until counts[index] reaches `target` or the deadline (a Date.now() time) passes; whether it was reached. */
function waitForCount(counts: Int32Array, index: number, target: number, deadline: number): boolean {
  for (;;) {
    const seen = Atomics.load(counts, index);
    if (seen >= target) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(counts, index, seen, left);
  }
}

interface Helper {
  /** The worker's part, once it is done; undefined when it found anything to refuse. */
  result(): DocumentTexts | undefined;
  stop(): Promise<number>;
}

function startHelper(document: string, setName: string, limits: WorkspaceLimits, counts: Int32Array): Helper {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_FILE, {
    workerData: { document, setName, limits, port: port2, counts },
    transferList: [port2],
  });
  // Never keeps the program alive: it is stopped once its part is in.
  worker.unref();
  return {
    result: () => (receiveMessageOnPort(port1)?.message as DocumentTexts | null | undefined) ?? undefined,
    stop: () => {
      port1.close();
      return worker.terminate();
    },
  };
}
