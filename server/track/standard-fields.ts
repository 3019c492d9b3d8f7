// Braze's standard profile fields (lower-case, case-sensitive: `First_Name` is a
// custom attribute) and how a value sent for each is checked and normalised.
// Pure. `subscription_groups` is handled in attributes-object.ts.
import { parseBrazeTime } from "../dates";
import { normalizeEmail, normalizePhone } from "../identifiers";
import { ISO_3166_ALPHA2_CODES } from "../../braze-facts/countries";
import { firstCharacters, isPlainObject, type JsonValue } from "../values";
import { pushTokensProblem } from "./push-tokens";

/** What becomes of a value sent for a standard field. */
export type FieldOutcome =
  | { kind: "set"; value: JsonValue }
  /** Braze drops some invalid values silently or stores null for them (see the field's comment); the field is unset. */
  | { kind: "unset" }
  /** Braze ignores the value: nothing changes. */
  | { kind: "ignore" }
  | { kind: "error"; message: string };

interface StandardField {
  /** Costs a data point when sent (data points: profile fields bill; subscription states and push tokens do not). */
  billable: boolean;
  /** Checks a non-null value. */
  check(value: JsonValue): FieldOutcome;
  /** Whether `null` unsets it; the global subscription states have no "unknown" to go back to. */
  nullable: boolean;
}

const MAX_STRING = 255;
const set = (value: JsonValue): FieldOutcome => ({ kind: "set", value });
const error = (message: string): FieldOutcome => ({ kind: "error", message });

/** Strings over 255 characters are truncated, as Braze does with attribute values. */
const text: StandardField["check"] = (value) => (typeof value === "string" ? set(firstCharacters(value.trim(), MAX_STRING)) : error("must be a string"));
const flag: StandardField["check"] = (value) => (typeof value === "boolean" ? set(value) : error("must be true or false"));
const date: StandardField["check"] = (value) =>
  typeof value === "string" && parseBrazeTime(value) !== undefined ? set(value) : error("must be a date string");
const subscription: StandardField["check"] = (value) =>
  value === "opted_in" || value === "subscribed" || value === "unsubscribed" ? set(value) : error('must be "opted_in", "subscribed" or "unsubscribed"');

const field = (check: StandardField["check"], billable = true, nullable = true): StandardField => ({ check, billable, nullable });

const GENDERS: Record<string, string> = {
  m: "M",
  male: "M",
  f: "F",
  female: "F",
  o: "O",
  other: "O",
  n: "N",
  not_applicable: "N",
  p: "P",
  prefer_not_to_say: "P",
};

export const STANDARD_FIELDS: Readonly<Record<string, StandardField>> = {
  first_name: field(text),
  last_name: field(text),
  home_city: field(text),
  email: field((value) => {
    const email = normalizeEmail(value);
    return email === undefined ? error("must be a valid email address") : set(email);
  }),
  phone: field((value) => {
    const phone = normalizePhone(value);
    return phone === undefined ? error("must be a valid phone number") : set(phone);
  }),
  gender: field((value) =>
    typeof value === "string" && GENDERS[value.toLowerCase()] ? set(GENDERS[value.toLowerCase()]) : error('must be one of "M", "F", "O", "N", "P" or null'),
  ),
  dob: field((value) =>
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && parseBrazeTime(value) !== undefined ? set(value) : error('must be a date "YYYY-MM-DD"'),
  ),
  // Braze maps country names to ISO-3166-1 alpha-2 codes as best it can and stores null when it cannot.
  country: field((value) => {
    const code = typeof value === "string" ? countryCode(value) : undefined;
    return code === undefined ? { kind: "unset" } : set(code);
  }),
  language: field((value) => (typeof value === "string" && /^[a-z]{2}$/i.test(value) ? set(value.toLowerCase()) : error("must be an ISO-639-1 code"))),
  // Braze ignores a time zone that is not a valid IANA name.
  time_zone: field((value) => (typeof value === "string" && isTimeZone(value) ? set(value) : { kind: "ignore" })),
  email_subscribe: field(subscription, false, false),
  push_subscribe: field(subscription, false, false),
  current_location: field((value) => {
    if (!isPlainObject(value)) return error("must be {longitude, latitude}");
    const { longitude, latitude } = value;
    if (
      typeof longitude !== "number" ||
      typeof latitude !== "number" ||
      Math.abs(longitude) > 180 ||
      Math.abs(latitude) > 90 ||
      Object.keys(value).length !== 2
    ) {
      return error("must be {longitude, latitude} with longitude in [-180, 180] and latitude in [-90, 90]");
    }
    return set({ longitude, latitude });
  }),
  date_of_first_session: field(date),
  date_of_last_session: field(date),
  marked_email_as_spam_at: field(date),
  email_open_tracking_disabled: field(flag),
  email_click_tracking_disabled: field(flag),
  // Braze documents no way to remove a push token through /users/track: null is refused.
  push_tokens: field(
    (value) => {
      const problem = pushTokensProblem(value);
      return problem === undefined ? set(value) : error(problem);
    },
    false,
    false,
  ),
  facebook: field((value) => (isPlainObject(value) ? set(value) : error("must be an object"))),
  twitter: field((value) => (isPlainObject(value) ? set(value) : error("must be an object"))),
  image_url: field(text),
};

export function standardField(key: string): StandardField | undefined {
  return Object.hasOwn(STANDARD_FIELDS, key) ? STANDARD_FIELDS[key] : undefined;
}

/**
 * Answers kept: asking the runtime builds a formatter (about 0.03 ms), which was
 * over a quarter of the server's time seeding personas that name a few zones.
 * Bounded, so that requests full of made-up names cannot grow it without end.
 */
const knownTimeZones = new Map<string, boolean>();
const MAX_KNOWN_TIME_ZONES = 2000;

function isTimeZone(name: string): boolean {
  let known = knownTimeZones.get(name);
  if (known === undefined) {
    known = askTimeZone(name);
    if (knownTimeZones.size < MAX_KNOWN_TIME_ZONES) knownTimeZones.set(name, known);
  }
  return known;
}

function askTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

let countryNames: Map<string, string> | undefined;

/** An assigned ISO-3166-1 alpha-2 code for a code (any case) or an English country name, or undefined. */
function countryCode(value: string): string | undefined {
  if (!countryNames) {
    countryNames = new Map();
    const names = new Intl.DisplayNames(["en"], { type: "region" });
    for (const code of ISO_3166_ALPHA2_CODES) {
      countryNames.set(code.toLowerCase(), code);
      const name = names.of(code);
      if (name && name !== code) countryNames.set(name.toLowerCase(), code);
    }
  }
  return countryNames.get(value.trim().toLowerCase());
}
