// How a user set's record is kept in Pulumi state: one compressed string. The
// engine stores a resource's inputs and outputs, and rewrites the whole
// checkpoint at every step; inputs already hold each user's text (which
// `pulumi preview --diff` shows), so the outputs carry the record compactly
// instead of every user a second time. Layout (version 2):
//   { version, users: {key: user text}, unsure: {key: "all" | {attributes, subscriptionGroups}},
//     logs?: {key: {tally: {"event:<name>"|"purchase:<product_id>": n},
//                   doubt?: {"events.<id>": {text, sentTime, group}}, resolved?: {"events.<id>": iso}}} }
// (recorded-set.ts says what each part means). Read it with:
//   pulumi stack export | jq -r '..|.record? // empty' | base64 -d | gunzip
import { gunzipSync, gzipSync } from "node:zlib";
import type { EntryLog, RecordedSet, Unsure } from "../delta/recorded-set";

/**
 * Bumped when the layout changes; a record of another version is refused, not
 * guessed at. Version 2 added `logs` (events and purchases); a version 1 record
 * is read as one without any.
 */
const RECORD_VERSION = 2;
const READABLE_VERSIONS = new Set([1, 2]);
/**
 * zlib's default level: at 100,000 personas the record is 5.5 MB instead of
 * level 1's 8.6 MB, for 0.25 s more to write it (and less to read it). The
 * engine copies, serializes and writes the record with every checkpoint, so
 * each megabyte saved here is saved several times per run.
 */
const GZIP_LEVEL = 6;
/**
 * zlib's output chunk: its 16 KB default makes a 75 MB record thousands of
 * pieces to join, a third of the time of (de)compressing it.
 */
const CHUNK_SIZE = 1 << 20;

interface StoredRecord {
  version: number;
  users: Record<string, string>;
  unsure: Record<string, Unsure>;
  logs?: Record<string, EntryLog>;
}

export function encodeRecord(record: RecordedSet): string {
  const stored: StoredRecord = { version: RECORD_VERSION, users: record.users, unsure: record.unsure };
  if (Object.keys(record.logs).length > 0) stored.logs = record.logs;
  return gzipSync(JSON.stringify(stored), { level: GZIP_LEVEL, chunkSize: CHUNK_SIZE }).toString("base64");
}

/** @throws Error when the text is no record this version can read. */
export function decodeRecord(text: unknown): RecordedSet {
  if (typeof text !== "string") throw new Error(`the recorded user set is missing from state (got ${typeof text})`);
  let stored: Partial<StoredRecord>;
  try {
    stored = JSON.parse(gunzipSync(Buffer.from(text, "base64"), { chunkSize: CHUNK_SIZE }).toString("utf8")) as Partial<StoredRecord>;
  } catch (error) {
    throw new Error(`the recorded user set in state cannot be read (${(error as Error).message}); restore the state from a backup`);
  }
  if (!READABLE_VERSIONS.has(stored.version as number) || typeof stored.users !== "object" || stored.users === null) {
    throw new Error(`the recorded user set in state has version ${String(stored.version)}; this provider reads version ${RECORD_VERSION}`);
  }
  return { users: stored.users, unsure: stored.unsure ?? {}, logs: stored.logs ?? {} };
}
