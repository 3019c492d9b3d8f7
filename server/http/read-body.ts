// Reading a request body with a size cap.
import type { IncomingMessage } from "node:http";

export type BodyRead = { kind: "ok"; text: string } | { kind: "too-large" };

/** The body as UTF-8 text, or `too-large` as soon as it passes `maxBytes` (the rest is not buffered). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      request.resume();
      resolve({ kind: "too-large" });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        chunks.length = 0;
        resolve({ kind: "too-large" });
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!done) resolve({ kind: "ok", text: Buffer.concat(chunks).toString("utf8") });
    });
    request.on("error", (error) => {
      if (!done) reject(error);
    });
  });
}
