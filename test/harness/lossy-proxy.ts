import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with one request it forwarded. */
export type LossyVerdict = "answer" | "drop-after-applying";

/**
 * A loopback proxy in front of braze-local that forwards every request and, when
 * `lose` says so, drops the connection after braze-local applied it: the client
 * sees no answer while the peer holds the change. That is the lost answer the
 * provider must survive without state claiming anything untrue.
 */
export async function startLossyProxy(
  target: string,
  lose: (path: string, body: unknown) => boolean,
): Promise<{ url: string; dropped: number; close(): Promise<void> }> {
  const state = { dropped: 0 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const answer = await fetch(`${target}${request.url ?? "/"}`, {
        method: request.method,
        headers: { "Content-Type": "application/json", Authorization: String(request.headers.authorization ?? "") },
        body: request.method === "GET" ? undefined : text,
      });
      const answerText = await answer.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      if (lose(request.url ?? "", body)) {
        state.dropped += 1;
        request.socket.destroy();
        return;
      }
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => (headers[name] = value));
      delete headers["content-length"];
      delete headers["transfer-encoding"];
      response.writeHead(answer.status, headers);
      response.end(answerText);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get dropped() {
      return state.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
