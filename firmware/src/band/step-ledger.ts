// Pure step bookkeeping: raw pedometer counts -> per-local-day totals (Europe/Amsterdam).
import { localDay, MAX_DAY_STEPS } from "@leiden-iot/protocol/device";

export interface DayTotal {
  day: number; // local day number (protocol's localDay)
  steps: number;
}

/** Days kept: today + 14 backlog days (the advert rotation carries all of them). */
export const HISTORY_DAYS = 15;

/** A person does not take more than ~4 steps per second; more between two reads is a reset. */
export const MAX_STEPS_PER_SECOND = 4;

export interface DeltaResult {
  steps: number;
  /** The counter went down by more than a wrap explains: the sensor restarted from 0. */
  reset: boolean;
  /** The delta was impossible (faulty sensor); it was discarded. */
  implausible: boolean;
}

/**
 * Steps between two raw readings of a counter that wraps at `modulus` (65536 for the
 * LSM6DS3TR-C). A decrease is a wrap when the wrapped delta is plausible for the elapsed time,
 * otherwise a counter reset (the IMU lost power): then the new raw value is the steps since.
 */
export function stepDelta(
  prevRaw: number | null,
  raw: number,
  modulus: number,
  elapsedSeconds: number,
): DeltaResult {
  const maxSteps = MAX_STEPS_PER_SECOND * Math.max(elapsedSeconds, 60);
  if (prevRaw === null) return { steps: 0, reset: false, implausible: false };
  if (raw >= prevRaw) {
    const d = raw - prevRaw;
    if (d > maxSteps) return { steps: 0, reset: false, implausible: true };
    return { steps: d, reset: false, implausible: false };
  }
  const wrapped = raw + modulus - prevRaw;
  if (wrapped <= maxSteps) return { steps: wrapped, reset: false, implausible: false };
  if (raw <= maxSteps) return { steps: raw, reset: true, implausible: false };
  return { steps: 0, reset: true, implausible: true };
}

/**
 * The kept days, newest first, in one typed array allocated once at boot: entry i is local day
 * `log[2i]` with `log[2i + 1]` steps; unused entries are day 0 (1970-01-01, never a band's day).
 * Updated in place. As an array of {day, steps} objects the 15 days held ~106 variables on a
 * Puck.js, and every day object and every copied list landed wherever the heap had a gap, so
 * weeks of wear fragmented the heap until the AES result (a flat string) found no room; this is
 * 13 variables, allocated once (measured on the interpreter, README "Real interpreter").
 */
export type DayLog = Uint32Array;

export function newDayLog(): DayLog {
  return new Uint32Array(2 * HISTORY_DAYS);
}

/** Entries in use (they are packed at the front). */
export function dayCount(log: DayLog): number {
  let n = 0;
  while (n < HISTORY_DAYS && log[2 * n] !== 0) n++;
  return n;
}

/** A log holding these days (newest first; more than HISTORY_DAYS: the newest are kept). */
export function dayLogOf(days: DayTotal[]): DayLog {
  const log = newDayLog();
  for (let i = 0; i < days.length && i < HISTORY_DAYS; i++) {
    log[2 * i] = days[i]!.day;
    log[2 * i + 1] = days[i]!.steps;
  }
  return log;
}

/** The log's days as objects, newest first (flash format, tests). */
export function dayTotals(log: DayLog): DayTotal[] {
  const out: DayTotal[] = [];
  for (let i = 0; i < dayCount(log); i++) out.push({ day: log[2 * i]!, steps: log[2 * i + 1]! });
  return out;
}

/** Opens a new newest entry for `day` (the oldest entry falls off a full log). */
function unshiftDay(log: DayLog, day: number): void {
  for (let i = 2 * HISTORY_DAYS - 1; i >= 2; i--) log[i] = log[i - 2]!;
  log[0] = day;
  log[1] = 0;
}

/**
 * Adds steps at instant `now` to the log, in place. A new local day starts a new entry; days
 * older than HISTORY_DAYS fall off. When the clock went backwards to an earlier day, the steps
 * go to the newest day (never rewrite a day the gateway may already have).
 */
export function addSteps(log: DayLog, now: number, steps: number): void {
  const today = localDay(now);
  if (log[0] === 0 || log[0]! < today) unshiftDay(log, today);
  log[1] = Math.min(MAX_DAY_STEPS, log[1]! + steps);
  // Entries are newest first: the stale ones are at the end.
  for (let i = HISTORY_DAYS - 1; i > 0; i--) {
    const d = log[2 * i]!;
    if (d !== 0 && d > log[0]! - HISTORY_DAYS) break;
    log[2 * i] = 0;
    log[2 * i + 1] = 0;
  }
}

export function stepsOn(log: DayLog, day: number): number {
  for (let i = 0; i < HISTORY_DAYS; i++)
    if (log[2 * i] === day && day !== 0) return log[2 * i + 1]!;
  return 0;
}

/**
 * After the clock was found wrong and set by a beacon: entries dated after the new today were
 * counted under a wrong (future) date; their steps belong to today. In place.
 */
export function mergeFutureDays(log: DayLog, today: number): void {
  let carried = 0;
  let n = 0;
  for (let i = 0; i < HISTORY_DAYS; i++) {
    const d = log[2 * i]!;
    if (d === 0) break;
    if (d > today) {
      carried += log[2 * i + 1]!;
      continue;
    }
    log[2 * n] = d;
    log[2 * n + 1] = log[2 * i + 1]!;
    n++;
  }
  for (let i = n; i < HISTORY_DAYS; i++) {
    log[2 * i] = 0;
    log[2 * i + 1] = 0;
  }
  if (carried === 0) return;
  if (n === 0 || log[0]! < today) unshiftDay(log, today);
  log[1] = Math.min(MAX_DAY_STEPS, log[1]! + carried);
}
