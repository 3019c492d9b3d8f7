// The workspace in SQLite (better-sqlite3): users, their aliases, events and
// purchases, the request log and counters. Every API request runs inside one
// transaction (`transaction`), so it applies fully or not at all, and it is
// committed before the answer is sent, so a restart loses nothing answered.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { UserAlias } from "../identifiers";
import { emailKey, phoneKey } from "../identifiers";
import { compareAliases, newProfile, type Activity, type Profile, type StoredUser } from "./profile";
import { sqliteModule } from "./sqlite-module";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  braze_id TEXT NOT NULL UNIQUE,
  external_id TEXT UNIQUE,
  email_key TEXT,
  phone_key TEXT,
  -- Order of last update: "most recently updated" without ties between updates in one millisecond.
  updated_seq INTEGER NOT NULL,
  profile TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_email ON users(email_key);
CREATE INDEX IF NOT EXISTS users_phone ON users(phone_key);
CREATE TABLE IF NOT EXISTS aliases (
  alias_label TEXT NOT NULL,
  alias_name TEXT NOT NULL,
  user_id INTEGER NOT NULL,
  PRIMARY KEY (alias_label, alias_name)
);
CREATE INDEX IF NOT EXISTS aliases_user ON aliases(user_id);
-- Ids left behind by /users/external_ids/rename: they still address their user until removed.
CREATE TABLE IF NOT EXISTS deprecated_external_ids (
  external_id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deprecated_external_ids_user ON deprecated_external_ids(user_id);
CREATE TABLE IF NOT EXISTS activities (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS activities_user ON activities(user_id);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY,
  entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

export const DATABASE_FILE = "workspace.sqlite";

interface UserRow {
  id: number;
  updated_seq: number;
  profile: string;
}

export class WorkspaceStore {
  readonly #db: Database.Database;
  readonly #statements;
  #updateSeq: number;
  readonly #idProcessPart = randomBytes(5).toString("hex");
  #idCounter = randomBytes(3).readUIntBE(0, 3);
  /** The last row id handed out: a created user gets its row when it is first saved, under the id its aliases already point at. */
  #lastRowId: number;
  /** Users created in this process whose row is not written yet. */
  readonly #unsaved = new WeakSet<StoredUser>();

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    const Sqlite = sqliteModule();
    this.#db = new Sqlite(path.join(dataDir, DATABASE_FILE));
    // WAL with synchronous=NORMAL: a committed transaction survives the process
    // dying (it is in the WAL file before commit returns); only an OS crash or
    // power loss could lose the last commits, which is fine for a local server.
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.exec(SCHEMA);
    const db = this.#db;
    this.#statements = {
      byExternalId: db.prepare<[string], UserRow>("SELECT id, updated_seq, profile FROM users WHERE external_id = ?"),
      byDeprecatedExternalId: db.prepare<[string], UserRow>(
        "SELECT users.id, users.updated_seq, users.profile FROM deprecated_external_ids JOIN users ON users.id = deprecated_external_ids.user_id WHERE deprecated_external_ids.external_id = ?",
      ),
      isDeprecated: db.prepare<[string], { found: number }>("SELECT 1 AS found FROM deprecated_external_ids WHERE external_id = ?"),
      insertDeprecated: db.prepare("INSERT INTO deprecated_external_ids (external_id, user_id) VALUES (?, ?)"),
      deleteDeprecated: db.prepare("DELETE FROM deprecated_external_ids WHERE external_id = ?"),
      deleteDeprecatedOf: db.prepare("DELETE FROM deprecated_external_ids WHERE user_id = ?"),
      byBrazeId: db.prepare<[string], UserRow>("SELECT id, updated_seq, profile FROM users WHERE braze_id = ?"),
      byAlias: db.prepare<[string, string], UserRow>(
        "SELECT users.id, users.updated_seq, users.profile FROM aliases JOIN users ON users.id = aliases.user_id WHERE alias_label = ? AND alias_name = ?",
      ),
      // Braze's order of preference among users sharing an email or phone: those
      // with an external_id first, then the most recently updated.
      byEmail: db.prepare<[string], UserRow>(
        "SELECT id, updated_seq, profile FROM users WHERE email_key = ? ORDER BY (external_id IS NOT NULL) DESC, updated_seq DESC",
      ),
      byPhone: db.prepare<[string], UserRow>(
        "SELECT id, updated_seq, profile FROM users WHERE phone_key = ? ORDER BY (external_id IS NOT NULL) DESC, updated_seq DESC",
      ),
      all: db.prepare<[], UserRow>("SELECT id, updated_seq, profile FROM users ORDER BY id"),
      countUsers: db.prepare<[], { count: number }>("SELECT COUNT(*) AS count FROM users"),
      insertUser: db.prepare("INSERT INTO users (id, braze_id, external_id, email_key, phone_key, updated_seq, profile) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      updateUser: db.prepare("UPDATE users SET external_id = ?, email_key = ?, phone_key = ?, updated_seq = ?, profile = ? WHERE id = ?"),
      deleteUser: db.prepare("DELETE FROM users WHERE id = ?"),
      deleteAliasesOf: db.prepare("DELETE FROM aliases WHERE user_id = ?"),
      deleteActivitiesOf: db.prepare("DELETE FROM activities WHERE user_id = ?"),
      insertAlias: db.prepare("INSERT INTO aliases (alias_label, alias_name, user_id) VALUES (?, ?, ?)"),
      deleteAlias: db.prepare("DELETE FROM aliases WHERE alias_label = ? AND alias_name = ?"),
      moveActivities: db.prepare("UPDATE activities SET user_id = ? WHERE user_id = ?"),
      insertActivity: db.prepare("INSERT INTO activities (user_id, body) VALUES (?, ?)"),
      activitiesOf: db.prepare<[number], { body: string }>("SELECT body FROM activities WHERE user_id = ? ORDER BY id"),
      insertRequest: db.prepare("INSERT INTO requests (entry) VALUES (?)"),
      allRequests: db.prepare<[], { entry: string }>("SELECT entry FROM requests ORDER BY id"),
      allCounters: db.prepare<[], { name: string; value: number }>("SELECT name, value FROM counters"),
      addCounter: db.prepare("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value"),
    };
    this.#updateSeq = (db.prepare("SELECT MAX(updated_seq) AS seq FROM users").get() as { seq: number | null }).seq ?? 0;
    this.#lastRowId = (db.prepare("SELECT MAX(id) AS id FROM users").get() as { id: number | null }).id ?? 0;
  }

  /** Runs `work` in one SQLite transaction: everything it wrote commits together, or nothing does when it throws. */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)();
  }

  /**
   * The user whose primary external_id this is, or who kept it as a deprecated
   * id after a rename: Braze says the user "can be identified by either
   * external_id until the deprecated one is removed"
   * (https://www.braze.com/docs/api/endpoints/user_data/external_id_migration/post_external_ids_rename/).
   */
  findByExternalId(externalId: string): StoredUser | undefined {
    return toUser(this.#statements.byExternalId.get(externalId)) ?? toUser(this.#statements.byDeprecatedExternalId.get(externalId));
  }

  /** The user whose primary external_id this is; a deprecated id finds nobody. */
  findByPrimaryExternalId(externalId: string): StoredUser | undefined {
    return toUser(this.#statements.byExternalId.get(externalId));
  }

  isDeprecatedExternalId(externalId: string): boolean {
    return this.#statements.isDeprecated.get(externalId) !== undefined;
  }

  /** Gives `user` a new primary external_id and keeps the old one as deprecated (the caller checked both ids). */
  renameExternalId(user: StoredUser, newExternalId: string): void {
    const old = user.profile.external_id;
    if (old === null) throw new Error("only an identified user can be renamed");
    this.#statements.insertDeprecated.run(old, user.id);
    user.profile.external_id = newExternalId;
    this.saveUser(user);
  }

  removeDeprecatedExternalId(externalId: string): void {
    this.#statements.deleteDeprecated.run(externalId);
  }

  findByBrazeId(brazeId: string): StoredUser | undefined {
    return toUser(this.#statements.byBrazeId.get(brazeId));
  }

  findByAlias(alias: UserAlias): StoredUser | undefined {
    return toUser(this.#statements.byAlias.get(alias.alias_label, alias.alias_name));
  }

  /** Users holding this email, preferred first (with an external_id, then most recently updated). */
  findByEmail(email: string): StoredUser[] {
    return this.#statements.byEmail.all(emailKey(email)).map((row) => toUser(row)!);
  }

  /** Users holding this phone number (matched by digits), preferred first. */
  findByPhone(phone: string): StoredUser[] {
    return this.#statements.byPhone.all(phoneKey(phone)).map((row) => toUser(row)!);
  }

  allUsers(): StoredUser[] {
    return this.#statements.all.all().map((row) => toUser(row)!);
  }

  userCount(): number {
    return this.#statements.countUsers.get()!.count;
  }

  /**
   * Creates an empty profile with a fresh braze_id. Its row is written by the
   * caller's saveUser, which every creating path ends with: one insert per new
   * user instead of an insert and an update, which showed up in the throughput
   * profile. Until then lookups do not find it.
   */
  createUser(now: string): StoredUser {
    const profile = newProfile(this.#nextBrazeId(), now);
    // Only ever grows, also across a rolled-back transaction: a gap in the ids is harmless.
    this.#lastRowId += 1;
    const user = { id: this.#lastRowId, seq: this.#nextSeq(), profile };
    this.#unsaved.add(user);
    return user;
  }

  /** Writes the profile (its first write for a created user) and marks the user as the most recently updated. */
  saveUser(user: StoredUser): void {
    const { profile } = user;
    const email = typeof profile.standard.email === "string" ? emailKey(profile.standard.email) : null;
    const phone = typeof profile.standard.phone === "string" ? phoneKey(profile.standard.phone) : null;
    user.seq = this.#nextSeq();
    const text = JSON.stringify(profile);
    if (this.#unsaved.delete(user)) this.#statements.insertUser.run(user.id, profile.braze_id, profile.external_id, email, phone, user.seq, text);
    else this.#statements.updateUser.run(profile.external_id, email, phone, user.seq, text, user.id);
  }

  /** Gives `user` the alias (the caller has checked nobody holds it) and records it in the profile. */
  addAlias(user: StoredUser, alias: UserAlias): void {
    this.#statements.insertAlias.run(alias.alias_label, alias.alias_name, user.id);
    user.profile.user_aliases = [...user.profile.user_aliases, { alias_name: alias.alias_name, alias_label: alias.alias_label }].sort(compareAliases);
  }

  removeAlias(user: StoredUser, alias: UserAlias): void {
    this.#statements.deleteAlias.run(alias.alias_label, alias.alias_name);
    user.profile.user_aliases = user.profile.user_aliases.filter((held) => compareAliases(held, alias) !== 0);
  }

  deleteUser(user: StoredUser): void {
    this.#statements.deleteAliasesOf.run(user.id);
    this.#statements.deleteDeprecatedOf.run(user.id);
    this.#statements.deleteActivitiesOf.run(user.id);
    this.#statements.deleteUser.run(user.id);
  }

  /** Moves the events and purchases of `from` to `to` (identify merges an alias-only user into a known one). */
  moveActivities(from: StoredUser, to: StoredUser): void {
    this.#statements.moveActivities.run(to.id, from.id);
  }

  addActivity(user: StoredUser, activity: Activity): void {
    this.#statements.insertActivity.run(user.id, JSON.stringify(activity));
  }

  activitiesOf(user: StoredUser): Activity[] {
    return this.#statements.activitiesOf.all(user.id).map((row) => JSON.parse(row.body) as Activity);
  }

  /**
   * Logs one request: `entry`'s fields, then `request_body`, the body as JSON
   * text. The caller passes the text it received when that was JSON, so a
   * 75-user body is not serialized again: that cost a tenth of a track request.
   */
  logRequest(entry: object, requestBodyJson: string): void {
    const fields = JSON.stringify(entry);
    this.#statements.insertRequest.run(`${fields.slice(0, -1)}${fields === "{}" ? "" : ","}"request_body":${requestBodyJson}}`);
  }

  requests(): unknown[] {
    return this.#statements.allRequests.all().map((row) => JSON.parse(row.entry));
  }

  addToCounter(name: string, amount: number): void {
    if (amount !== 0) this.#statements.addCounter.run(name, amount);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(this.#statements.allCounters.all().map((row) => [row.name, row.value]));
  }

  /** Empties the workspace and the request log. */
  reset(): void {
    this.#db.exec(
      "DELETE FROM users; DELETE FROM aliases; DELETE FROM deprecated_external_ids; DELETE FROM activities; DELETE FROM requests; DELETE FROM counters;",
    );
  }

  /** Empties the request log and the counters behind /_local/stats; the users stay. */
  resetLog(): void {
    this.#db.exec("DELETE FROM requests; DELETE FROM counters;");
  }

  close(): void {
    this.#db.close();
  }

  /**
   * 24 hex digits like Braze's ids (ObjectId-style: seconds, a per-process
   * random part, a counter), unique across restarts without a random draw per
   * user, which showed up in the throughput profile.
   */
  #nextBrazeId(): string {
    this.#idCounter = (this.#idCounter + 1) % 0x1000000;
    const seconds = Math.floor(Date.now() / 1000)
      .toString(16)
      .padStart(8, "0");
    return `${seconds}${this.#idProcessPart}${this.#idCounter.toString(16).padStart(6, "0")}`;
  }

  #nextSeq(): number {
    // Only ever grows, also across a rolled-back transaction, so ordering stays right.
    this.#updateSeq += 1;
    return this.#updateSeq;
  }
}

function toUser(row: UserRow | undefined): StoredUser | undefined {
  return row && { id: row.id, seq: row.updated_seq, profile: JSON.parse(row.profile) as Profile };
}
