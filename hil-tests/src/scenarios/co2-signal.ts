// Pure rules of the classroom signal as the spec states them: the default preset (Dutch building
// rules) and the one signal rule, both from protocol/ (co2-signal.ts), the same the node runs.
import {
  DEFAULT_CO2_PRESET,
  nextLevel,
  presetThresholds,
  roundHalfUp,
  type SignalLevel,
} from "@leiden-iot/protocol";

/** A signal level the node's light shows (every level but "none"). */
export type LitSignalLevel = Exclude<SignalLevel, "none">;

export const THRESHOLDS = presetThresholds(DEFAULT_CO2_PRESET);

/** The signal the spec requires after a reading, given the signal before it. */
export function expectedSignal(
  current: LitSignalLevel | null,
  co2: number,
  t = THRESHOLDS,
): LitSignalLevel {
  return nextLevel(current, co2, t) as LitSignalLevel;
}

/** Readings where the device's signal differs from the spec's, replaying the rule in order. */
export function signalViolations(
  readings: readonly { co2: number; signal: string }[],
): { index: number; co2: number; got: string; expected: LitSignalLevel }[] {
  const out: { index: number; co2: number; got: string; expected: LitSignalLevel }[] = [];
  let cur: LitSignalLevel | null = null;
  readings.forEach((r, i) => {
    const e = expectedSignal(cur, r.co2);
    if (r.signal !== e) out.push({ index: i, co2: r.co2, got: r.signal, expected: e });
    cur = e;
  });
  return out;
}

/** The band just below a threshold where hysteresis must hold the higher colour. */
export function holdBand(threshold: number, t = THRESHOLDS): { low: number; high: number } {
  return { low: threshold - t.hysteresisPpm, high: threshold };
}

/** A reading the node advertised (test clock ms) and one entry of its LoRa batches. */
export interface MeasuredCo2 {
  at: number;
  co2: number;
}
export interface LoraCo2Entry {
  /** Seconds (the gateway's time for the entry: the end of its averaging window). */
  time: number;
  co2Ppm: number | null;
}
export interface LoraEntryVerdict {
  time: number;
  co2: number | null;
  /** Readings averaged into this entry (batch interval / reading interval; 1 = raw readings). */
  aggregate: number;
  /** Strict: the entry's value; averaged: the mean of the measured readings in its window. */
  expected: number | null;
  /** ppm allowed between the entry and `expected` (0 when strict). */
  tolerance: number;
  /** Measured readings in the entry's window (times in ms). */
  window: MeasuredCo2[];
  ok: boolean;
}

/**
 * Each LoRa entry against the readings measured from the adverts. When the batch interval equals
 * the reading interval (aggregate 1) the node sends its readings as they are, so each entry must
 * equal a measured reading exactly. At low data rates the node averages `aggregate` consecutive
 * readings into one entry (firmware classroom/batch.ts); such an entry must lie within the
 * measured readings of its window (the batch interval up to its time, plus half a reading interval
 * after it for clock and rounding) and near their mean: the window's edges may hold one reading too many or
 * too few, so the mean may differ by up to 2 × their range / aggregate (+2 ppm rounding).
 * The batch interval comes from the entry times of an uplink (entries are one interval apart), or
 * for a lone entry from the gap to the previous entry; without either it is the reading interval.
 */
export function judgeLoraEntries(
  measured: readonly MeasuredCo2[],
  uplinks: readonly (readonly LoraCo2Entry[])[],
  readingIntervalS: number,
): LoraEntryVerdict[] {
  const values = new Set(measured.map((m) => m.co2));
  const out: LoraEntryVerdict[] = [];
  let prevTime: number | null = null;
  for (const entries of uplinks) {
    const sorted = [...entries].sort((a, b) => a.time - b.time);
    const gaps = sorted.slice(1).map((e, i) => e.time - sorted[i]!.time);
    for (const e of sorted) {
      const gap = gaps.length > 0 ? Math.min(...gaps) : prevTime !== null ? e.time - prevTime : 0;
      prevTime = e.time;
      const aggregate = Math.max(1, roundHalfUp(gap / readingIntervalS));
      if (aggregate === 1) {
        const ok = e.co2Ppm !== null && values.has(e.co2Ppm);
        out.push({
          time: e.time,
          co2: e.co2Ppm,
          aggregate: 1,
          expected: e.co2Ppm,
          tolerance: 0,
          window: [],
          ok: ok,
        });
        continue;
      }
      const slackMs = (readingIntervalS * 1000) / 2;
      const endMs = e.time * 1000;
      const window = measured.filter(
        (m) => m.at > endMs - aggregate * readingIntervalS * 1000 && m.at <= endMs + slackMs,
      );
      if (window.length === 0 || e.co2Ppm === null) {
        out.push({
          time: e.time,
          co2: e.co2Ppm,
          aggregate: aggregate,
          expected: null,
          tolerance: 0,
          window: window,
          ok: false,
        });
        continue;
      }
      const co2s = window.map((m) => m.co2);
      const lo = Math.min(...co2s);
      const hi = Math.max(...co2s);
      const mean = co2s.reduce((a, b) => a + b, 0) / co2s.length;
      const tolerance = 2 + (2 * (hi - lo)) / aggregate;
      out.push({
        time: e.time,
        co2: e.co2Ppm,
        aggregate: aggregate,
        expected: roundHalfUp(mean),
        tolerance: roundHalfUp(tolerance),
        window: window,
        ok: e.co2Ppm >= lo - 1 && e.co2Ppm <= hi + 1 && Math.abs(e.co2Ppm - mean) <= tolerance,
      });
    }
  }
  return out;
}
