// CO2 traffic light: threshold presets and classification with hysteresis. Pure.
// Levels are absolute ppm, assuming about 400 ppm outdoors.

export type Level = "green" | "orange" | "red";

export interface Thresholds {
  /** At or above: orange. */
  orangePpm: number;
  /** At or above: red. */
  redPpm: number;
  /** A level is left only once CO2 is this far below its threshold. */
  hysteresisPpm: number;
}

/**
 * Presets. "bouwbesluit": the Dutch building rules' classroom limits (1000/1200 ppm).
 * Frisse Scholen 2021 classes: A at most 400 ppm above outdoors (~800), B 550 (~950),
 * C 800 (~1200); orange when the class is not met, red above class C.
 */
export const PRESETS: Record<string, Thresholds> = {
  bouwbesluit: { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 },
  "frisse-scholen-a": { orangePpm: 800, redPpm: 1200, hysteresisPpm: 50 },
  "frisse-scholen-b": { orangePpm: 950, redPpm: 1200, hysteresisPpm: 50 },
  "frisse-scholen-c": { orangePpm: 1200, redPpm: 1500, hysteresisPpm: 50 },
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

/** Thresholds of a preset, or of custom values; a string error for values that make no sense. */
export function thresholdsOf(preset: string, custom?: Partial<Thresholds>): Thresholds | string {
  const base = preset === "custom" ? undefined : PRESETS[preset];
  if (preset !== "custom" && !base) return "unknown preset " + preset;
  const t: Thresholds = Object.assign(
    { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 },
    base ?? {},
    preset === "custom" ? stripUndefined(custom ?? {}) : {},
  );
  if (!(t.orangePpm > 0 && t.redPpm > t.orangePpm))
    return "orange threshold must be above 0 and below the red threshold";
  if (!(t.hysteresisPpm >= 0 && t.hysteresisPpm < t.orangePpm))
    return "hysteresis must be 0 or more and below the thresholds";
  return t;
}

function stripUndefined(o: Partial<Thresholds>): Partial<Thresholds> {
  const out: Partial<Thresholds> = {};
  for (const k of ["orangePpm", "redPpm", "hysteresisPpm"] as const) {
    const v = o[k];
    if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** Raw level without memory. */
export function rawLevel(ppm: number, t: Thresholds): Level {
  if (ppm >= t.redPpm) return "red";
  if (ppm >= t.orangePpm) return "orange";
  return "green";
}

/**
 * Next level with hysteresis: a rise takes effect at once, a fall only when CO2 is below the
 * threshold of the current level minus the hysteresis (so the light does not flicker).
 */
export function nextLevel(previous: Level | null, ppm: number, t: Thresholds): Level {
  const raw = rawLevel(ppm, t);
  if (previous === null) return raw;
  const rank = { green: 0, orange: 1, red: 2 } as const;
  if (rank[raw] >= rank[previous]) return raw;
  if (previous === "red") {
    if (ppm >= t.redPpm - t.hysteresisPpm) return "red";
    return ppm >= t.orangePpm - t.hysteresisPpm ? "orange" : "green";
  }
  // previous orange, raw green
  return ppm >= t.orangePpm - t.hysteresisPpm ? "orange" : "green";
}
