// The program sends a set's shards packed, and the provider's check gives them
// back whole (provider/pulumi-wire/packed-shards.ts): every shard must come back
// character for character, and a shard that is not packed text must be refused
// by name.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { shardTexts } from "../../provider/encoding/user-shards";
import { memberToText } from "../../provider/encoding/user-text";
import { packShards, unpackShards } from "../../provider/pulumi-wire/packed-shards";
import { seededRandom } from "../harness/seeded-random";

const Packed = suite("packed shards");

Packed("every shard comes back exactly, non-ASCII, quotes and line breaks included, in fewer bytes than it was", () => {
  const random = seededRandom(11);
  const awkward = ['"', "\\", "é", "😀", "\u2028", "\n", "{", "'"];
  const texts: Record<string, string> = {};
  for (let index = 0; index < 3_000; index += 1) {
    const piece = () => awkward[Math.floor(random() * awkward.length)];
    texts[`qa/u${index}${piece()}`] = memberToText({
      user: {
        alias: { name: `u${index}`, label: "qa" },
        attributes: { first_name: `F${piece()}${piece()}`, plan: "pro", n: index } as never,
        subscriptionGroups: {},
      },
      entries: { events: {}, purchases: {} },
    });
  }
  const shards = shardTexts(texts);
  const packed = packShards(shards);
  assert.equal(Object.keys(packed), Object.keys(shards));
  assert.equal(unpackShards(packed), shards);
  for (const [shard, text] of Object.entries(packed)) {
    assert.match(text, /^[A-Za-z0-9+/]*={0,2}$/, `shard ${shard} travels as base64`);
  }
  const bytes = (record: Record<string, string>) => Object.values(record).reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  assert.ok(bytes(packed) * 3 < bytes(shards), `packed ${bytes(packed)} bytes, whole ${bytes(shards)}`);
});

Packed("empty shards and an empty set come back as they were", () => {
  assert.equal(unpackShards(packShards({})), {});
  assert.equal(unpackShards(packShards({ "007": "" })), { "007": "" });
});

Packed("a shard that is not packed text is refused by name", () => {
  const good = packShards({ "001": "qa/a: {}\n" });
  assert.throws(
    () => unpackShards({ ...good, "002": "qa/b: {}" }),
    (error: Error) => error instanceof TypeError && /^shard 002 is not a packed shard \(.+\); BrazeUserSet packs its shards/.test(error.message),
  );
  assert.throws(
    () => unpackShards({ ...good, "003": 7 }),
    (error: Error) => error.message === "shard 003 must be a string (BrazeUserSet packs it)",
  );
});

Packed.run();
