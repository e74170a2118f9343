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
 * Adds steps at instant `now` to the history (newest day first). A new local day starts a new
 * entry; days older than HISTORY_DAYS fall off. When the clock went backwards to an earlier day,
 * the steps go to the newest day (never rewrite a day the gateway may already have).
 */
export function addSteps(days: DayTotal[], now: number, steps: number): DayTotal[] {
  const today = localDay(now);
  const out: DayTotal[] = days.slice(0);
  if (out.length === 0 || out[0]!.day < today) out.unshift({ day: today, steps: 0 });
  const head = out[0]!;
  head.steps = Math.min(MAX_DAY_STEPS, head.steps + steps);
  while (out.length > 0 && out[out.length - 1]!.day <= head.day - HISTORY_DAYS) out.pop();
  while (out.length > HISTORY_DAYS) out.pop();
  return out;
}

export function stepsOn(days: DayTotal[], day: number): number {
  for (let i = 0; i < days.length; i++) if (days[i]!.day === day) return days[i]!.steps;
  return 0;
}

/**
 * After the clock was found wrong and set by a beacon: entries dated after the new today were
 * counted under a wrong (future) date; their steps belong to today.
 */
export function mergeFutureDays(days: DayTotal[], today: number): DayTotal[] {
  const out: DayTotal[] = [];
  let carried = 0;
  for (let i = 0; i < days.length; i++) {
    if (days[i]!.day > today) carried += days[i]!.steps;
    else out.push({ day: days[i]!.day, steps: days[i]!.steps });
  }
  if (carried === 0) return out;
  if (out.length === 0 || out[0]!.day < today) out.unshift({ day: today, steps: 0 });
  out[0]!.steps = Math.min(MAX_DAY_STEPS, out[0]!.steps + carried);
  return out;
}
