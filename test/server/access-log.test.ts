// braze-local's log: one line per API request (method, path, status, time
// taken), whatever the outcome, and never the API key or anything from a body.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ACCESS_LOG_LINE, accessLogLine } from "../../server/http/access-log";
import { aliasObject, startTestServer } from "./local-server";

const SECRET = "sk-access-log-secret-0123456789";

/** Method, path and status of each line; fails on any line that is not an access line. */
function parsed(lines: readonly string[]): Array<[string, string, string]> {
  return lines.map((line) => {
    const match = ACCESS_LOG_LINE.exec(line);
    if (!match) throw new Error(`not an access log line: ${JSON.stringify(line)}`);
    return [match[1], match[2], match[3]];
  });
}

const Line = suite("access log line");

Line("names the method, path, status and whole milliseconds; `dropped` when nothing was answered", () => {
  assert.is(accessLogLine({ method: "POST", path: "/users/track", status: 201, durationMs: 12.4 }), "braze-local: POST /users/track 201 12 ms");
  assert.is(accessLogLine({ method: "POST", path: "/users/delete", status: null, durationMs: 0.6 }), "braze-local: POST /users/delete dropped 1 ms");
  assert.ok(ACCESS_LOG_LINE.test("braze-local: POST /users/track 201 12 ms"));
  assert.not.ok(ACCESS_LOG_LINE.test("braze-local: internal error on POST /users/track: boom"));
});

Line.run();

const Server = suite("braze-local logs every API request");

Server("one line per request, in order, for every outcome; inspection routes are not logged", async () => {
  const lines: string[] = [];
  const braze = await startTestServer({ apiKeys: [SECRET], log: (line) => lines.push(line) });
  try {
    await braze.post("/users/track", { attributes: [aliasObject("ada", { first_name: "Ada" })] });
    await braze.post("/users/delete", { user_aliases: [{ alias_name: "ada", alias_label: "qa" }] }, "sk-wrong");
    await braze.postRaw("/users/track", "{oops");
    await braze.post("/users/nothing", {});
    await braze.requests();
    await braze.stats();
    assert.equal(parsed(lines), [
      ["POST", "/users/track", "201"],
      ["POST", "/users/delete", "401"],
      ["POST", "/users/track", "400"],
      ["POST", "/users/nothing", "404"],
    ]);
    assert.is(lines.length, (await braze.requests()).length, "as many lines as /_local/requests entries");
  } finally {
    await braze.close();
  }
});

Server("a dropped connection is logged as dropped", async () => {
  const lines: string[] = [];
  const braze = await startTestServer({ faults: { rateReset: 1 }, log: (line) => lines.push(line) });
  try {
    await braze.post("/users/track", { attributes: [aliasObject("ada")] }).then(
      () => assert.unreachable("the connection should have been dropped"),
      () => undefined,
    );
    // The line is written when the server sees the connection close.
    for (let wait = 0; lines.length === 0 && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(parsed(lines), [["POST", "/users/track", "dropped"]]);
  } finally {
    await braze.close();
  }
});

Server("neither the key (accepted or refused) nor any body value reaches the log", async () => {
  const lines: string[] = [];
  const braze = await startTestServer({ apiKeys: [SECRET], log: (line) => lines.push(line) });
  try {
    await braze.post("/users/track", { attributes: [aliasObject("grace", { email: "grace@example.com", first_name: "Grace" })] });
    await braze.post("/users/track", { attributes: [aliasObject("grace")] }, `${SECRET}-refused`);
    assert.is(lines.length, 2);
    for (const secret of [SECRET, "grace@example.com", "Grace", "grace"]) assert.not.match(lines.join("\n"), secret);
  } finally {
    await braze.close();
  }
});

Server.run();
