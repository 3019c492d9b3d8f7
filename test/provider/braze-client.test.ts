import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient, MAX_ATTEMPTS } from "../../provider/braze/client";
import { BrazeRequestError } from "../../provider/braze/errors/braze-request-error";
import { BrazeUnreachableError } from "../../provider/braze/errors/braze-unreachable-error";
import { startScriptedPeer, type ScriptedAnswer } from "../harness/scripted-http-peer";

const API_KEY = "secret-key-0000";

/** A client on a fake clock: sleeping advances time instantly and is recorded. */
function clientFor(url: string) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const client = new BrazeClient({
    endpoint: url,
    apiKey: API_KEY,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 1,
  });
  return { client, sleeps };
}

async function withPeer(script: ScriptedAnswer[], body: (peer: Awaited<ReturnType<typeof startScriptedPeer>>) => Promise<void>) {
  const peer = await startScriptedPeer(script);
  try {
    await body(peer);
  } finally {
    await peer.close();
  }
}

const ok = { status: 201, body: { message: "success", attributes_processed: 1 } };

const Client = suite("Braze client: the one send path");

Client("posts JSON with a bearer key and returns Braze's answer", () =>
  withPeer([ok], async (peer) => {
    const { client } = clientFor(`${peer.url}/`);
    const answer = await client.post("/users/track", { attributes: [{ external_id: "a" }] });
    assert.equal(answer, ok.body);
    assert.is(peer.requests.length, 1);
    assert.is(peer.requests[0].method, "POST");
    assert.is(peer.requests[0].path, "/users/track");
    assert.is(peer.requests[0].headers.authorization, `Bearer ${API_KEY}`);
    assert.is(peer.requests[0].headers["content-type"], "application/json");
    assert.equal(peer.requests[0].body, { attributes: [{ external_id: "a" }] });
  }),
);

Client("waits out a 429 for exactly X-Ratelimit-Retry-After seconds, then succeeds", () =>
  withPeer([{ status: 429, body: { message: "Rate Limited" }, headers: { "X-Ratelimit-Retry-After": "2" } }, ok], async (peer) => {
    const { client, sleeps } = clientFor(peer.url);
    await client.post("/users/track", {});
    assert.equal(sleeps, [2000]);
    assert.is(peer.requests.length, 2);
    assert.equal(peer.requests[1].body, peer.requests[0].body);
  }),
);

Client("retries 5xx with growing backoff", () =>
  withPeer([{ status: 503 }, { status: 502 }, ok], async (peer) => {
    const { client, sleeps } = clientFor(peer.url);
    await client.post("/users/track", {});
    assert.equal(sleeps, [500, 1000]);
    assert.is(peer.requests.length, 3);
  }),
);

Client("does not resend a request that timed out: the first attempt may still be running at Braze", () =>
  withPeer(["hang", ok], async (peer) => {
    const client = new BrazeClient({ endpoint: peer.url, apiKey: API_KEY, requestTimeoutMs: 200, sleep: async () => {} });
    const error = await client.post("/users/track", { attributes: [] }).catch((e: unknown) => e);
    assert.instance(error, BrazeRequestError);
    assert.is((error as BrazeRequestError).status, undefined);
    assert.ok((error as BrazeRequestError).outcomeUnknown, "its outcome is unknown");
    assert.match((error as Error).message, "POST /users/track: no answer (timed out after 0.2 s; not resent in this run");
    assert.is(peer.requests.length, 1, "sent once");
  }),
);

Client("retries a dropped connection", () =>
  withPeer(["drop", ok], async (peer) => {
    const { client } = clientFor(peer.url);
    assert.equal(await client.post("/users/track", {}), ok.body);
    assert.is(peer.requests.length, 2);
  }),
);

Client("does not retry a 4xx and names endpoint, status and Braze's message", () =>
  withPeer([{ status: 400, body: { message: "Max Input Length Exceeded" } }], async (peer) => {
    const { client, sleeps } = clientFor(peer.url);
    const error = await client.post("/users/track", {}).catch((e: unknown) => e);
    assert.instance(error, BrazeRequestError);
    const failure = error as BrazeRequestError;
    assert.is(failure.message, "POST /users/track: 400 Max Input Length Exceeded; correct what Braze names, then run the Pulumi command again");
    assert.is(failure.status, 400);
    assert.is(failure.attempts, 1);
    assert.equal(failure.body, { message: "Max Input Length Exceeded" });
    assert.equal(sleeps, []);
    assert.is(peer.requests.length, 1);
  }),
);

Client("gives up after MAX_ATTEMPTS and says how many were made; the key is in no error", () =>
  withPeer(
    Array.from({ length: MAX_ATTEMPTS + 2 }, () => ({ status: 500, body: { message: "boom" } })),
    async (peer) => {
      const { client } = clientFor(peer.url);
      const error = (await client.post("/users/delete", {}).catch((e: unknown) => e)) as BrazeRequestError;
      assert.instance(error, BrazeRequestError);
      assert.is(error.attempts, MAX_ATTEMPTS);
      assert.is(
        error.message,
        `POST /users/delete: 500 boom (after ${MAX_ATTEMPTS} attempts); Braze may have applied it: run the Pulumi command again once Braze answers`,
      );
      assert.is(peer.requests.length, MAX_ATTEMPTS);
      assert.not.match(JSON.stringify({ ...error, message: error.message, stack: error.stack }), API_KEY);
    },
  ),
);

Client("holds the next request until the window resets when none remain", () =>
  withPeer([{ ...ok, headers: { "X-RateLimit-Limit": "3000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3" } }, ok], async (peer) => {
    const { client, sleeps } = clientFor(peer.url);
    await client.post("/users/track", {});
    assert.equal(sleeps, []);
    await client.post("/users/track", {});
    assert.equal(sleeps, [3000]);
  }),
);

Client("a refused connection fails at once with what to check", async () => {
  const peer = await startScriptedPeer([]);
  await peer.close(); // nothing listens on that port any more
  const { client, sleeps } = clientFor(peer.url);
  const error = await client.post("/users/track", {}).catch((e: unknown) => e);
  assert.instance(error, BrazeUnreachableError);
  assert.is(
    (error as Error).message,
    `${peer.url}: cannot reach Braze (ECONNREFUSED); check braze:restEndpoint (or BRAZE_REST_ENDPOINT); for the local server, start it with "npx braze-local"`,
  );
  assert.match((error as Error).message, "braze:restEndpoint");
  assert.equal(sleeps, []);
});

Client.run();
