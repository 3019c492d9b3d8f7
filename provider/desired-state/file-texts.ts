// Reads a large desired-state file's users as a BrazeUserSet's texts on several
// threads. Reading, validating and writing the texts of 100,000 users is about
// 10 s of one core, the largest part of a program's run, while the engine waits
// for the program and the machine's other cores are idle. The file is read in
// parts (fast-read.ts, usersDocuments): the main thread reads the first, worker
// threads the others, at once.
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
import { joinDocumentTexts, textsOfDocument, type DocumentTexts } from "./document-texts";
import { usersDocuments } from "./fast-read";

/**
 * Files shorter than this are read on one thread: starting a worker (loading the
 * reader into a new isolate) costs about 0.3 s, what one thread reads of a file
 * of a few megabytes.
 */
export const PARALLEL_FROM_CHARACTERS = 4_000_000;
/** Threads at most: the reading is CPU-bound, and more parts cost more memory at once. */
const MAX_THREADS = 4;
/**
 * A worker's part counts as not read (and the file is read whole) once the
 * worker has taken this many times as long as the main thread took for its own
 * part, and at least WORKER_MIN_WAIT_MS: the parts are of about the same size,
 * so a worker that far behind is stuck (a thread the machine could not start).
 */
const WORKER_WAIT_FACTOR = 4;
const WORKER_MIN_WAIT_MS = 10_000;
const WORKER_FILE = path.join(__dirname, "document-texts-worker.js");

/**
 * The users of `text` (a desired-state file) as the set `setName` computes their
 * texts, by key; undefined when the file is short, the machine has one core, or
 * the parallel reading finds anything to refuse (read it whole then).
 */
export function fileTextsInParallel(
  text: string,
  setName: string,
  { threads = Math.min(availableParallelism(), MAX_THREADS), fromCharacters = PARALLEL_FROM_CHARACTERS }: { threads?: number; fromCharacters?: number } = {},
): Record<string, string> | undefined {
  // Run from TypeScript sources (ts-node), there is no compiled worker to start.
  if (threads < 2 || text.length < fromCharacters || !existsSync(WORKER_FILE)) return undefined;
  const documents = usersDocuments(text, threads);
  if (!documents || documents.length < 2) return undefined;
  const helpers = documents.slice(1).map((document) => startHelper(document, setName));
  try {
    const started = Date.now();
    const parts: Array<DocumentTexts | undefined> = [textsOfDocument(documents[0], setName)];
    const deadline = Date.now() + Math.max(WORKER_MIN_WAIT_MS, WORKER_WAIT_FACTOR * (Date.now() - started));
    for (const helper of helpers) parts.push(parts[0] === undefined ? undefined : helper.result(deadline));
    return joinDocumentTexts(parts);
  } finally {
    for (const helper of helpers) void helper.stop();
  }
}

interface Helper {
  /** Blocks until the worker is done (or the deadline, a Date.now() time, passes); its part, or undefined. */
  result(deadline: number): DocumentTexts | undefined;
  stop(): Promise<number>;
}

function startHelper(document: string, setName: string): Helper {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_FILE, { workerData: { document, setName, port: port2, done }, transferList: [port2] });
  // Never keeps the program alive: it is stopped once its part is in.
  worker.unref();
  return {
    result(deadline) {
      if (Atomics.wait(done, 0, 0, Math.max(0, deadline - Date.now())) === "timed-out") return undefined;
      const received = receiveMessageOnPort(port1);
      return (received?.message as DocumentTexts | null) ?? undefined;
    },
    stop: () => {
      port1.close();
      return worker.terminate();
    },
  };
}
