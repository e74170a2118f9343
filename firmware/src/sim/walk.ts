// Who walks when: step sessions in world time, integrated lazily by the simulated sensors.

export interface WalkSession {
  start: number; // unix seconds
  end: number;
  /** Steps per minute. */
  cadence: number;
}

/** Steps taken in [t0, t1) (fractional). */
export function stepsBetween(walks: WalkSession[], t0: number, t1: number): number {
  let s = 0;
  for (const w of walks) {
    const a = Math.max(t0, w.start);
    const b = Math.min(t1, w.end);
    if (b > a) s += ((b - a) * w.cadence) / 60;
  }
  return s;
}

/** A day's walking in sessions of 10 minutes at 100 steps/min, starting at `fromLocal`. */
export function walkSteps(dayStartUnix: number, steps: number, fromHour: number): WalkSession[] {
  const out: WalkSession[] = [];
  let left = steps;
  let t = dayStartUnix + fromHour * 3600;
  while (left > 0) {
    const n = Math.min(1000, left);
    out.push({ start: t, end: t + (n / 100) * 60, cadence: 100 });
    left -= n;
    t += 3600;
  }
  return out;
}

/** Synthetic wrist accelerometer (raw units, 8192 = 1 g) for a step detector: a 2-beat gait. */
export function gaitSample(t: number, cadence: number): [number, number, number] {
  const f = cadence / 60; // steps per second
  const ph = 2 * Math.PI * f * t;
  const g = 8192;
  return [
    Math.round(0.15 * g * Math.sin(ph / 2)),
    Math.round(0.1 * g * Math.cos(ph)),
    Math.round(g + 0.35 * g * Math.sin(ph)),
  ];
}
