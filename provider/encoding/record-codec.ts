// How a user set's record is kept in Pulumi state: one compressed string. The
// engine stores a resource's inputs and outputs, and rewrites the whole
// checkpoint at every step; inputs already hold each user's text (which
// `pulumi preview --diff` shows), so the outputs carry the record compactly
// instead of every user a second time. Layout (version 3), gzipped, base64:
//   {"version":3,"unsure":{key: "all" | {attributes, subscriptionGroups}},
//    "logs"?:{key: {tally: {"event:<name>"|"purchase:<product_id>": n},
//                  doubt?: {"events.<id>": {text, sentTime, group}}, resolved?: {"events.<id>": iso}}}}
//   key: stored text      (one line per recorded user, as a shard writes it:
//   key: stored text       user-shards.ts, stored-text.ts)
// (recorded-set.ts says what each part means). Versions 1 and 2 were one JSON
// object with the users under "users"; they still read. Read it with:
//   pulumi stack export | jq -r '..|.record? // empty' | base64 -d | gunzip
import { promisify } from "node:util";
import { gunzipSync, gzip } from "node:zlib";
import type { EntryLog, RecordedSet, Unsure } from "./recorded-set";
import { storedText } from "./stored-text";
import { splitUserLines, userLine } from "./user-shards";
import { RecordUnreadableError } from "./record-unreadable-error";

/**
 * Bumped when the layout changes; a record of another version is refused, not
 * guessed at. Version 2 added `logs` (events and purchases); a version 1 record
 * is read as one without any. Version 3 moved the users out of the JSON into
 * lines: slicing 100,000 lines out of the text takes a fifth of the time
 * JSON.parse took to unescape them, and writing them skips JSON's escaping.
 */
const RECORD_VERSION = 3;
const READABLE_VERSIONS = new Set([1, 2, 3]);
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

/** Characters of lines per gzip member at most (a longer line is a member on its own). */
const MEMBER_CHARACTERS = 1 << 20;
/**
 * Members compressed at once, on libuv's thread pool (4 threads by default):
 * 100,000 users' record takes 0.3 s instead of 0.6 s on two cores, which are
 * both idle while the provider writes it (the engine and Braze wait for the
 * answer). At most this many megabytes of lines exist at once.
 */
const MEMBERS_IN_FLIGHT = 4;

const gzipAsync = promisify(gzip);

/** The JSON part of a record: all of it up to version 2, its first line from version 3. */
interface StoredRecord {
  version: number;
  /** Up to version 2 only. */
  users?: Record<string, string>;
  unsure?: Record<string, Unsure>;
  logs?: Record<string, EntryLog>;
}

export async function encodeRecord(record: RecordedSet): Promise<string> {
  const head: StoredRecord = { version: RECORD_VERSION, unsure: record.unsure };
  if (Object.keys(record.logs).length > 0) head.logs = record.logs;
  // Compressed a megabyte of lines at a time, each piece a gzip member of its
  // own: gunzip reads members one after the other as one text, and the whole
  // text (60 MB at 100,000 users, twice over as a string and its bytes) never
  // exists at once. Each member restarts zlib's 32 KB window, which costs
  // nothing measurable at a megabyte.
  const members: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const compress = async (text: string): Promise<void> => {
    const index = members.length;
    members.push(Buffer.alloc(0));
    const job = gzipAsync(text, { level: GZIP_LEVEL, chunkSize: CHUNK_SIZE }).then((member) => {
      members[index] = member;
    });
    inFlight.add(job);
    // Settled jobs leave the set; a failure is thrown by the race or the last wait.
    job.then(
      () => inFlight.delete(job),
      () => undefined,
    );
    if (inFlight.size >= MEMBERS_IN_FLIGHT) await Promise.race(inFlight);
  };
  let lines = [JSON.stringify(head)];
  let length = lines[0].length;
  for (const key of Object.keys(record.users)) {
    const line = userLine(key, record.users[key]);
    if (lines.length > 0 && length + line.length > MEMBER_CHARACTERS) {
      // The break between two lines ends this member, so the next starts with it.
      lines.push("");
      await compress(lines.join("\n"));
      lines = [];
      length = 0;
    }
    lines.push(line);
    length += line.length + 1;
  }
  await compress(lines.join("\n"));
  await Promise.all(inFlight);
  return Buffer.concat(members).toString("base64");
}

/** What to do with a record that cannot be read, whatever broke it. */
const RESTORE_HINT = "restore the stack's state from a backup (pulumi stack export/import)";

/** @throws RecordUnreadableError when the text is no record this version can read. */
export function decodeRecord(text: unknown): RecordedSet {
  if (typeof text !== "string") throw new RecordUnreadableError(`is missing (got ${typeof text})`, RESTORE_HINT);
  let stored: StoredRecord;
  let users: Record<string, string> | undefined;
  try {
    const plain = gunzipSync(Buffer.from(text, "base64"), { chunkSize: CHUNK_SIZE }).toString("utf8");
    // JSON never writes a line break, so the first line is the whole of a version 1 or 2 record.
    const headEnd = plain.indexOf("\n");
    stored = JSON.parse(headEnd < 0 ? plain : plain.slice(0, headEnd)) as StoredRecord;
    if (stored.version === 3) users = usersOf(plain, headEnd < 0 ? plain.length : headEnd + 1);
    else if (typeof stored.users === "object" && stored.users !== null) users = storedTexts(stored.users);
  } catch (error) {
    throw new RecordUnreadableError(`cannot be read (${(error as Error).message})`, RESTORE_HINT, error);
  }
  if (!READABLE_VERSIONS.has(stored.version)) {
    throw new RecordUnreadableError(
      `has version ${String(stored.version)}, and this provider reads versions ${[...READABLE_VERSIONS].join(", ")}`,
      "use the version of pulumi-braze-profiles that wrote it, or a later one",
    );
  }
  if (users === undefined) throw new RecordUnreadableError("holds no users map", RESTORE_HINT);
  return { users, unsure: stored.unsure ?? {}, logs: stored.logs ?? {} };
}

/** The users of a version 3 record, from its lines. */
function usersOf(plain: string, at: number): Record<string, string> {
  const parts = splitUserLines(plain, at);
  // Caught by decodeRecord, which reports it as a RecordUnreadableError.
  if (parts === undefined) throw new Error("a user line is not laid out as the provider writes one");
  const users: Record<string, string> = {};
  for (let index = 0; index < parts.length; index += 2) users[parts[index]] = storedText(parts[index], parts[index + 1]);
  return users;
}

/** A version 1 or 2 record's users, in their stored texts (stored-text.ts), as the provider compares them. */
function storedTexts(users: Record<string, string>): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const key of Object.keys(users)) stored[key] = storedText(key, users[key]);
  return stored;
}
