// A user's stored text: its canonical text (user-text.ts) without the alias
// when the user's key spells it (`label/name`, the label without a slash), as
// it is for every user of a desired-state file. A set's shards (user-shards.ts)
// and its record (record-codec.ts) hold users in this form, and the
// provider compares and records them in it: an unchanged user is then one
// comparison of two slices of what came over the wire, and only a user that
// changed is given its alias back (fullText) to be parsed. The alias would be a
// tenth of the bytes, and giving it back to all 100,000 users of a set cost a
// second per run. A stored text is a whole canonical text when the key spells
// no alias, and for the JSON texts of stacks written before the flow form.
// An identified user's text starts with its external_id and is never
// shortened: an external_id may hold a slash, so a key could not tell it. An
// email-only or phone-only user's text starts with its address, whole too.
import { aliasKey, type ManagedUser } from "../model/managed-user";
import { aliasPrefix, identityKeyOfText, memberFromText, type SetMember } from "./user-text";

/** How a canonical flow text starts when it names its alias (aliasPrefix). */
const ALIAS_FIELD = "{alias: ";
/** How a JSON text starts (stacks written before the flow form): it keeps its alias. */
const JSON_FIELD = '{"';
/** How an identified, email-only or phone-only user's text starts: it is stored whole. */
const WHOLE_FIELDS = ["{external_id: ", "{email: ", "{phone: "];

/** The alias a key spells: `label/name`, split at the first slash. */
function spelledAlias(key: string): { label: string; name: string } | undefined {
  const slash = key.indexOf("/");
  return slash < 0 ? undefined : { label: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The stored text of `text` (a canonical text, or a stored one: then as it is) under `key`. */
export function storedText(key: string, text: string): string {
  // Most texts a record or shard holds are stored ones already: no alias to take out.
  if (!text.startsWith(ALIAS_FIELD)) return text;
  const alias = spelledAlias(key);
  if (!alias) return text;
  const prefix = aliasPrefix(alias.label, alias.name);
  if (!text.startsWith(prefix)) return text;
  const rest = text.slice(prefix.length);
  return rest === "}" ? "{}" : rest.startsWith(", ") ? `{${rest.slice(2)}` : text;
}

/** Whether a stored text under `key` can be given its alias back (what fullText needs). */
export function isStoredText(key: string, stored: string): boolean {
  return keepsAlias(stored) || spelledAlias(key) !== undefined;
}

/**
 * The canonical text a stored text under `key` stands for, character for character.
 * @throws TypeError when the text has no alias and the key spells none.
 */
export function fullText(key: string, stored: string): string {
  if (keepsAlias(stored)) return stored;
  const alias = spelledAlias(key);
  if (!alias) throw new TypeError(`user ${key} has no alias: its text leaves it out, and its key spells none`);
  const prefix = aliasPrefix(alias.label, alias.name);
  return stored === "{}" ? `${prefix}}` : `${prefix}, ${stored.slice(1)}`;
}

/** @throws TypeError when the stored text is not one user in the canonical shape. */
export function memberOfStored(key: string, stored: string): SetMember {
  return memberFromText(fullText(key, stored));
}

/** @throws TypeError when the stored text is not one user in the canonical shape. */
export function userOfStored(key: string, stored: string): ManagedUser {
  return memberOfStored(key, stored).user;
}

/** The identity key (identityKey) of a stored text: the key itself when the text leaves the alias out. */
export function identityKeyOfStored(key: string, stored: string): string {
  if (keepsAlias(stored)) return identityKeyOfText(stored);
  const alias = spelledAlias(key);
  if (!alias) throw new TypeError(`user ${key} has no alias: its text leaves it out, and its key spells none`);
  return aliasKey(alias);
}

/** Whether a stored text names its user itself (an alias or an external_id): nothing to give back. */
function keepsAlias(stored: string): boolean {
  return stored.startsWith(ALIAS_FIELD) || stored.startsWith(JSON_FIELD) || WHOLE_FIELDS.some((field) => stored.startsWith(field));
}
