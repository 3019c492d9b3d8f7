// The string formats the schema names, checked the way Braze reads them. JSON
// Schema leaves `format` to the validator, so the schema alone cannot say these.

/** `date`: YYYY-MM-DD and a day that exists (no 1990-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
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
  if (knownTimeZones.size < MAX_KNOWN_TIME_ZONES) knownTimeZones.set(text, answer);
  return answer;
}

function askTimeZone(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(text)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: text });
    return true;
  } catch {
    return false;
  }
}

// Braze's accepted date formats: ISO 8601, yyyy-MM-ddTHH:mm:ss:SSSZ,
// yyyy-MM-ddTHH:mm:ss, yyyy-MM-dd HH:mm:ss, yyyy-MM-dd, MM/dd/yyyy and
// `ddd MM dd HH:mm:ss.TZD YYYY`. Years below 0 or above 3000 are dropped inside
// nested attributes, so they are refused here.
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.:]\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const BRAZE_LONG = /^[A-Z][a-z]{2} \d{2} \d{2} \d{2}:\d{2}:\d{2}\.\S+ (\d{4})$/;

/** `braze-date`: a date Braze accepts as a time value, with a year from 0 to 3000. */
export function isBrazeDate(text: string): boolean {
  const iso = ISO_LIKE.exec(text);
  if (iso) {
    const [year, month, day] = iso.slice(1, 4).map(Number);
    return year <= 3000 && isCalendarDate(`${iso[1]}-${iso[2]}-${iso[3]}`) && month >= 1 && day >= 1 && timeInRange(iso);
  }
  const us = US_DATE.exec(text);
  if (us) return Number(us[3]) <= 3000 && isCalendarDate(`${us[3]}-${us[1]}-${us[2]}`);
  const long = BRAZE_LONG.exec(text);
  return long !== null && Number(long[1]) <= 3000;
}

function timeInRange(match: RegExpExecArray): boolean {
  const [hours, minutes, seconds] = [match[4], match[5], match[6]].map((part) => (part === undefined ? 0 : Number(part)));
  return hours <= 23 && minutes <= 59 && seconds <= 59;
}
