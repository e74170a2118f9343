// Augmentations of recorded wrist data: what wearers and boards will do that the shared
// recordings do not show (issue 13 item 2). Each one is physically the same movement, so the
// true step count is unchanged. Deterministic (seeded). Pure, Node-side.
import type { Recording } from "./recording.js";

export interface Augmentation {
  name: string;
  detail: string;
  apply(rec: Recording, seed: number): Recording;
}

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return function (): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The accelerometer's range on the boards (+-4 g at 8192/g fits the raw int16). */
const CLIP = 32767;

function clip(v: number): number {
  return Math.max(-CLIP, Math.min(CLIP, Math.round(v)));
}

function make(n: number): Recording {
  return {
    timeMs: new Float64Array(n),
    x: new Int32Array(n),
    y: new Int32Array(n),
    z: new Int32Array(n),
    length: n,
  };
}

/**
 * The movement sampled at other instants: each axis interpolated (Catmull-Rom, so a 25 Hz
 * version keeps the curvature a real 25 Hz sensor would see) at `times` (ms, ascending, within
 * the recording). The time stamps are the new instants.
 */
export function resampleAt(rec: Recording, times: ArrayLike<number>): Recording {
  const out = make(times.length);
  const T = rec.timeMs;
  const axes = [rec.x, rec.y, rec.z];
  const dst = [out.x, out.y, out.z];
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    while (j < rec.length - 2 && T[j + 1]! <= t) j++;
    const t0 = T[j]!;
    const t1 = T[j + 1]!;
    const u = t1 > t0 ? Math.max(0, Math.min(1, (t - t0) / (t1 - t0))) : 0;
    for (let a = 0; a < 3; a++) {
      const s = axes[a]!;
      const p1 = s[j]!;
      const p2 = s[j + 1]!;
      const p0 = j > 0 ? s[j - 1]! : p1;
      const p3 = j + 2 < rec.length ? s[j + 2]! : p2;
      const v =
        0.5 *
        (2 * p1 +
          (-p0 + p2) * u +
          (2 * p0 - 5 * p1 + 4 * p2 - p3) * u * u +
          (-p0 + 3 * p1 - 3 * p2 + p3) * u * u * u);
      dst[a]![i] = clip(v);
    }
    out.timeMs[i] = Math.round(t * 10) / 10;
  }
  return out;
}

/** Instants from the first to the last sample, with intervals from `next(i)`. */
function instants(rec: Recording, next: (i: number) => number): Float64Array {
  const start = rec.timeMs[0]!;
  const end = rec.timeMs[rec.length - 1]!;
  const out: number[] = [];
  let t = start;
  for (let i = 0; t <= end; i++) {
    out.push(t);
    t += next(i);
  }
  return Float64Array.from(out);
}

/** A copy without the samples for which `drop(i)` is true. */
function without(rec: Recording, drop: (i: number) => boolean): Recording {
  const keep: number[] = [];
  for (let i = 0; i < rec.length; i++) if (!drop(i)) keep.push(i);
  const out = make(keep.length);
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k]!;
    out.timeMs[k] = rec.timeMs[i]!;
    out.x[k] = rec.x[i]!;
    out.y[k] = rec.y[i]!;
    out.z[k] = rec.z[i]!;
  }
  return out;
}

/** Every sample multiplied by a 3x3 matrix (row-major). */
export function transform(rec: Recording, m: number[]): Recording {
  const out = make(rec.length);
  for (let i = 0; i < rec.length; i++) {
    const x = rec.x[i]!;
    const y = rec.y[i]!;
    const z = rec.z[i]!;
    out.timeMs[i] = rec.timeMs[i]!;
    out.x[i] = clip(m[0]! * x + m[1]! * y + m[2]! * z);
    out.y[i] = clip(m[3]! * x + m[4]! * y + m[5]! * z);
    out.z[i] = clip(m[6]! * x + m[7]! * y + m[8]! * z);
  }
  return out;
}

/** A uniformly random 3D rotation (from a random unit quaternion). */
export function randomRotation(random: () => number): number[] {
  const u1 = random();
  const u2 = random() * 2 * Math.PI;
  const u3 = random() * 2 * Math.PI;
  const a = Math.sqrt(1 - u1);
  const b = Math.sqrt(u1);
  const w = a * Math.sin(u2);
  const x = a * Math.cos(u2);
  const y = b * Math.sin(u3);
  const z = b * Math.cos(u3);
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - z * w),
    2 * (x * z + y * w),
    2 * (x * y + z * w),
    1 - 2 * (x * x + z * z),
    2 * (y * z - x * w),
    2 * (x * z - y * w),
    2 * (y * z + x * w),
    1 - 2 * (x * x + y * y),
  ];
}

/**
 * Looser or tighter wear: the movement (each axis minus its 1 s centred mean, i.e. gravity and
 * posture) scaled by `k`; gravity stays 1 g, as an accelerometer on a still wrist always reads.
 */
export function scaleMovement(rec: Recording, k: number): Recording {
  const out = make(rec.length);
  const half = Math.round(500 / 80);
  const axes = [rec.x, rec.y, rec.z];
  const dst = [out.x, out.y, out.z];
  for (let a = 0; a < 3; a++) {
    const s = axes[a]!;
    let sum = 0;
    let lo = 0;
    let hi = -1;
    for (let i = 0; i < rec.length; i++) {
      while (hi < Math.min(rec.length - 1, i + half)) sum += s[++hi]!;
      while (lo < i - half) sum -= s[lo++]!;
      const mean = sum / (hi - lo + 1);
      dst[a]![i] = clip(mean + k * (s[i]! - mean));
    }
  }
  out.timeMs.set(rec.timeMs);
  return out;
}

export const AUGMENTATIONS: Augmentation[] = [
  {
    name: "jitter",
    detail: "sample instants 80 ms +-25 ms (uniform)",
    apply: (rec, seed) => {
      const r = rng(seed);
      return resampleAt(
        rec,
        instants(rec, () => 55 + 50 * r()),
      );
    },
  },
  {
    name: "72/88 ms",
    detail: "intervals alternating 72 and 88 ms",
    apply: (rec) =>
      resampleAt(
        rec,
        instants(rec, (i) => (i % 2 === 0 ? 72 : 88)),
      ),
  },
  {
    name: "dropped",
    detail: "6 % of samples lost, in runs of 1-2 (gaps up to 240 ms)",
    apply: (rec, seed) => {
      const r = rng(seed);
      // a run of 1 or 2 lost samples, then at least one kept: gaps of 160 or 240 ms
      let left = 0;
      let kept = true;
      return without(rec, () => {
        if (left > 0) {
          left--;
          kept = false;
          return true;
        }
        if (kept && r() < 0.04) {
          left = r() < 0.5 ? 1 : 0;
          kept = false;
          return true;
        }
        kept = true;
        return false;
      });
    },
  },
  {
    name: "rotated",
    detail: "a random 3D orientation of the band per recording",
    apply: (rec, seed) => transform(rec, randomRotation(rng(seed))),
  },
  {
    name: "other wrist",
    detail: "mirrored (x -> -x) and rotated: the band on the other arm",
    apply: (rec, seed) => {
      const m = randomRotation(rng(seed + 7));
      return transform(rec, [-m[0]!, m[1]!, m[2]!, -m[3]!, m[4]!, m[5]!, -m[6]!, m[7]!, m[8]!]);
    },
  },
  {
    name: "amplitude 0.6x",
    detail: "movement scaled 0.6 (loose band), gravity kept",
    apply: (rec) => scaleMovement(rec, 0.6),
  },
  {
    name: "amplitude 0.9x",
    detail: "movement scaled 0.9 (a notch looser), gravity kept",
    apply: (rec) => scaleMovement(rec, 0.9),
  },
  {
    name: "amplitude 1.1x",
    detail: "movement scaled 1.1 (a notch tighter), gravity kept",
    apply: (rec) => scaleMovement(rec, 1.1),
  },
  {
    name: "amplitude 1.5x",
    detail: "movement scaled 1.5 (tight band, vigorous arm), gravity kept",
    apply: (rec) => scaleMovement(rec, 1.5),
  },
  {
    name: "25 Hz",
    detail: "resampled at 40 ms (Catmull-Rom)",
    apply: (rec) =>
      resampleAt(
        rec,
        instants(rec, () => 40),
      ),
  },
  {
    name: "12.5 Hz from 25",
    detail: "resampled at 40 ms, then every other sample kept, 12.5 Hz with a 40 ms phase shift",
    apply: (rec) =>
      without(
        resampleAt(
          rec,
          instants(rec, () => 40),
        ),
        (i) => i % 2 === 0,
      ),
  },
];
