// Pure rules of the classroom signal as the spec states them (Dutch building rules, default
// preset): orange from 1000 ppm, red from 1200 ppm, each going back down only 50 ppm below.
export type Signal = "green" | "orange" | "red";

export const THRESHOLDS = { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 } as const;

const RANK: Signal[] = ["green", "orange", "red"];

function rank(co2: number, orange: number, red: number): number {
  return co2 >= red ? 2 : co2 >= orange ? 1 : 0;
}

/** The signal the spec requires after a reading, given the signal before it. */
export function expectedSignal(current: Signal | null, co2: number, t = THRESHOLDS): Signal {
  const up = rank(co2, t.orangePpm, t.redPpm);
  if (current === null) return RANK[up]!;
  const cur = RANK.indexOf(current);
  const down = rank(co2, t.orangePpm - t.hysteresisPpm, t.redPpm - t.hysteresisPpm);
  if (up > cur) return RANK[up]!;
  if (down < cur) return RANK[down]!;
  return current;
}

/** Readings where the device's signal differs from the spec's, replaying the rule in order. */
export function signalViolations(
  readings: readonly { co2: number; signal: string }[],
): { index: number; co2: number; got: string; expected: Signal }[] {
  const out: { index: number; co2: number; got: string; expected: Signal }[] = [];
  let cur: Signal | null = null;
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
