// braze-local: a local server that behaves like Braze's user-data REST
// endpoints, with its workspace in SQLite. Start it with `startBrazeLocal`
// (tests, tools) or `npx braze-local` (cli.ts).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createHandler } from "./http/server";
import { resolveOptions, type BrazeLocalOptions } from "./options";
import { WorkspaceStore } from "./store/workspace-store";
import { ProcessingQueue } from "./track/processing-queue";

export { DEVELOPMENT_API_KEY, ENDPOINT_PERMISSIONS } from "./auth";
export { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_REQUEST_CAP, DEFAULT_STRING_ARRAY_MAX_ITEMS, type BrazeLocalOptions } from "./options";

export interface BrazeLocal {
  /** Base URL, e.g. `http://127.0.0.1:4011` (no trailing slash). */
  url: string;
  port: number;
  host: string;
  /** Absolute path of the folder holding the workspace. */
  dataDir: string;
  /** Stops accepting requests, ends open connections and closes the database. */
  close(): Promise<void>;
}

export async function startBrazeLocal(options: BrazeLocalOptions = {}): Promise<BrazeLocal> {
  const resolved = resolveOptions(options);
  const store = new WorkspaceStore(resolved.dataDir);
  const { processing } = resolved;
  const queue =
    processing.mode === "async"
      ? new ProcessingQueue(processing.maxDelayMs, processing.seed, (error) =>
          resolved.log(
            `braze-local: internal error applying a queued /users/track request: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
        )
      : undefined;
  const server = http.createServer(createHandler(store, resolved, queue));
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostInUrl = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    host: resolved.host,
    dataDir: resolved.dataDir,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Requests still queued are dropped: nothing may touch the database once it closes.
        queue?.clear();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
