// A user set's record in state (provider/encoding/record-codec.ts): every user's
// text (in its stored form), what is unsure and the entry logs must come back exactly; version 3
// writes the users as lines after a JSON head; records written by earlier
// versions still read; anything else is refused with what to do.
import { gunzipSync, gzipSync, inflateRawSync } from "node:zlib";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RecordedSet } from "../../provider/encoding/recorded-set";
import { fullText, storedText } from "../../provider/encoding/stored-text";
import { memberToText } from "../../provider/encoding/user-text";
import { decodeRecord, encodeRecord } from "../../provider/encoding/record-codec";
import { seededRandom } from "../harness/seeded-random";

const Record = suite("record codec");

const text = (label: string, name: string, attributes: Record<string, unknown> = { first_name: name }) =>
  memberToText({
    user: { alias: { name, label }, attributes: attributes as never, subscriptionGroups: { "grp-1": "subscribed" } },
    entries: { events: {}, purchases: {} },
  });

const storedUsers = (users: Record<string, string>) => Object.fromEntries(Object.entries(users).map(([key, text]) => [key, storedText(key, text)]));
const plainOf = (record: string) => gunzipSync(Buffer.from(record, "base64")).toString("utf8");
const stored = (value: unknown) => gzipSync(JSON.stringify(value)).toString("base64");

/** The members of a gzip stream as zlib writes them: a 10-byte header, deflated data, an 8-byte trailer. */
function gzipMembers(bytes: Buffer): Buffer[] {
  const starts: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    starts.push(at);
    // The deflated data ends where inflating it stops reading.
    const inflated = inflateRawSync(bytes.subarray(at + 10), { info: true }) as unknown as { engine: { bytesWritten: number } };
    at += 10 + inflated.engine.bytesWritten + 8;
  }
  return starts.map((start, index) => bytes.subarray(start, starts[index + 1] ?? bytes.length));
}

Record("users, unsure and logs come back exactly, also with keys and texts full of quotes, separators and non-ASCII", async () => {
  const random = seededRandom(11);
  const awkward = ['"', "\\", ": ", "\n", "{", "}", ",", "é", "😀", "\u2028", " ", "#", "true", "null"];
  const record: RecordedSet = { users: {}, unsure: {}, logs: {} };
  for (let index = 0; index < 1_000; index += 1) {
    const piece = () => awkward[Math.floor(random() * awkward.length)];
    const key = index % 4 === 0 ? `k${index}${piece()}${piece()}` : `qa/u${index}`;
    record.users[key] = text(index % 5 === 0 ? `l${piece()}` : "qa", `u${index}${piece()}`, {
      first_name: `F${piece()}${piece()}`,
      nested: { list: [piece(), { deep: piece() }], n: index / 7 },
      none: null,
    });
  }
  record.unsure["qa/u1"] = "all";
  record.unsure["qa/u2"] = { attributes: ["first_name"], subscriptionGroups: ["grp-1"] };
  record.logs["qa/u3"] = {
    tally: { "event:rented_movie": 2 },
    doubt: { "events.e1": { text: '{name: rented_movie, time: "2026-01-01T00:00:00Z"}', sentTime: "2026-01-01T00:00:00.000Z", group: "g" } },
  };
  const decoded = decodeRecord(await encodeRecord(record));
  assert.equal(decoded, { ...record, users: storedUsers(record.users) }, "each user in its stored text");
  assert.equal(
    Object.fromEntries(Object.entries(decoded.users).map(([key, text]) => [key, fullText(key, text)])),
    record.users,
    "given back character for character",
  );
  assert.equal(Object.keys(decoded.users), Object.keys(record.users), "in the order they were recorded");
  assert.equal(decodeRecord(await encodeRecord(decoded)), decoded, "a record of stored texts reads back as it is");
});

Record("version 3 is a JSON head, then one `key: text` line per user with its alias kept", async () => {
  const record: RecordedSet = { users: { "qa/ada": text("qa", "ada"), "key with space: and colon": text("qa", "bob") }, unsure: { "qa/ada": "all" }, logs: {} };
  assert.is(
    plainOf(await encodeRecord(record)),
    [
      '{"version":3,"unsure":{"qa/ada":"all"}}',
      `qa/ada: ${record.users["qa/ada"]}`,
      `"key with space: and colon": ${record.users["key with space: and colon"]}`,
    ].join("\n"),
  );
  assert.is(plainOf(await encodeRecord({ users: {}, unsure: {}, logs: {} })), '{"version":3,"unsure":{}}');
  assert.equal(decodeRecord(await encodeRecord({ users: {}, unsure: {}, logs: {} })), { users: {}, unsure: {}, logs: {} });
});

Record("a record of several megabytes is written as gzip members of a megabyte of whole lines each, in order, and reads back as one text", async () => {
  const record: RecordedSet = { users: {}, unsure: {}, logs: {} };
  // A line longer than a member is a member of its own.
  record.users["qa/long"] = text("qa", "long", { notes: "x".repeat(1_500_000) });
  // More members than are compressed at once: they are written in order all the same.
  for (let index = 0; index < 120_000; index += 1)
    record.users[`qa/u${index}`] = text("qa", `u${index}`, { first_name: `F${index}`, plan: ["trial", "pro", "team"][index % 3], seats: index % 17 });
  const encoded = await encodeRecord(record);
  const members = gzipMembers(Buffer.from(encoded, "base64"));
  assert.ok(members.length >= 8, `${members.length} members`);
  for (const member of members) {
    const plain = gunzipSync(member).toString("utf8");
    assert.ok(plain.length <= 1 << 20 || !plain.slice(0, -1).includes("\n"), "at most a megabyte, or one line on its own");
  }
  assert.ok(
    members.slice(0, -1).every((member) => gunzipSync(member).toString("utf8").endsWith("\n")),
    "each member but the last ends at a line's end",
  );
  assert.is(members.map((member) => gunzipSync(member).toString("utf8")).join(""), plainOf(encoded));
  assert.equal(decodeRecord(encoded), { ...record, users: storedUsers(record.users) });
  assert.equal(Object.keys(decodeRecord(encoded).users), Object.keys(record.users), "in the order they were recorded");
});

Record("records of versions 1 and 2 (one JSON object) still read", () => {
  const users = { "qa/ada": text("qa", "ada") };
  assert.equal(decodeRecord(stored({ version: 1, users, unsure: { "qa/ada": "all" } })), {
    users: { "qa/ada": "{attributes: {first_name: ada}, subscription_groups: {grp-1: subscribed}}" },
    unsure: { "qa/ada": "all" },
    logs: {},
  });
  const logs = { "qa/ada": { tally: { "purchase:gold": 1 } } };
  assert.equal(decodeRecord(stored({ version: 2, users, unsure: {}, logs })), { users: storedUsers(users), unsure: {}, logs });
  const json = { "qa/ada": JSON.stringify({ alias: { label: "qa", name: "ada" }, attributes: { first_name: "ada" } }) };
  assert.equal(decodeRecord(stored({ version: 2, users: json, unsure: {} })).users, json, "a JSON text (before the flow form) keeps its alias");
});

const refusals: Array<[title: string, value: unknown, message: RegExp]> = [
  [
    "no record",
    undefined,
    /^the user set's record in Pulumi state: is missing \(got undefined\); restore the stack's state from a backup \(pulumi stack export\/import\)$/,
  ],
  [
    "not base64 gzip",
    "not a record",
    /^the user set's record in Pulumi state: cannot be read \(.+\); restore the stack's state from a backup \(pulumi stack export\/import\)$/,
  ],
  [
    "a later version",
    stored({ version: 4, unsure: {} }),
    /^the user set's record in Pulumi state: has version 4, and this provider reads versions 1, 2, 3; use the version of pulumi-braze-profiles that wrote it, or a later one$/,
  ],
  [
    "version 2 without users",
    stored({ version: 2, unsure: {} }),
    /^the user set's record in Pulumi state: holds no users map; restore the stack's state from a backup \(pulumi stack export\/import\)$/,
  ],
  [
    "a version 3 line that is not `key: text`",
    gzipSync('{"version":3,"unsure":{}}\nqa/ada: {alias: {label: qa, name: ada}}\nqa/bob {alias: {label: qa, name: bob}').toString("base64"),
    /^the user set's record in Pulumi state: cannot be read \(a user line is not laid out as the provider writes one\)/,
  ],
];
for (const [title, value, message] of refusals) {
  Record(`refused with what to do: ${title}`, () => {
    assert.throws(() => decodeRecord(value), message);
  });
}

Record.run();
