// How a set's shards travel from the program to its provider: each deflated and
// in base64 (`packedShards`), and the provider's check gives them back whole as
// the inputs the engine stores and shows (`shards`).
//
// The engine stores and displays a resource's inputs as its provider's check
// returns them, not as the program sent them, so the program's copy can take any
// form the check reads. Sent whole, the users' texts cross three processes and
// are held by each: the program's message, the Node.js language host (which
// relays every registration to the engine and decodes it on the way), the
// engine's copy of the registration next to the checked inputs, and the check
// request that carries them to the provider. Packed, they are a sixth of the
// bytes: at 100,000 users 9 MB instead of 56. On the no-op floor at 100,000
// users this took a 1% change from 44.4 s and 2,612 MiB (every process of the
// run) to 38.5 s and 2,137 MiB, and an unchanged up from 1,911 to 1,619 MiB;
// packing costs the program 0.25 s and unpacking costs the check 0.3 s
// (`node dist/bench/run.js --only shapes` weighs it against whole shards).
import * as zlib from "node:zlib";

/**
 * zlib's level 3: measured on the benchmark's personas, level 1 packs 100,000
 * users in 0.19 s to 10.6 MB, level 3 in 0.24 s to 8.8 MB, level 6 (the default)
 * in 0.47 s to 7.1 MB; unpacking takes 0.3 s at any level.
 */
const LEVEL = 3;

/** Each shard's text deflated (raw, no header: the key names it) and in base64, a protobuf string's safe alphabet. */
export function packShards(shards: Readonly<Record<string, string>>): Record<string, string> {
  const packed: Record<string, string> = {};
  for (const [shard, text] of Object.entries(shards)) packed[shard] = zlib.deflateRawSync(Buffer.from(text, "utf8"), { level: LEVEL }).toString("base64");
  return packed;
}

/**
 * The shards packShards packed.
 * @throws TypeError naming the shard that is not packed text.
 */
export function unpackShards(packed: Readonly<Record<string, unknown>>): Record<string, string> {
  const shards: Record<string, string> = {};
  for (const [shard, text] of Object.entries(packed)) {
    if (typeof text !== "string") throw new TypeError(`shard ${shard} must be a string (BrazeUserSet packs it)`);
    try {
      shards[shard] = zlib.inflateRawSync(Buffer.from(text, "base64")).toString("utf8");
    } catch (error) {
      throw new TypeError(`shard ${shard} is not a packed shard (${(error as Error).message}); BrazeUserSet packs its shards: declare the set with it`);
    }
  }
  return shards;
}

/**
 * The set's user keys in file order, packed as the shards are (`packedOrder`).
 * The shards hold users by a hash of their key, so only this gives the check
 * the file's order, in which the preview lists changed users
 * (../delta/set-changes.ts). The check reads it and stores nothing of it.
 */
export function packOrder(keys: readonly string[]): string {
  return zlib.deflateRawSync(Buffer.from(JSON.stringify(keys), "utf8"), { level: LEVEL }).toString("base64");
}

/**
 * The keys packOrder packed.
 * @throws TypeError when it is not a packed list of keys.
 */
export function unpackOrder(packed: unknown): string[] {
  let keys: unknown;
  try {
    keys = typeof packed === "string" ? JSON.parse(zlib.inflateRawSync(Buffer.from(packed, "base64")).toString("utf8")) : undefined;
  } catch (error) {
    throw new TypeError(`packedOrder is not a packed list of user keys (${(error as Error).message}); BrazeUserSet packs it: declare the set with it`);
  }
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string"))
    throw new TypeError("packedOrder must be a packed list of user keys (BrazeUserSet packs it)");
  return keys;
}
