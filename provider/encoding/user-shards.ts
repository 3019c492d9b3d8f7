// How a user set's users travel in its inputs: 256 shards, each user in the
// shard a stable hash of its key picks, each shard one text holding its users,
// one line per user, `key: text` with keys sorted (the flow form of
// flow-text.ts, so a shard is a YAML mapping). A few hundred strings instead of
// one per user: the SDK and the engine pay per value, and 100,000 small strings
// cost Pulumi's Node.js gRPC code seconds more per trip than 256 large ones
// (bench/results/shapes-100000.json). A changed user changes only its shard's
// text, so an unchanged shard is still one string comparison, and
// `pulumi preview --diff` still parses a changed shard key by key:
// `~ shards: { ~ 017: (yaml) { ~ qa/ada: { ~ attributes: { ~ plan: "free" => "pro" } } } }`.
// A fixed count, not one per N users, so that adding users never moves others
// between shards (which would show them as removed and added in the preview).
import * as crypto from "node:crypto";
import { flowString } from "./flow-text";
import { isStoredText, storedText } from "./stored-text";

export const SHARD_COUNT = 256;

/**
 * SHA-1 of a short text: Node's one-shot `crypto.hash` (Node 20.12 on) is four
 * times faster than a Hash object per key, 0.1 s against 0.4 s for 100,000 keys.
 */
const sha1: (text: string) => Buffer =
  typeof crypto.hash === "function" ? (text) => crypto.hash("sha1", text, "buffer") : (text) => crypto.createHash("sha1").update(text).digest();

/** The shard of a user key: "000" to "255". Never change it: a user's shard is in every stack's state. */
export function shardOf(key: string): string {
  return String(sha1(key)[0] % SHARD_COUNT).padStart(3, "0");
}

/**
 * Users' texts by key (canonical or stored, stored-text.ts), grouped into shard
 * texts, each user in its stored text: its alias left out when its key spells
 * it, as it does for every user of a desired-state file. `textsOfShards` gives
 * the stored texts back character for character.
 */
export function shardTexts(texts: Readonly<Record<string, string>>): Record<string, string> {
  const members = new Map<string, string[]>();
  for (const key of Object.keys(texts).sort()) {
    const shard = shardOf(key);
    let list = members.get(shard);
    if (!list) members.set(shard, (list = []));
    list.push(userLine(key, storedText(key, texts[key])));
  }
  const shards: Record<string, string> = {};
  for (const shard of [...members.keys()].sort()) shards[shard] = `${SHARD_START}${members.get(shard)!.join("\n")}`;
  return shards;
}

/**
 * Shards open with YAML's document marker, so that a shard is a multi-line
 * string even when it holds one user: the engine's diff display decodes only
 * those as YAML (and shows the others as one long changed string).
 */
const SHARD_START = "---\n";

/**
 * One digest of a set's shards, as the inputs carry them: equal digests, equal
 * users. Lets a provider tell "exactly the inputs it last applied" without
 * splitting or comparing 100,000 texts (see UserSetOutputs.inSyncWith). Each
 * shard's name and length go in before its text, so no two layouts collide.
 */
export function shardsDigest(shards: Readonly<Record<string, string>>): string {
  const hash = crypto.createHash("sha256");
  for (const shard of Object.keys(shards).sort()) hash.update(`${shard}\n${shards[shard].length}\n`).update(shards[shard]);
  return `${DIGEST_VERSION}:${hash.digest("hex")}`;
}

/** Changes when the digest's layout does, so a digest of another layout never matches. */
const DIGEST_VERSION = "sha256-v1";

/**
 * Each user's stored text (stored-text.ts) by key, from shard texts, sliced out
 * character for character as `shardTexts` wrote it; the JSON texts of shards
 * written before the flow form, as they are.
 * @throws TypeError naming the shard that is not laid out as shardTexts writes one, or the key found in two shards.
 */
export function textsOfShards(shards: Readonly<Record<string, unknown>>, seen?: ShardMemo): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const shard of Object.keys(shards).sort()) {
    const text = shards[shard];
    const remembered = seen?.get(shard);
    let users: string[] | undefined;
    if (remembered !== undefined && remembered.text === text) {
      // The remembered text stays: its users are slices of it, so keeping this equal copy instead would hold both.
      users = remembered.users;
    } else {
      users = typeof text === "string" ? splitShard(text) : undefined;
      if (users && seen) seen.set(shard, { text: text as string, users });
    }
    if (!users) throw new TypeError(`shard ${shard} of a user set is not a shard of user texts as BrazeUserSet writes one: ${String(text).slice(0, 120)}`);
    for (let index = 0; index < users.length; index += 2) {
      const key = users[index];
      if (Object.hasOwn(texts, key)) throw new TypeError(`user ${key} of a user set is in two shards`);
      texts[key] = users[index + 1];
    }
  }
  return texts;
}

/**
 * The shards a provider process split last: check, diff and update of one run
 * each receive the same inputs, and comparing a shard's text is cheaper than
 * splitting it again.
 */
export type ShardMemo = Map<string, { text: string; users: string[] }>;

/**
 * `[key, text, key, text, ...]` of one shard text, sliced out line by line
 * rather than parsed and written again; `undefined` when the text is not laid
 * out as `shardTexts` writes it.
 */
function splitShard(text: string): string[] | undefined {
  if (!text.startsWith(SHARD_START)) return text.charCodeAt(0) === OPEN ? splitJsonShard(text) : undefined;
  return splitUserLines(text, SHARD_START.length, (key, written) => (isStoredText(key, written) ? written : undefined));
}

/** One user's line: its key (plain or quoted, as flow-text.ts writes strings), then its text. */
export function userLine(key: string, text: string): string {
  return `${flowString(key)}: ${text}`;
}

/**
 * `[key, text, key, text, ...]` of the `userLine` lines of `text` from offset
 * `at` on, each text sliced out as written (or as `restore` gives it back from
 * key and line); `undefined` when a line is not laid out as `userLine` writes it.
 */
export function splitUserLines(
  text: string,
  at: number,
  restore: (key: string, written: string) => string | undefined = (_key, written) => written,
): string[] | undefined {
  const parts: string[] = [];
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const keyEnd = text.charCodeAt(at) === QUOTE ? endOfString(text, at) : text.indexOf(": ", at);
    if (keyEnd <= at || keyEnd > end || text.charCodeAt(keyEnd) !== COLON || text.charCodeAt(keyEnd + 1) !== SPACE) return undefined;
    const key = keyOf(text.slice(at, keyEnd));
    if (key === undefined || text.charCodeAt(keyEnd + 2) !== OPEN || text.charCodeAt(end - 1) !== CLOSE) return undefined;
    const user = restore(key, text.slice(keyEnd + 2, end));
    if (user === undefined) return undefined;
    parts.push(key, user);
    at = end + 1;
  }
  return parts;
}

/**
 * The layout of stacks written before the flow form: one JSON object of JSON
 * texts. Sliced out rather than parsed and written again; falls back to
 * JSON.parse for any other JSON object of objects.
 */
function splitJsonShard(text: string): string[] | undefined {
  const parts: string[] = [];
  let at = 1;
  while (at < text.length - 1) {
    if (text.charCodeAt(at) !== QUOTE) return parsedShard(text);
    const keyEnd = endOfString(text, at);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== COLON || text.charCodeAt(keyEnd + 1) !== OPEN) return parsedShard(text);
    const valueEnd = endOfObject(text, keyEnd + 1);
    if (valueEnd < 0) return parsedShard(text);
    parts.push(JSON.parse(text.slice(at, keyEnd)) as string, text.slice(keyEnd + 1, valueEnd));
    at = valueEnd;
    if (text.charCodeAt(at) === COMMA) at += 1;
    else if (at !== text.length - 1) return parsedShard(text);
  }
  return text.charCodeAt(text.length - 1) === CLOSE ? parts : parsedShard(text);
}

/** The key a line's key was written from, if `userLine` writes it so. */
function keyOf(written: string): string | undefined {
  let key = written;
  if (written.charCodeAt(0) === QUOTE) {
    try {
      key = JSON.parse(written) as string;
    } catch {
      return undefined;
    }
  }
  return flowString(key) === written ? key : undefined;
}

const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const SPACE = 0x20;
const BACKSLASH = 0x5c;

/** Index after the string starting at `at` (a quote), or -1. */
function endOfString(text: string, at: number): number {
  let quote = text.indexOf('"', at + 1);
  while (quote > 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/** Index after the object starting at `at` (a brace), or -1. */
function endOfObject(text: string, at: number): number {
  let depth = 0;
  for (let index = at; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const end = endOfString(text, index);
      if (end < 0) return -1;
      index = end - 1;
    } else if (code === OPEN || code === 0x5b) depth += 1;
    else if (code === CLOSE || code === 0x5d) {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

function parsedShard(text: string): string[] | undefined {
  let users: unknown;
  try {
    users = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof users !== "object" || users === null || Array.isArray(users)) return undefined;
  const parts: string[] = [];
  for (const [key, user] of Object.entries(users)) {
    if (typeof user !== "object" || user === null || Array.isArray(user)) return undefined;
    parts.push(key, JSON.stringify(user));
  }
  return parts;
}
