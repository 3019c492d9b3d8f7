import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with one request it forwarded: its answer, with these headers added; or no answer. */
export type ForwardVerdict = { answer: true; addHeaders?: Record<string, string> } | { answer: false };

/**
 * A loopback proxy in front of braze-local that forwards every request, then,
 * as `verdict` says, passes the answer on (with headers added) or drops the
 * connection after braze-local applied the request.
 */
export async function startForwardingProxy(target: string, verdict: (path: string, body: unknown) => ForwardVerdict): Promise<{ url: string; close(): Promise<void> }> {
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
      const decided = verdict(request.url ?? "", body);
      if (!decided.answer) {
        request.socket.destroy();
        return;
      }
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => (headers[name] = value));
      delete headers["content-length"];
      delete headers["transfer-encoding"];
      // Header names as fetch gives them, lower case, so an added header replaces braze-local's own.
      for (const [name, value] of Object.entries(decided.addHeaders ?? {})) headers[name.toLowerCase()] = value;
      response.writeHead(answer.status, headers);
      response.end(answerText);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A loopback proxy in front of braze-local that forwards every request and, when
 * `lose` says so, drops the connection after braze-local applied it: the client
 * sees no answer while the peer holds the change. That is the lost answer the
 * provider must survive without state claiming anything untrue.
 */
export async function startLossyProxy(target: string, lose: (path: string, body: unknown) => boolean): Promise<{ url: string; dropped: number; close(): Promise<void> }> {
  const state = { dropped: 0 };
  const proxy = await startForwardingProxy(target, (path, body) => {
    if (!lose(path, body)) return { answer: true };
    state.dropped += 1;
    return { answer: false };
  });
  return {
    url: proxy.url,
    get dropped() {
      return state.dropped;
    },
    close: proxy.close,
  };
}

/**
 * A stand-in for a workspace whose hourly /users/track window is spent: every
 * /users/track answer says `X-RateLimit-Remaining: 0` and that the window
 * resets in `resetSeconds`, while `spent` is true. braze-local's own windows
 * are aligned to the clock, so they cannot promise a reset a set time away.
 */
export async function startSpentWindowProxy(target: string, resetSeconds: number): Promise<{ url: string; spent: boolean; close(): Promise<void> }> {
  const state = { spent: true };
  const proxy = await startForwardingProxy(target, (path) =>
    path === "/users/track" && state.spent ? { answer: true, addHeaders: { "X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": String(resetSeconds) } } : { answer: true },
  );
  return {
    url: proxy.url,
    get spent() {
      return state.spent;
    },
    set spent(value: boolean) {
      state.spent = value;
    },
    close: proxy.close,
  };
}
