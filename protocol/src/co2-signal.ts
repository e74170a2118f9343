// The classroom CO2 traffic light: the threshold presets and the one rule that turns readings
// into a colour. The node's LED (firmware), the teacher dashboard (flows), the gateway simulator
// and the HIL oracle all import this module; nobody else holds a threshold. Espruino-safe.
import type { SignalLevel } from "./classroom-reading.js";

export interface SignalThresholds {
  /** At or above: orange. */
  orangePpm: number;
  /** At or above: red. */
  redPpm: number;
  /** A colour is left downwards only once CO2 is this far below its threshold. */
  hysteresisPpm: number;
}

export interface Co2Preset extends SignalThresholds {
  /** The preset's name in Node-RED flows, device config (liot.cfg) and provisioning. */
  name: string;
  /** Older names still accepted (the firmware's liot.cfg used "default", "A", "B", "C"). */
  aliases: string[];
  /**
   * The document the red threshold comes from. Frisse Scholen: Programma van Eisen Frisse Scholen
   * 2021 (RVO), whose classes allow A 400, B 550, C 800 ppm above outdoor air (~400 ppm).
   */
  source: string;
}

/**
 * Red starts where the document's limit is exceeded. Orange warns 200 ppm earlier: the lead the
 * Bouwbesluit meter itself gives (1000 before 1200), applied to each Frisse Scholen class limit,
 * so a teacher has about the same time to air the room whichever preset the school chose. Class C's
 * limit is the legal one, so C equals the Bouwbesluit pair. 50 ppm hysteresis is about the SCD40's
 * accuracy at these levels (+-(50 ppm + 5 %)), enough to keep the light from flickering.
 */
export function co2Presets(): Co2Preset[] {
  // A fresh table per call: a Puck.js running the classroom node would hold ~100 of its 2630
  // variables for good in a table kept in RAM; it is needed only at boot (the configured preset).
  return [
    {
      name: "bouwbesluit",
      aliases: ["default"],
      orangePpm: 1000,
      redPpm: 1200,
      hysteresisPpm: 50,
      source: "Regeling Bouwbesluit 2012 art. 3.5 (signal at 1000 and 1200 ppm)",
    },
    {
      name: "frisse-scholen-a",
      aliases: ["A"],
      orangePpm: 600,
      redPpm: 800,
      hysteresisPpm: 50,
      source: "Frisse Scholen 2021 class A (at most 800 ppm)",
    },
    {
      name: "frisse-scholen-b",
      aliases: ["B"],
      orangePpm: 750,
      redPpm: 950,
      hysteresisPpm: 50,
      source: "Frisse Scholen 2021 class B (at most 950 ppm)",
    },
    {
      name: "frisse-scholen-c",
      aliases: ["C"],
      orangePpm: 1000,
      redPpm: 1200,
      hysteresisPpm: 50,
      source: "Frisse Scholen 2021 class C (at most 1200 ppm)",
    },
  ];
}

/** The presets, in order: the first is the default. */
export const CO2_PRESETS: Co2Preset[] = /* @__PURE__ */ co2Presets();

/** The preset a node uses when none is configured (a fresh object). */
export function defaultCo2Preset(): Co2Preset {
  return co2Presets()[0]!;
}

function legalLimitPpm(): number {
  return co2Presets()[0]!.redPpm;
}

// The two constants below are pure calls, so a bundle that uses neither (the band firmware) drops
// them and the preset table: on a Puck.js the table alone holds ~100 of its 2630 variables.

/** The preset a node or dashboard uses when none is configured. */
export const DEFAULT_CO2_PRESET: Co2Preset = /* @__PURE__ */ defaultCo2Preset();

/** The legal limit (Bouwbesluit red): the default for "CO2 too high for too long" alerts. */
export const CO2_LEGAL_LIMIT_PPM: number = /* @__PURE__ */ legalLimitPpm();

/** The preset with this name or alias, or undefined. */
export function findCo2Preset(name: string): Co2Preset | undefined {
  const all = co2Presets();
  for (let i = 0; i < all.length; i++) {
    const p = all[i]!;
    if (p.name === name || p.aliases.indexOf(name) >= 0) return p;
  }
  return undefined;
}

/** The thresholds of a preset as a fresh object (callers may change it, e.g. after a downlink). */
export function presetThresholds(p: Co2Preset): SignalThresholds {
  return { orangePpm: p.orangePpm, redPpm: p.redPpm, hysteresisPpm: p.hysteresisPpm };
}

/** The colours by rank (built per call, so no table stays in a node's RAM). */
function rank(i: number): SignalLevel {
  return i === 2 ? "red" : i === 1 ? "orange" : "green";
}

function rankOf(co2: number, orange: number, red: number): number {
  return co2 >= red ? 2 : co2 >= orange ? 1 : 0;
}

/**
 * The colour after a reading, given the colour before it (null or "none": no colour yet).
 * A rise takes effect at once at a threshold; a fall only once CO2 is hysteresisPpm below the
 * threshold of the current colour. No reading (null) gives "none".
 */
export function nextLevel(
  previous: SignalLevel | null,
  co2Ppm: number | null,
  t: SignalThresholds,
): SignalLevel {
  if (co2Ppm === null) return "none";
  const up = rankOf(co2Ppm, t.orangePpm, t.redPpm);
  const cur = previous === "red" ? 2 : previous === "orange" ? 1 : previous === "green" ? 0 : -1;
  if (cur < 0 || up > cur) return rank(up);
  const down = rankOf(co2Ppm, t.orangePpm - t.hysteresisPpm, t.redPpm - t.hysteresisPpm);
  return rank(down < cur ? down : cur);
}
