// The string formats the schema names, checked the way Braze reads them. JSON
// Schema leaves `format` to the validator, so the schema alone cannot say these.
import { ISO_3166_ALPHA2_CODES } from "../../braze-facts/countries";
import { ISO_4217_CURRENCY_CODES } from "../../braze-facts/currencies";
import { ownedCopy } from "./owned-copy";

/** `date`: YYYY-MM-DD and a day that exists (no 1990-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `country-code`: an assigned ISO 3166-1 alpha-2 code; Braze clears a country it cannot map. */
export function isCountryCode(text: string): boolean {
  return ISO_3166_ALPHA2_CODES.has(text);
}

/** `currency-code`: an ISO 4217 alphabetic code from braze-facts' list (Braze's purchase object). */
export function isCurrencyCode(text: string): boolean {
  return ISO_4217_CURRENCY_CODES.has(text);
}

/**
 * Time-zone answers kept, as asking the runtime costs about 0.2 ms (it builds a
 * formatter) and a large file names the same few zones on thousands of users.
 * Bounded, so that a file of made-up names cannot grow it without end.
 */
const knownTimeZones = new Map<string, boolean>();
const MAX_KNOWN_TIME_ZONES = 2000;

/** `time-zone`: an IANA name the runtime's time-zone database knows (aliases included). */
export function isTimeZone(text: string): boolean {
  const known = knownTimeZones.get(text);
  if (known !== undefined) return known;
  const answer = askTimeZone(text);
  if (knownTimeZones.size < MAX_KNOWN_TIME_ZONES) knownTimeZones.set(ownedCopy(text), answer);
  return answer;
}

function askTimeZone(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(text)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

// Braze's accepted date formats: ISO 8601, yyyy-MM-ddTHH:mm:ss:SSSZ,
// yyyy-MM-ddTHH:mm:ss, yyyy-MM-dd HH:mm:ss, yyyy-MM-dd, MM/dd/yyyy and
// `ddd MM dd HH:mm:ss.TZD YYYY`, where TZD is a time zone designator (`Z`,
// `+hh:mm`, `+hhmm` or `+hh`, as in ISO 8601). Years below 0 or above 3000 are
// dropped inside nested attributes, so they are refused here. The pages show
// these patterns only; where they are silent this reading is the strict one
// (upper-case `T` and `Z`, no surrounding spaces, a zone only after a time, a
// real calendar day and a time of day within 23:59:59), and braze-local
// (server/dates.ts) keeps its own code for the same reading.
const ZONE = "(?:Z|[+-]\\d{2}(?::?\\d{2})?)";
const ISO_LIKE = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.:]\\d{1,9})?)?${ZONE}?)?$`);
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
// e.g. "Wed 07 16 19:20:30.+01:00 2013": day name, month, day, time, zone, year.
const BRAZE_LONG = new RegExp(`^[A-Z][a-z]{2} (\\d{2}) (\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})\\.${ZONE} (\\d{4})$`);

/** `braze-date`: a date Braze accepts as a time value, with a year from 0 to 3000. */
export function isBrazeDate(text: string): boolean {
  const iso = ISO_LIKE.exec(text);
  if (iso) return isDayAndTime(iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]);
  const us = US_DATE.exec(text);
  if (us) return isDayAndTime(us[3], us[1], us[2]);
  const long = BRAZE_LONG.exec(text);
  return long !== null && isDayAndTime(long[6], long[1], long[2], long[3], long[4], long[5]);
}

/** A calendar day of a year from 0 to 3000, and a time of day within 23:59:59 (absent parts are 0). */
function isDayAndTime(year: string, month: string, day: string, hours = "0", minutes = "0", seconds = "0"): boolean {
  return Number(year) <= 3000 && isCalendarDate(`${year}-${month}-${day}`) && Number(hours) <= 23 && Number(minutes) <= 59 && Number(seconds) <= 59;
}
