// braze-local: a local server that behaves like Braze's user-data REST
// endpoints, with its workspace in SQLite. Start it with `startBrazeLocal`
// (tests, tools) or `npx braze-local` (cli.ts).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createHandler } from "./http/server";
import { resolveOptions, type BrazeLocalOptions } from "./options";
import { WorkspaceStore } from "./store/workspace-store";

export { DEVELOPMENT_API_KEY, ENDPOINT_PERMISSIONS } from "./auth";
export { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_MAX_PER_ARRAY, DEFAULT_PORT, type BrazeLocalOptions } from "./options";

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
  const server = http.createServer(createHandler(store, resolved));
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
