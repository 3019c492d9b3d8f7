// A worker thread of file-texts.ts: reads one part of a desired-state file
// (textsOfDocument), posts what it found (or null) on the port it was given,
// then raises the shared flag the program's main thread is blocked on.
import { workerData, type MessagePort } from "node:worker_threads";
import type { DocumentTexts } from "./document-texts";

const { document, setName, port, done } = workerData as { document: string; setName: string; port: MessagePort; done: Int32Array };
let found: DocumentTexts | undefined;
try {
  // Loaded here, so that a module that fails to load still ends in the flag below.
  const { textsOfDocument } = require("./document-texts") as typeof import("./document-texts");
  found = textsOfDocument(document, setName);
} finally {
  // Whatever happened: the main thread then reads the file whole.
  port.postMessage(found ?? null);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
