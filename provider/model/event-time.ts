// The `time` of an event or purchase in the desired state: an absolute ISO 8601
// date-time with a time zone, or a time relative to the first send (`-3d`).
// Pure: resolving a relative time takes `now` as an argument.

// Braze takes an event or purchase time "in ISO 8601 or in
// yyyy-MM-dd'T'HH:mm:ss:SSSZ format" (Braze's event and purchase
// objects, https://www.braze.com/docs/api/objects_filters/event_object/).
// Our reading is stricter where those pages are silent: a time of day and a time
// zone designator (Z, +hh:mm, +hhmm or +hh) are required, since Braze reads a
// time without a zone as UTC (same page, its dates section) and a file
// should not depend on that; `T` and `Z` upper-case; a real calendar day and a
// time of day within 23:59:59; a year up to 3000, as for every Braze date.
// Fractions of a second follow `.` (ISO 8601) or `:` (Braze's `:SSS`).
const ABSOLUTE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.:]\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;

/**
 * A relative time: a minus sign, a whole number from 1 to 99999 without
 * leading zeros, and a unit: m (minutes), h (hours), d (days) or w (weeks).
 * 99999 weeks is about 1,900 years, so a resolved time stays after year 0.
 */
const RELATIVE = /^-([1-9][0-9]{0,4})([mhdw])$/;

const UNIT_MILLISECONDS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The words error messages use for a valid time. */
export const EVENT_TIME_EXPECTED =
  "an ISO 8601 date-time with a time zone, such as 2024-05-01T10:00:00Z or 2024-05-01T12:00:00+02:00, or a time relative to the first send, such as -3d (units m, h, d, w)";

/** Whether `text` is an absolute ISO 8601 date-time with a time zone that Braze reads. */
export function isAbsoluteEventTime(text: string): boolean {
  const match = ABSOLUTE.exec(text);
  if (!match) return false;
  const [year, month, day, hours, minutes, seconds = "0", zoneHours = "0", zoneMinutes = "0"] = match.slice(1);
  if (Number(year) > 3000 || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return false;
  if (Number(zoneHours) > 23 || Number(zoneMinutes) > 59) return false;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

/** How far before the first send a relative time (`-3d`) lies, in milliseconds; undefined for any other text. */
export function relativeEventTimeOffset(text: string): number | undefined {
  const match = RELATIVE.exec(text);
  return match ? Number(match[1]) * UNIT_MILLISECONDS[match[2]] : undefined;
}

/** `format: event-time`: an absolute date-time with a zone, or a relative time. */
export function isEventTime(text: string): boolean {
  return relativeEventTimeOffset(text) !== undefined || isAbsoluteEventTime(text);
}

/**
 * The time to send for a valid `time`: an absolute one as written, a relative
 * one as the ISO 8601 UTC instant that far before `now` (milliseconds since
 * the epoch), e.g. `-3d` at 2024-05-04T10:00:00.000Z gives 2024-05-01T10:00:00.000Z.
 * The provider resolves a relative time once, at the first send, and records it.
 */
export function resolveEventTime(time: string, now: number): string {
  const offset = relativeEventTimeOffset(time);
  return offset === undefined ? time : new Date(now - offset).toISOString();
}
