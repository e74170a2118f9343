// CO2 traffic light for the dashboard: the presets and the rule are protocol/'s (co2-signal.ts),
// the same code the classroom node runs; this file only resolves a node's configuration. Pure.
import {
  CO2_PRESETS,
  DEFAULT_CO2_PRESET,
  findCo2Preset,
  presetThresholds,
  type SignalThresholds,
} from "@leiden-iot/protocol";

/** The preset names, in the order the editor lists them. */
export function presetNames(): string[] {
  return CO2_PRESETS.map((p) => p.name);
}

/** Thresholds of a preset, or of custom values; a string error for values that make no sense. */
export function thresholdsOf(
  preset: string,
  custom?: Partial<SignalThresholds>,
): SignalThresholds | string {
  const base = preset === "custom" ? DEFAULT_CO2_PRESET : findCo2Preset(preset);
  if (!base)
    return "unknown preset " + preset + " (one of " + presetNames().join(", ") + ", custom)";
  const t: SignalThresholds = Object.assign(
    presetThresholds(base),
    preset === "custom" ? stripUndefined(custom ?? {}) : {},
  );
  if (!(t.orangePpm > 0 && t.redPpm > t.orangePpm))
    return "orange threshold must be above 0 and below the red threshold";
  if (!(t.hysteresisPpm >= 0 && t.hysteresisPpm < t.orangePpm))
    return "hysteresis must be 0 or more and below the thresholds";
  return t;
}

function stripUndefined(o: Partial<SignalThresholds>): Partial<SignalThresholds> {
  const out: Partial<SignalThresholds> = {};
  for (const k of ["orangePpm", "redPpm", "hysteresisPpm"] as const) {
    const v = o[k];
    if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
  }
  return out;
}
