// Which user an object of /users/track addresses. Pure.
//
// Every object needs exactly one identifier. `external_id`, `user_alias` and
// `braze_id` exclude one another (Braze's docs call user_alias and external_id
// mutually exclusive in one object); with one of them present, `email` and
// `phone` in an attributes object are ordinary profile fields being set.
// Otherwise `email` identifies the user, and when both `email` and `phone` are
// sent the email wins (Braze's /users/track page says so); `phone` identifies only when it is
// alone, and only if it is a valid number.
import { characterCount, hasOwn, isPlainObject } from "./values";

export interface UserAlias {
  alias_name: string;
  alias_label: string;
}

export type Identifier =
  | { kind: "external_id"; value: string }
  | { kind: "user_alias"; alias: UserAlias }
  | { kind: "braze_id"; value: string }
  | { kind: "email"; value: string }
  | { kind: "phone"; value: string };

export type IdentifierKind = Identifier["kind"];

export const REQUIRED_IDENTIFIER_MESSAGE = "'external_id' or 'braze_id' or 'user_alias' or 'email' or 'phone' is required";

/** The identifier of `object`, or the text of the non-fatal error that refuses it. */
export function readIdentifier(object: Record<string, unknown>): Identifier | string {
  const exclusive = (["external_id", "user_alias", "braze_id"] as const).filter((key) => hasOwn(object, key));
  if (exclusive.length > 1)
    return `only one of 'external_id', 'user_alias' or 'braze_id' may identify a user; got ${exclusive.map((key) => `'${key}'`).join(" and ")}`;
  if (exclusive.length === 1) {
    const key = exclusive[0];
    const value = object[key];
    if (key === "user_alias") {
      const alias = readAlias(value);
      return alias ? { kind: "user_alias", alias } : "'user_alias' must be an object with non-empty string 'alias_name' and 'alias_label'";
    }
    if (typeof value !== "string" || value.trim() === "") return `'${key}' must be a non-empty string`;
    return key === "external_id" ? { kind: "external_id", value } : { kind: "braze_id", value };
  }
  if (hasOwn(object, "email") && object.email !== null) {
    const email = normalizeEmail(object.email);
    return email === undefined ? "'email' must be a valid email address" : { kind: "email", value: email };
  }
  if (hasOwn(object, "phone") && object.phone !== null) {
    const phone = normalizePhone(object.phone);
    return phone === undefined ? "'phone' must be a valid phone number" : { kind: "phone", value: phone };
  }
  return REQUIRED_IDENTIFIER_MESSAGE;
}

export function readAlias(value: unknown): UserAlias | undefined {
  if (!isPlainObject(value)) return undefined;
  const { alias_name, alias_label } = value;
  if (typeof alias_name !== "string" || typeof alias_label !== "string" || alias_name === "" || alias_label === "") return undefined;
  return { alias_name, alias_label };
}

/** Braze trims whitespace around emails; matching is case-insensitive, so the stored key is lower-cased. */
export function normalizeEmail(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const email = value.trim();
  // A domain with a dot: Braze refuses invalid addresses without saying what it
  // accepts; a mailbox at a dotless host cannot be reached on the internet.
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && characterCount(email) <= 255 ? email : undefined;
}

export function emailKey(email: string): string {
  return email.toLowerCase();
}

/**
 * Braze strips non-digits from phone numbers (keeping the leading `+` of
 * E.164). A valid number is an international one: `+`, a country code (never
 * starting with 0) and 7 to 15 digits in all (E.164 allows at most 15). Braze
 * recommends E.164 and requires "a valid phone number" without saying how it
 * reads one with no country code; braze-local takes the strict reading and
 * refuses it.
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (!trimmed.startsWith("+") || digits.length < 7 || digits.length > 15 || digits.startsWith("0")) return undefined;
  return `+${digits}`;
}

/** The digits of a phone number, which is how stored phones are matched. */
export function phoneKey(phone: string): string {
  return phone.replace(/\D/g, "");
}

export function describeIdentifier(identifier: Identifier): string {
  switch (identifier.kind) {
    case "user_alias":
      return `user_alias ${identifier.alias.alias_label}/${identifier.alias.alias_name}`;
    case "external_id":
    case "braze_id":
    case "email":
    case "phone":
      return `${identifier.kind} ${identifier.value}`;
    default: {
      const unknownKind: never = identifier;
      throw new Error(`unknown identifier ${JSON.stringify(unknownKind)}`);
    }
  }
}
