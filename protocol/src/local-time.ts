// Local calendar days in Europe/Amsterdam (CET/CEST), DST-correct, without Intl or a tz database:
// Espruino has neither. EU rule since 1996: summer time from the last Sunday of March 01:00 UTC to
// the last Sunday of October 01:00 UTC. Day numbers count from 2020-01-01 (day 0).

import { DAY_ZERO } from "./epoch.js";

export { DAY_ZERO, EPOCH_2020_UNIX } from "./epoch.js";

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function civilFromDays(z0: number): CivilDate {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

/** Unix seconds of 01:00 UTC on the last Sunday of the month (month 3 or 10). */
function lastSundayOneUtc(year: number, month: number): number {
  const lastDay = daysFromCivil(year, month, 31);
  const weekday = (lastDay + 4) % 7; // 1970-01-01 was a Thursday (4); 0 = Sunday
  return (lastDay - weekday) * 86400 + 3600;
}

/** Offset of Europe/Amsterdam from UTC in seconds at the given instant: 3600 or 7200. */
export function amsterdamOffset(unixSeconds: number): number {
  const year = civilFromDays(Math.floor(unixSeconds / 86400)).year;
  const start = lastSundayOneUtc(year, 3);
  const end = lastSundayOneUtc(year, 10);
  return unixSeconds >= start && unixSeconds < end ? 7200 : 3600;
}

/** Local day number (days since 2020-01-01 in Amsterdam) of an instant. */
export function localDay(unixSeconds: number): number {
  return Math.floor((unixSeconds + amsterdamOffset(unixSeconds)) / 86400) - DAY_ZERO;
}

/** Unix seconds of local midnight at the start of a local day (DST-correct). */
export function localDayStart(day: number): number {
  const utcMidnight = (day + DAY_ZERO) * 86400;
  // Offset at local midnight: try the offset of the instant one hour before UTC midnight.
  const guess = utcMidnight - amsterdamOffset(utcMidnight - 7200);
  return guess;
}

function two(n: number): string {
  return (n < 10 ? "0" : "") + n;
}

/** ISO date "YYYY-MM-DD" of a local day number. */
export function localDayIso(day: number): string {
  const c = civilFromDays(day + DAY_ZERO);
  return c.year + "-" + two(c.month) + "-" + two(c.day);
}

/** Local day number of an ISO date, or null when the string is not a valid date. */
export function localDayFromIso(iso: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return null;
  const y = parseInt(iso.substring(0, 4), 10);
  const m = parseInt(iso.substring(5, 7), 10);
  const d = parseInt(iso.substring(8, 10), 10);
  const days = daysFromCivil(y, m, d);
  const back = civilFromDays(days);
  if (back.year !== y || back.month !== m || back.day !== d) return null;
  return days - DAY_ZERO;
}
