// A user set's users travel in 256 shards (provider/encoding/user-shards.ts): each
// user's canonical text must come back character for character, a user must
// stay in its shard whatever else the set holds, and a shard that is not what
// BrazeUserSet writes must be refused by name.
import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import { SHARD_COUNT, shardOf, shardsDigest, shardTexts, textsOfShards, type ShardMemo } from "../../provider/encoding/user-shards";
import { fullText, storedText } from "../../provider/encoding/stored-text";
import { memberToText, userFromText } from "../../provider/encoding/user-text";
import { parseFlowText } from "../../provider/encoding/flow-text";
import { seededRandom } from "../harness/seeded-random";

const Shards = suite("user shards");

const text = (name: string, attributes: Record<string, unknown> = { first_name: name }) =>
  memberToText({ user: { alias: { name, label: "qa" }, attributes: attributes as never, subscriptionGroups: {} }, entries: { events: {}, purchases: {} } });

Shards("every text comes back exactly, also with quotes, backslashes, brackets, braces and non-ASCII inside strings and keys", () => {
  const random = seededRandom(7);
  const awkward = ['"', "\\", '\\"', "{", "}", "[", "]", ":", ",", "é", "😀", "\u2028", "\\\\"];
  const texts: Record<string, string> = {};
  for (let index = 0; index < 2_000; index += 1) {
    const piece = () => awkward[Math.floor(random() * awkward.length)];
    const key = index % 3 === 0 ? `${index}` : `qa/u${index}${piece()}${piece()}`;
    texts[key] = text(`u${index}${piece()}`, {
      first_name: `F${piece()}${piece()}`,
      "1": index,
      nested: { list: [piece(), { deep: piece() }], n: index / 7 },
      none: null,
    });
  }
  const shards = shardTexts(texts);
  assert.ok(Object.keys(shards).length <= SHARD_COUNT);
  const stored = textsOfShards(shards);
  assert.equal(stored, Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, storedText(key, text)])), "each user's stored text");
  assert.equal(
    Object.fromEntries(Object.entries(stored).map(([key, text]) => [key, fullText(key, text)])),
    texts,
    "each text given back character for character",
  );
  assert.equal(textsOfShards(shardTexts(stored)), stored, "stored texts shard as their canonical texts do");
  // The preview decodes each shard as YAML (a multi-line string): it must read
  // every user, under its key, without the alias its key spells.
  for (const [shard, shardText] of Object.entries(shards)) {
    const read = parseYaml(shardText) as Record<string, Record<string, unknown>>;
    const keys = Object.keys(texts).filter((key) => shardOf(key) === shard);
    assert.equal(Object.keys(read).sort(), keys.sort(), `shard ${shard} holds its users`);
    for (const key of keys) {
      const { alias, ...rest } = parseFlowText(texts[key]) as Record<string, unknown>;
      const spelled = alias as { label: string; name: string };
      assert.equal(read[key], key === `${spelled.label}/${spelled.name}` ? rest : { alias, ...rest }, key);
    }
  }
});

Shards("a user's shard depends on its key only, so adding users moves nobody", () => {
  const before = shardTexts({ "qa/a": text("a"), "qa/b": text("b") });
  const after = shardTexts({ "qa/a": text("a"), "qa/b": text("b"), ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`qa/n${i}`, text(`n${i}`)])) });
  for (const key of ["qa/a", "qa/b"]) assert.ok(after[shardOf(key)].includes(`\n${key}: `));
  assert.match(shardOf("qa/a"), /^\d{3}$/);
  assert.is(new Set(Object.keys(after)).size > 200, true, "500 users spread over most of the 256 shards");
  assert.is(Object.keys(before).length, new Set([shardOf("qa/a"), shardOf("qa/b")]).size);
});

Shards("a key's shard is the first byte of its UTF-8 SHA-1, as every stack's state has it", () => {
  for (const key of ["qa/a", "bench-personas/persona-000001", "clé/ü😀", ""]) {
    const first = createHash("sha1").update(Buffer.from(key, "utf8")).digest()[0];
    assert.is(shardOf(key), String(first).padStart(3, "0"), key);
  }
});

Shards("one user is one line without the alias its key spells; a key that spells another alias keeps it", () => {
  const shards = shardTexts({ "qa/a": text("a", { plan: "pro" }), "qa/b": text("b", {}), other: text("c") });
  assert.is(shards[shardOf("qa/a")], "---\nqa/a: {attributes: {plan: pro}}");
  assert.is(shards[shardOf("qa/b")], "---\nqa/b: {}");
  assert.is(shards[shardOf("other")], "---\nother: {alias: {label: qa, name: c}, attributes: {first_name: c}}");
});

Shards("a shard in the JSON layout of stacks written before the flow form still reads", () => {
  const asJson = JSON.stringify(parseFlowText(text("a")));
  assert.equal(textsOfShards({ "001": `{"qa/a":${asJson}}` }), { "qa/a": asJson });
  const byHand = { "001": `{ "qa/a" : ${JSON.stringify(JSON.parse(asJson), null, 2)} }` };
  assert.equal(userFromText(fullText("qa/a", textsOfShards(byHand)["qa/a"])), userFromText(text("a")));
});

Shards("a shard not laid out as BrazeUserSet writes one, or a user in two shards, is refused by name", () => {
  assert.throws(() => textsOfShards({ "017": "not json" }), /shard 017 of a user set is not a shard of user texts as BrazeUserSet writes one/);
  assert.throws(() => textsOfShards({ "017": "---\nqa/a: 1" }), /shard 017/);
  assert.throws(() => textsOfShards({ "017": "---\nno-slash: {}" }), /shard 017/, "no alias and a key that spells none");
  assert.throws(() => textsOfShards({ "017": '{"qa/a":1}' }), /shard 017/);
  assert.throws(() => textsOfShards({ "017": 5 }), /shard 017/);
  assert.throws(() => textsOfShards({ "001": `---\nqa/a: ${text("a")}`, "002": `---\nqa/a: ${text("a")}` }), /user qa\/a of a user set is in two shards/);
});

Shards("a memo reuses a shard whose text is unchanged and splits a changed one again", () => {
  const memo: ShardMemo = new Map();
  const shards = shardTexts({ "qa/a": text("a") });
  const [shard] = Object.keys(shards);
  textsOfShards(shards, memo);
  const remembered = memo.get(shard)!.users;
  textsOfShards({ ...shards }, memo);
  assert.is(memo.get(shard)!.users, remembered, "same text: the split is reused");
  const changed = shardTexts({ "qa/a": text("a", { first_name: "Ada" }) });
  assert.equal(textsOfShards(changed, memo), { "qa/a": "{attributes: {first_name: Ada}}" });
  assert.is.not(memo.get(shard)!.users, remembered);
});

Shards("the digest of shards is the same for the same users in any key order, and differs for any other text or layout", () => {
  const shards = shardTexts({ "qa/a": text("a"), "qa/b": text("b") });
  const reordered = Object.fromEntries(Object.entries(shards).reverse());
  assert.is(shardsDigest(reordered), shardsDigest(shards));
  assert.match(shardsDigest(shards), /^sha256-v1:[0-9a-f]{64}$/);
  assert.is.not(shardsDigest(shardTexts({ "qa/a": text("a", { first_name: "Ada" }), "qa/b": text("b") })), shardsDigest(shards));
  // The same characters cut differently between shards are different inputs.
  assert.is.not(shardsDigest({ "001": "ab", "002": "c" }), shardsDigest({ "001": "a", "002": "bc" }));
  assert.is.not(shardsDigest({ "001": "a" }), shardsDigest({ "002": "a" }));
});

Shards.run();
