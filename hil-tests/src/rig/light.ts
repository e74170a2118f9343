// Reading the device's LED through light sensors: pure functions over normalised levels (0 dark,
// 1 as bright as the calibrated LED). A Puck.js shows orange as red + green together.
export type LightColour = "green" | "orange" | "red" | "off";

export interface LightLevels {
  red?: number;
  green?: number;
  blue?: number;
}

/** Above this normalised level a channel counts as lit (half-way between dark and lit). */
export const LIT = 0.5;

export function colourOf(l: LightLevels): LightColour | "unknown" {
  const r = (l.red ?? 0) >= LIT;
  const g = (l.green ?? 0) >= LIT;
  if (r && g) return "orange";
  if (r) return "red";
  if (g) return "green";
  if ((l.blue ?? 0) >= LIT) return "unknown";
  return "off";
}

/** Normalises a raw ADC value with the rig's calibration (dark and lit readings). */
export function normalise(raw: number, dark: number, lit: number): number {
  if (lit === dark) return 0;
  const v = (raw - dark) / (lit - dark);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Counts the light pulses (dark -> lit edges) in a series of normalised samples. */
export function countPulses(samples: readonly number[]): number {
  let lit = false;
  let n = 0;
  for (const s of samples) {
    if (!lit && s >= LIT) {
      n++;
      lit = true;
    } else if (lit && s < LIT * 0.6) {
      lit = false; // a little hysteresis against sensor noise
    }
  }
  return n;
}

/** Collapses a colour series into its sequence of distinct colours, ignoring "off" gaps. */
export function colourSequence(series: readonly (LightColour | "unknown")[]): string[] {
  const out: string[] = [];
  for (const c of series) {
    if (c === "off") continue;
    if (out[out.length - 1] !== c) out.push(c);
  }
  return out;
}
