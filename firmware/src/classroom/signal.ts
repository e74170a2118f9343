// The classroom's three-colour signal with hysteresis.
import type { SignalLevel } from "@leiden-iot/protocol/device";

export interface Thresholds {
  orangePpm: number;
  redPpm: number;
  hysteresisPpm: number;
}

/**
 * Presets. "default" follows the Dutch building rules (signal at 1000 and 1200 ppm). Frisse
 * Scholen classes cap CO2 at A 800, B 950, C 1200 ppm: orange when the class limit is reached,
 * red when the next class's limit is exceeded too (A: 800/950, B: 950/1200). Class C's limit is
 * the legal red line, so C uses the legal 1000/1200 pair.
 */
export const PRESETS: Record<string, Thresholds> = {
  default: { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 },
  A: { orangePpm: 800, redPpm: 950, hysteresisPpm: 50 },
  B: { orangePpm: 950, redPpm: 1200, hysteresisPpm: 50 },
  C: { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 },
};

const RANK: SignalLevel[] = ["green", "orange", "red"];

function rankOf(co2: number, orange: number, red: number): number {
  return co2 >= red ? 2 : co2 >= orange ? 1 : 0;
}

/** Up immediately at a threshold; down only when CO2 is hysteresisPpm below it. */
export function nextSignal(current: SignalLevel, co2: number | null, t: Thresholds): SignalLevel {
  if (co2 === null) return "none";
  const up = rankOf(co2, t.orangePpm, t.redPpm);
  const cur = RANK.indexOf(current);
  if (cur < 0) return RANK[up]!;
  const down = rankOf(co2, t.orangePpm - t.hysteresisPpm, t.redPpm - t.hysteresisPpm);
  if (up > cur) return RANK[up]!;
  if (down < cur) return RANK[down]!;
  return current;
}
