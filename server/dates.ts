// Braze's accepted date/time strings (date attributes, event property dates,
// `$time`; an event's own `time` takes fewer, see parseEventTime):
// ISO 8601, `yyyy-MM-ddTHH:mm:ss:SSSZ` (a colon before the milliseconds),
// `yyyy-MM-ddTHH:mm:ss`, `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd`, `MM/dd/yyyy` and
// `ddd MM dd HH:mm:ss.TZD YYYY` (TZD: `Z`, `+hh:mm`, `+hhmm` or `+hh`). Without
// a zone a time is UTC (Braze: times without a time zone default to midnight
// UTC). The pages show the patterns only; where they are silent this reads
// strictly: upper-case `T` and `Z`, no surrounding spaces, a zone only after a
// time, a real calendar day. Pure.

const ZONE = "(Z|[+-]\\d{2}(?::?\\d{2})?)";
const ISO = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.:](\\d{1,9}))?)?${ZONE}?)?$`);
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
// e.g. "Wed 07 16 19:20:30.+01:00 2013" (day name, month, day, time, zone, year).
const LONG_FORM = new RegExp(`^[A-Z][a-z]{2} (\\d{2}) (\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})\\.${ZONE} (\\d{4})$`);

export interface BrazeTime {
  /** Milliseconds since the epoch. */
  millis: number;
  /** The year as written (before any zone offset): Braze drops nested dates whose year is above 3000. */
  writtenYear: number;
}

/**
 * The `time` of an event or purchase: the event object page of Braze's docs
 * (https://www.braze.com/docs/api/objects_filters/event_object/) takes it "in
 * ISO 8601 or in yyyy-MM-dd'T'HH:mm:ss:SSSZ format", and only those: the
 * other formats it lists are for date values of event properties. So a space
 * for the `T`, `MM/dd/yyyy` and the long form are refused here; a date alone
 * and a time without a zone are ISO 8601 (read as UTC). Milliseconds since the
 * epoch, or undefined.
 */
export function parseEventTime(text: string): number | undefined {
  const match = ISO.exec(text);
  if (!match || text.charAt(10) === " ") return undefined;
  return parseBrazeTime(text);
}

/** Milliseconds since the epoch, or undefined when `text` is not one of Braze's date formats or not a real date. */
export function parseBrazeTime(text: string): number | undefined {
  return readBrazeTime(text)?.millis;
}

/** The instant and the written year of `text`, or undefined when it is not one of Braze's date formats or not a real date. */
export function readBrazeTime(text: string): BrazeTime | undefined {
  let match = ISO.exec(text);
  if (match) {
    const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "0", zone = "Z"] = match;
    return build(year, month, day, hour, minute, second, fraction, zone);
  }
  match = US_DATE.exec(text);
  if (match) return build(match[3], match[1], match[2], "00", "00", "00", "0", "Z");
  match = LONG_FORM.exec(text);
  if (match) return build(match[7], match[1], match[2], match[3], match[4], match[5], "0", match[6]);
  return undefined;
}

function build(year: string, month: string, day: string, hour: string, minute: string, second: string, fraction: string, zone: string): BrazeTime | undefined {
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const millis = Math.floor(Number(`0.${fraction}`) * 1000);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  check.setUTCHours(h, mi, s, millis);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined; // 31 February and the like
  return { millis: check.getTime() - zoneOffsetMinutes(zone) * 60_000, writtenYear: y };
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
  return zone[0] === "-" ? -minutes : minutes;
}
