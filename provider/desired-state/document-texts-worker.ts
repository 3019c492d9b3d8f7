// A worker thread of file-texts.ts: counts itself begun, reads one part of a
// desired-state file (textsOfDocument), posts what it found (or null) on the
// port it was given, then counts itself done; the program's main thread is
// blocked on those counts.
import { workerData, type MessagePort } from "node:worker_threads";
import type { DocumentTexts } from "./document-texts";
import type { WorkspaceLimits } from "./string-array-findings";

const { document, setName, limits, port, counts } = workerData as {
  document: string;
  setName: string;
  limits: WorkspaceLimits;
  port: MessagePort;
  counts: Int32Array;
};
/** Indexes of the shared counts (file-texts.ts). */
const BEGUN = 0;
const DONE = 1;
Atomics.add(counts, BEGUN, 1);
Atomics.notify(counts, BEGUN);
let found: DocumentTexts | undefined;
try {
  // Loaded here, so that a module that fails to load still ends in the flag below.
  const { textsOfDocument } = require("./document-texts") as typeof import("./document-texts");
  found = textsOfDocument(document, setName, limits);
} finally {
  // Whatever happened: the main thread then reads the file whole.
  port.postMessage(found ?? null);
  Atomics.add(counts, DONE, 1);
  Atomics.notify(counts, DONE);
}
