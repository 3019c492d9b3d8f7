// One user as one canonical text: the unit a user set stores per user, in its
// inputs (what the file declares) and in its record (what Braze holds). Canonical
// (keys sorted at every depth, empty parts left out) so that "unchanged" is a
// string comparison: an unchanged up of 100,000 users parses nothing. Written in
// the flow form of flow-text.ts, which says why it is not JSON.
import { flowObject, flowString, parseFlowText } from "./flow-text";
import { NO_ENTRIES, type EventEntry, type PurchaseEntry, type UserEntries } from "../model/entries";
import { aliasKey, identityKey, type AttributeValue, type ManagedUser, type SubscriptionState } from "../model/managed-user";

/**
 * The text uses the desired-state file's own field names (`subscription_groups`),
 * because `pulumi preview --diff` shows it to reviewers, parsed, key by key.
 */
interface UserText {
  /**
   * An identified user's external_id, first: a text that starts with it is an
   * identified user's, and is never shortened to leave it out (stored-text.ts),
   * so a text written before identified users existed reads as it always did.
   */
  external_id?: string;
  /** An email-only user's address, first, as an external_id is: stored whole too. */
  email?: string;
  /** A phone-only user's number, first, as an external_id is: stored whole too. */
  phone?: string;
  alias?: { label: string; name: string };
  attributes?: Record<string, AttributeValue>;
  subscription_groups?: Record<string, SubscriptionState>;
  /**
   * Custom events and purchases by id (objects, not lists: a reorder in the file
   * is no change, and the preview shows one entry per id). Last, so the text of a
   * user without any is what it was before entries existed.
   */
  events?: Record<string, EventEntry>;
  purchases?: Record<string, PurchaseEntry>;
  /**
   * The file's `adopt: true`: a user new to the stack is read from Braze first
   * and only its differences are sent (../delta/plan-adoption.ts). Last, so the
   * text of every other user is what it was before adoption existed.
   */
  adopt?: true;
}

/** One member of a user set: the user's managed values, and its events and purchases. */
export interface SetMember {
  user: ManagedUser;
  entries: UserEntries;
  /** Declared with `adopt: true`: read from Braze before its first send. */
  adopt?: true;
}

export function userToText(user: ManagedUser): string {
  return memberToText({ user, entries: NO_ENTRIES });
}

export function memberToText(member: SetMember): string {
  const { user, entries } = member;
  const fields: Record<string, unknown> = {};
  if (user.externalId !== undefined) fields.external_id = user.externalId;
  if (user.email !== undefined) fields.email = user.email;
  if (user.phone !== undefined) fields.phone = user.phone;
  if (user.alias !== undefined) fields.alias = { label: user.alias.label, name: user.alias.name };
  if (Object.keys(user.attributes).length > 0) fields.attributes = user.attributes;
  if (Object.keys(user.subscriptionGroups).length > 0) fields.subscription_groups = user.subscriptionGroups;
  if (Object.keys(entries.events).length > 0) fields.events = entries.events;
  if (Object.keys(entries.purchases).length > 0) fields.purchases = entries.purchases;
  if (member.adopt) fields.adopt = true;
  return flowObject(fields, FIELD_ORDER);
}

/** UserText's fields in the order a text holds them (the identity first: identityKeyOfText reads it there). */
const FIELD_ORDER: ReadonlyArray<keyof UserText> = [
  "external_id",
  "email",
  "phone",
  "alias",
  "attributes",
  "subscription_groups",
  "events",
  "purchases",
  "adopt",
];

/**
 * Whether a user's text (canonical or stored) declares `adopt: true`, without
 * parsing it: `adopt` is its last field (FIELD_ORDER), so the text ends with
 * it, after a single closing brace; one nested in a value is followed by more.
 */
export function isAdoptedText(text: string): boolean {
  return /[{ ]adopt: true\}$/.test(text);
}

/** How every canonical text starts: its alias, label first. */
export function aliasPrefix(label: string, name: string): string {
  return `{alias: {label: ${flowString(label)}, name: ${flowString(name)}}`;
}

/** @throws TypeError when the text is not one user in the canonical shape. */
export function userFromText(text: string): ManagedUser {
  return memberFromText(text).user;
}

/** @throws TypeError when the text is not one user in the canonical shape. */
export function memberFromText(text: string): SetMember {
  let parsed: Partial<UserText>;
  try {
    parsed = parseFlowText(text) as Partial<UserText>;
  } catch (error) {
    throw new TypeError(`a user set member is not a user's text: ${(error as Error).message}`);
  }
  const alias = parsed?.alias;
  const externalId = parsed?.external_id;
  if (alias !== undefined && (typeof alias?.name !== "string" || typeof alias.label !== "string")) {
    throw new TypeError(`a user set member's alias needs a name and a label, got ${text.slice(0, 120)}`);
  }
  const { email, phone } = parsed ?? {};
  for (const [field, value] of Object.entries({ external_id: externalId, email, phone })) {
    if (value !== undefined && typeof value !== "string") throw new TypeError(`a user set member's ${field} must be a string, got ${text.slice(0, 120)}`);
  }
  if (alias === undefined && externalId === undefined && email === undefined && phone === undefined)
    throw new TypeError(`a user set member needs an external_id, an alias, an email or a phone, got ${text.slice(0, 120)}`);
  return {
    user: {
      ...(externalId !== undefined ? { externalId } : {}),
      ...(email !== undefined ? { email } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(alias !== undefined ? { alias: { name: alias.name, label: alias.label } } : {}),
      attributes: parsed.attributes ?? {},
      subscriptionGroups: parsed.subscription_groups ?? {},
    },
    entries: { events: parsed.events ?? {}, purchases: parsed.purchases ?? {} },
    ...(parsed.adopt === true ? { adopt: true } : {}),
  };
}

/** Canonical texts start with the alias, label first (aliasPrefix); a label or name is a plain word or a JSON string. */
const ALIAS_PREFIX = /^\{alias: \{label: ("(?:[^"\\]|\\.)*"|[^",{}]*), name: ("(?:[^"\\]|\\.)*"|[^",{}]*)\}/;

/** An identified user's text starts with its external_id (FIELD_ORDER), a plain word or a JSON string. */
const EXTERNAL_ID_PREFIX = /^\{external_id: ("(?:[^"\\]|\\.)*"|[^",{}]*)(?:, |\}$)/;

/** An email-only or phone-only user's text starts with its address (FIELD_ORDER). */
const ADDRESS_PREFIX = /^\{(email|phone): ("(?:[^"\\]|\\.)*"|[^",{}]*)(?:, |\}$)/;

/**
 * The identity key (identityKey: `label/name` of an alias-only user) of a user
 * text, read from its prefix: planning an unchanged set of 100,000 users then
 * parses none of them.
 */
export function identityKeyOfText(text: string): string {
  const identified = EXTERNAL_ID_PREFIX.exec(text);
  if (identified) return identityKey({ externalId: flowWord(identified[1]) });
  const addressed = ADDRESS_PREFIX.exec(text);
  if (addressed) return identityKey({ [addressed[1]]: flowWord(addressed[2]) });
  const match = ALIAS_PREFIX.exec(text);
  if (!match) return identityKey(userFromText(text));
  return aliasKey({ label: flowWord(match[1]), name: flowWord(match[2]) });
}

function flowWord(token: string): string {
  return token.startsWith('"') ? (JSON.parse(token) as string) : token;
}
