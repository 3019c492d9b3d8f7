// A large desired-state file is read on several threads
// (provider/desired-state/file-texts.ts): its texts must be exactly those the
// one-thread reading gives, and anything the parallel reading cannot vouch for
// (a problem in any part, a key or alias in two parts) must leave the file to
// the one-thread reading, which places the problems.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import { parseDesiredState } from "../../provider/desired-state";
import { fileTextsInParallel } from "../../provider/desired-state/file-texts";
import { usersDocuments } from "../../provider/desired-state/fast-read";
import { memberTexts, membersOfDesiredState } from "../../provider/desired-state/member-texts";

const FileTexts = suite("file texts in parallel");

function user(index: number): Record<string, unknown> {
  return {
    ...(index % 4 === 0 ? { key: `${index}` } : {}),
    alias: { name: `persona-${index}`, label: index % 3 === 0 ? "qa" : "seed" },
    attributes: {
      first_name: `Ada ${index} "quoted" é`,
      email: `persona-${index}@example.com`,
      time_zone: ["Europe/London", "Asia/Tokyo"][index % 2],
      dob: "1990-02-28",
      favorite_genres: ["drama", `x: ${index}`],
      loyalty: { tier: "gold", points: index },
      ...(index % 5 === 0 ? { emial_opt_in: true } : {}),
    },
    subscription_groups: { "grp-news": index % 2 ? "subscribed" : "unsubscribed" },
    ...(index % 7 === 0
      ? { events: [{ id: `signup-${index}`, name: "signed_up", time: `2026-01-0${(index % 9) + 1}T10:00:00Z`, properties: { plan: "pro" } }] }
      : {}),
    ...(index % 11 === 0 ? { purchases: [{ id: `p-${index}`, product_id: "gold", currency: "USD", price: 9.99, time: "-3d" }] } : {}),
  };
}

const fileOf = (users: Array<Record<string, unknown>>) =>
  `# personas\nusers:\n${stringify(users).replace(/^/gm, "  ").trimEnd()}\n\n# near-misses meant as custom attributes\nintended_custom_attributes: [emial_opt_in]\n`;
const oneThread = (text: string) => memberTexts("users", membersOfDesiredState(parseDesiredState(text, "users.yaml")));
const USERS = Array.from({ length: 600 }, (_, index) => user(index));

FileTexts("the file cut into documents holds every user once, in order, with the text around the list in each", () => {
  const text = fileOf(USERS);
  const documents = usersDocuments(text, 3)!;
  assert.is(documents.length, 3);
  const read = documents.map((document) => parseDesiredState(document, "part.yaml").users.map(({ user }) => user.alias!.name));
  assert.equal(
    read.flat(),
    USERS.map((u) => (u.alias as { name: string }).name),
  );
  for (const document of documents) assert.ok(document.startsWith("# personas\nusers:\n") && document.endsWith("intended_custom_attributes: [emial_opt_in]\n"));
  assert.ok(Math.max(...read.map((part) => part.length)) - Math.min(...read.map((part) => part.length)) < 20, "parts of about the same size");
});

FileTexts("two to four threads give exactly the texts of the one-thread reading", () => {
  const text = fileOf(USERS);
  const expected = oneThread(text);
  assert.is(Object.keys(expected).length, 600);
  for (const threads of [2, 3, 4]) assert.equal(fileTextsInParallel(text, "users", { threads, fromCharacters: 0 }), expected, `${threads} threads`);
});

const leftToOneThread: Array<[title: string, users: Array<Record<string, unknown>>]> = [
  ["an alias in two parts", [...USERS, { ...user(3), key: "another" }]],
  ["a key in two parts", [...USERS, { ...user(100000), key: "0" }]],
  ["a problem in the last part", [...USERS.slice(0, 599), { ...user(599), attributes: { dob: "1990-02-30" } }]],
  ["a problem in the first part", [{ ...user(0), attributes: { email_subscribe: "maybe" } }, ...USERS.slice(1)]],
];
for (const [title, users] of leftToOneThread) {
  FileTexts(`left to the one-thread reading, which reports it: ${title}`, () => {
    const text = fileOf(users);
    assert.is(fileTextsInParallel(text, "users", { threads: 2, fromCharacters: 0 }), undefined);
    assert.throws(() => oneThread(text));
  });
}

FileTexts("a short file, one core, or a file whose list the fast reading does not cut is read on one thread", () => {
  const text = fileOf(USERS);
  assert.is(fileTextsInParallel(text, "users", { threads: 2 }), undefined, "shorter than PARALLEL_FROM_CHARACTERS");
  assert.is(fileTextsInParallel(text, "users", { threads: 1, fromCharacters: 0 }), undefined);
  assert.is(fileTextsInParallel(`users: ${JSON.stringify(USERS)}\n`, "users", { threads: 2, fromCharacters: 0 }), undefined, "a flow list");
});

FileTexts.run();
