import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One answer the peer gives, in order; "drop" closes the connection without answering; "hang" never answers. */
export type ScriptedAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | "drop" | "hang";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/**
 * A real HTTP server on loopback that answers from a script, for testing the
 * client's retry, rate-limit and error mapping against real sockets. Requests past
 * the end of the script get a 500 naming the overrun, so a test sees it.
 */
export async function startScriptedPeer(script: ScriptedAnswer[]): Promise<{
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      requests.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body });
      const answer = script[requests.length - 1];
      if (answer === "drop") {
        request.socket.destroy();
        return;
      }
      if (answer === "hang") return;
      const { status, body: answerBody, headers } = answer ?? { status: 500, body: { message: `script overrun: request ${requests.length}` } };
      response.writeHead(status, { "Content-Type": "application/json", ...headers });
      response.end(answerBody === undefined ? "" : JSON.stringify(answerBody));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
