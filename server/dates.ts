// Braze's accepted date/time strings (event `time`, date attributes, `$time`):
// ISO 8601, `yyyy-MM-ddTHH:mm:ss:SSSZ` (a colon before the milliseconds),
// `yyyy-MM-ddTHH:mm:ss`, `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-dd`, `MM/dd/yyyy` and
// `ddd MM dd HH:mm:ss.TZD YYYY`. Without a zone a time is UTC (Braze: times
// without a time zone default to midnight UTC). Pure.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.:](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const US_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
// e.g. "Wed 07 16 19:20:30.+01:00 2013" (day name, month, day, time, zone, year).
const LONG_FORM = /^[A-Za-z]{3} (\d{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})\.?(Z|[+-]\d{2}:?\d{2}) (\d{4})$/;

/** Milliseconds since the epoch, or undefined when `text` is not one of Braze's date formats or not a real date. */
export function parseBrazeTime(text: string): number | undefined {
  const trimmed = text.trim();
  let match = ISO.exec(trimmed);
  if (match) {
    const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "0", zone = "Z"] = match;
    return build(year, month, day, hour, minute, second, fraction, zone);
  }
  match = US_DATE.exec(trimmed);
  if (match) return build(match[3], match[1], match[2], "00", "00", "00", "0", "Z");
  match = LONG_FORM.exec(trimmed);
  if (match) return build(match[7], match[1], match[2], match[3], match[4], match[5], "0", match[6]);
  return undefined;
}

function build(year: string, month: string, day: string, hour: string, minute: string, second: string, fraction: string, zone: string): number | undefined {
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const millis = Math.floor(Number(`0.${fraction}`) * 1000);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, millis);
  const check = new Date(utc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined; // 31 February and the like
  return utc - zoneOffsetMinutes(zone) * 60_000;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
  return zone[0] === "-" ? -minutes : minutes;
}
