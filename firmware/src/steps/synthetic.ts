// Synthetic 12.5 Hz wrist accelerometer signals (raw units, 8192 = 1 g) with a known number of
// steps: for the step counter's tests and fixtures, and for feeding a simulator. Deterministic: the
// noise comes from a seeded generator, so a test sees the same samples on every run.
import { ONE_G } from "./step-counter.js";
import type { Recording } from "./recording.js";

export const SAMPLE_RATE_HZ = 12.5;

/** Park-Miller style generator in [0, 1): deterministic noise without Math.random. */
export function seededRandom(seed: number): () => number {
  let s = Math.floor(Math.abs(seed)) % 2147483647 || 1;
  return function next(): number {
    s = (s * 48271) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/** Gaussian noise (Box-Muller) from a uniform generator. */
function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Builds a recording of `n` samples from a function of the sample index returning x, y, z in g. */
export function synthesize(
  n: number,
  sample: (i: number, t: number, out: Float64Array) => void,
): Recording {
  const rec: Recording = {
    timeMs: new Float64Array(n),
    x: new Int32Array(n),
    y: new Int32Array(n),
    z: new Int32Array(n),
    length: n,
  };
  const g = new Float64Array(3);
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE_HZ;
    g[0] = 0;
    g[1] = 0;
    g[2] = 0;
    sample(i, t, g);
    rec.timeMs[i] = Math.round(t * 1000);
    rec.x[i] = Math.round(g[0]! * ONE_G);
    rec.y[i] = Math.round(g[1]! * ONE_G);
    rec.z[i] = Math.round(g[2]! * ONE_G);
  }
  return rec;
}

export interface WalkSpec {
  steps: number;
  /** Steps per second (2 = 120 steps/min). */
  cadenceHz: number;
  /** Peak vertical bounce per step, g (wrist walking: 0.15-0.4 g). */
  bounceG?: number;
  /** Arm-swing tilt amplitude, degrees (changes the gravity direction once per stride). */
  swingDeg?: number;
  /** Left/right difference: extra bounce at the stride frequency, as a fraction of bounceG. */
  asymmetry?: number;
  /** Sensor noise, g RMS. */
  noiseG?: number;
  /** Still time before and after the walk, s. */
  leadS?: number;
  tailS?: number;
  seed?: number;
}

/**
 * A walk of exactly `steps` steps: one vertical bounce per step at `cadenceHz`, the arm swing
 * tilting gravity once per stride, a left/right asymmetry, noise, and still time around it.
 */
export function synthWalk(spec: WalkSpec): Recording {
  const bounce = spec.bounceG ?? 0.25;
  const swing = ((spec.swingDeg ?? 20) * Math.PI) / 180;
  const asym = spec.asymmetry ?? 0.2;
  const noise = spec.noiseG ?? 0.01;
  const lead = spec.leadS ?? 5;
  const tail = spec.tailS ?? 5;
  const rand = seededRandom(spec.seed ?? 1);
  const walkS = spec.steps / spec.cadenceHz;
  const n = Math.round((lead + walkS + tail) * SAMPLE_RATE_HZ);
  return synthesize(n, (_i, t, g) => {
    const w = t - lead;
    let tilt = 0.3; // band resting at ~17 degrees
    let up = 0;
    if (w >= 0 && w < walkS) {
      const ph = 2 * Math.PI * spec.cadenceHz * w; // one cycle per step
      tilt += swing * Math.sin(ph / 2);
      // raised cosine: each step is one smooth bounce; the stride term makes left and right differ
      up = bounce * (0.5 - 0.5 * Math.cos(ph)) + asym * bounce * Math.sin(ph / 2);
    }
    g[0] = Math.sin(tilt) + noise * gaussian(rand);
    g[1] = 0.05 * up + noise * gaussian(rand);
    g[2] = Math.cos(tilt) + up + noise * gaussian(rand);
  });
}

/** Broadband random vibration around 1 g (a vehicle, a machine): no steps. */
export function synthVibration(seconds: number, rmsG: number, seed: number): Recording {
  const rand = seededRandom(seed);
  return synthesize(Math.round(seconds * SAMPLE_RATE_HZ), (_i, _t, g) => {
    g[0] = 0.1 + rmsG * gaussian(rand);
    g[1] = rmsG * gaussian(rand);
    g[2] = 0.995 + rmsG * gaussian(rand);
  });
}

/** A steady oscillation of the magnitude at `hz` (e.g. outside the gait band). */
export function synthSine(seconds: number, hz: number, amplitudeG: number): Recording {
  return synthesize(Math.round(seconds * SAMPLE_RATE_HZ), (_i, t, g) => {
    g[2] = 1 + amplitudeG * Math.sin(2 * Math.PI * hz * t);
  });
}

/** One knock or bump (a hand slapping a table) in otherwise still data. */
export function synthBump(seconds: number, atS: number, peakG: number): Recording {
  return synthesize(Math.round(seconds * SAMPLE_RATE_HZ), (_i, t, g) => {
    const d = (t - atS) / 0.08;
    g[2] = 1 + peakG * Math.exp(-d * d);
  });
}

/** Concatenates recordings, continuing the time axis. */
export function concatRecordings(parts: Recording[]): Recording {
  let n = 0;
  for (const p of parts) n += p.length;
  const out: Recording = {
    timeMs: new Float64Array(n),
    x: new Int32Array(n),
    y: new Int32Array(n),
    z: new Int32Array(n),
    length: n,
  };
  let k = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      out.timeMs[k] = Math.round((k * 1000) / SAMPLE_RATE_HZ);
      out.x[k] = p.x[i]!;
      out.y[k] = p.y[i]!;
      out.z[k] = p.z[i]!;
      k++;
    }
  }
  return out;
}
