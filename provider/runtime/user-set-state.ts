// A user set's inputs and outputs as Pulumi holds them, and what the provider
// derives from them: the users' texts from the shards, the outputs from the
// record. Pure, but for compressing the record.
import { describeIdentity, identityKind } from "../model/managed-user";
import { encodeRecord } from "../encoding/record-codec";
import type { RecordedSet } from "../encoding/recorded-set";
import { PartialFailure } from "./partial-failure";

/** The value the engine puts where an input is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The set's inputs as the provider works with them: its name, and each user's canonical text by user key. */
export interface UserSetInputs {
  name: string;
  users: Record<string, string>;
  /** shardsDigest of the shards the users came from. */
  digest: string;
}

/** The set's inputs as Pulumi holds them: the users' texts in shards (../encoding/user-shards). */
export interface UserSetStoredInputs {
  name: string;
  shards: Record<string, string>;
}

/** The set's outputs: the record, compact, and what a person reads in `pulumi stack output`. */
export interface UserSetOutputs {
  name: string;
  /** The record (../encoding/recorded-set), compressed (../encoding/record-codec). */
  record: string;
  /** Users recorded. */
  userCount: number;
  /** User key -> why it is not yet known to be as desired; the next up sends it again. */
  pending: Record<string, string>;
  /**
   * After a refresh: user key -> part path -> `Braze holds X, the file wants Y`
   * (../delta/user-drift.ts). Stacks refreshed before values were kept hold
   * user key -> property paths.
   */
  drift?: Record<string, Record<string, string>>;
  /**
   * User key -> the events and purchases (`events.<id>`) this run forgot because
   * they left the file: Braze keeps what it logged (it cannot delete an event),
   * so nothing was sent. Only the run that forgot them lists them.
   */
  forgotten?: Record<string, string[]>;
  /**
   * shardsDigest of the inputs this record equals in full (every user recorded
   * exactly as those inputs declare it, nothing unsure, nothing pending); absent
   * otherwise. An unchanged up then needs no plan: diffing 100,000 users costs
   * a digest of their shards instead of reading the record and comparing every
   * user (2 s). Derived, and kept because deriving it is the cost it saves.
   */
  inSyncWith?: string;
}

/** A create or update of a set that Braze did not fully apply: the engine records `properties` and fails the run. */
export class UserSetPartialFailure extends PartialFailure<UserSetOutputs> {
  override readonly name = "UserSetPartialFailure";
}

/**
 * Inputs of more characters than this are a large set: its diff, update and
 * create collect the garbage of the process (./provider-memory.ts), which for
 * a small set would cost more time than it gives back memory.
 */
const LARGE_INPUTS_CHARACTERS = 4_000_000;

export function isLargeSet(props: Record<string, unknown>): boolean {
  const shards = props.shards;
  if (typeof shards !== "object" || shards === null) return false;
  let characters = 0;
  for (const text of Object.values(shards)) characters += typeof text === "string" ? text.length : 0;
  return characters > LARGE_INPUTS_CHARACTERS;
}

/**
 * The inputs' shards. Check has split each of them (a shard that is not a string
 * fails there), so only their container is checked here.
 * @throws TypeError when the inputs have no map of shards.
 */
export function shardsOf(props: Record<string, unknown>): Record<string, string> {
  const shards = props.shards;
  if (typeof shards !== "object" || shards === null || Array.isArray(shards))
    throw new TypeError("a user set needs shards: a map of shard to its users' texts (BrazeUserSet writes it)");
  return shards as Record<string, string>;
}

/** Whether the record holds exactly these users' texts (what is unsure or in doubt is pending, checked apart). */
export function recordsExactly(record: RecordedSet, users: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(users);
  return keys.length === Object.keys(record.users).length && keys.every((key) => record.users[key] === users[key]);
}

export function pendingFor(record: RecordedSet, reasons: Record<string, string>): Record<string, string> {
  const pending: Record<string, string> = {};
  for (const key of Object.keys(record.unsure).sort()) pending[key] = reasons[key] ?? "its last request got no answer";
  return pending;
}

export function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key]]),
  );
}

export async function outputsOf(name: string, record: RecordedSet, pending: Record<string, string>): Promise<UserSetOutputs> {
  return { name, record: await encodeRecord(record), userCount: Object.keys(record.users).length, pending };
}

/** How error messages name a set. */
export function resourceName(name: string): string {
  return `BrazeUserSet ${JSON.stringify(name)}`;
}

/** `identity` is an identityKey (an alias key for an alias-only user). */
export function doubleDeclaration(identity: string, declarer: string, other: string): string {
  return `${describeIdentity(identity)} is declared twice, by ${declarer} and by ${other}: each ${identityKind(identity)} is one Braze user, so declare it in one place only`;
}
