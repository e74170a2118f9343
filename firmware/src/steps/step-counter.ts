// Software step counter for a wrist accelerometer sampled at 12.5 Hz (raw ints, 8192 = 1 g).
//
// Used where there is no hardware pedometer: the simulator, and boards whose IMU lacks one.
// (The Puck.js v2 band reads the LSM6DS3TR-C pedometer; Bangle.js 2 uses its built-in counter.)
//
// Adapter API (what the firmware HAL's pedometer implementation wraps):
//
//   const pedometer = softwarePedometer(board.accelerometer); // software-pedometer.ts: a HAL
//   pedometer.start(); pedometer.read();                      // Pedometer, modulus 2^32, 12.5 Hz
//
// or, driving the counter yourself (simulator, tests):
//
//   const counter = createStepCounter();          // or new StepCounter()
//   accel.on((x, y, z) => counter.push(x, y, z)); // raw ints, 8192 = 1 g, every 80 ms
//   counter.pushG(a.x, a.y, a.z);                  // same, for APIs that report g (Bangle 'accel')
//   counter.count                                  // steps since construction or reset(), never decreases
//   counter.reset();                               // back to the power-on state, count = 0
//
// `push` returns the steps credited by that sample (usually 0 or 1; a batch when a walk is first
// recognised, see "gate" below). The HAL reads `count` like a hardware STEP_COUNTER register and
// keeps day totals itself, so one counter runs for the life of the device and is never reset at
// midnight. Cost per sample: one sqrt, two biquads, a few comparisons; a short autocorrelation
// (at most 7 lags x 50 samples) runs at most once per detected peak while a walk is being
// confirmed and every 2 s during a walk. State: ~48 numbers plus one Float32Array of 77 entries
// (308 bytes), allocated once: nothing is allocated per sample (Puck.js has ~2600 variables).
// Measured on the Puck.js interpreter build (`npm run bench` in firmware, README "Step counter"):
// 199 variables; ~0.85M interpreter instructions per sample at rest, ~2.9M while a walk starts.
//
// Espruino-safe: no destructuring, default/rest parameters, spread, Map/Set, Array.from, ...;
// every method is defined before it can be called.
//
// Files: counter-options.ts (the constants and their reasons), gait-filter.ts (the band-pass of
// point 2), stride-rhythm.ts (the stride autocorrelation of points 5-6), walk-gate.ts (points
// 4-6: runs, the gate, walking, bout starts), and this file: the state, the sample clock, point 1,
// the filters and the peaks of point 3. The per-sample path (push, sample, maximum) stays here.
//
// How it works (each constant states its physical reason):
//  1. |a| - 1 g: the magnitude does not depend on how the band sits on the wrist.
//  2. Band-pass 0.5-3 Hz (2nd-order Butterworth high-pass and low-pass): keeps the gait band, from
//     the slowest stride (arm swing, one period per two steps) to the fastest step rate; removes
//     posture/gravity changes and impacts/engine vibration.
//  3. Peaks: local maxima above an absolute floor and a fraction of the recent level, re-armed by a
//     zero crossing (one peak per oscillation) and at least one minimum step time apart. Inside a
//     walk the floor follows the walk's own peak envelope instead (see maximum()).
//  4. Run: consecutive peaks whose spacing is a whole number (1, 2, ...) of a steady step period.
//     On the wrist a peak can be a step or a stride (the arm swing dominates), so a spacing longer
//     than the slowest step is read as a stride of two steps - unless the signal half a stride
//     later is its own inverse (one bounce per period): then the period is a single slow step.
//  5. Gate: a run only becomes walking when it has RUN_PEAKS peaks, enough movement energy, and
//     the filtered signal repeats itself one stride later (normalised autocorrelation at the stride
//     lag >= ENTRY_CORR). Then the whole run is credited at once (retroactively). Car rides, desk
//     work and hand gestures produce short or irregular runs that fail this test.
//     A run broken by one off-beat interval away from any walk (gait initiation, a turn or a
//     reach a few steps into a bout) is remembered; if the next run passes the gate at the same
//     cadence, its steps are credited too (retroactive crediting of bout starts, see keep()).
//  6. Walking: every peak adds round(spacing / step period) steps, provisionally; every CHECK_S the
//     stride autocorrelation confirms the provisional steps (>= STAY_CORR, lower than the entry
//     threshold: hysteresis) and re-estimates the step period. Two failed checks in a row, or no
//     peak for two slowest steps (a pause), end the walk. Within MEMORY_S of a confirmed walk a new
//     run re-enters at REENTRY_CORR: stopping at a kerb or a door does not need full evidence again.

import { ONE_G, STEP_COUNTER_DEFAULTS, type StepCounterOptions } from "./counter-options.js";
import { butterworth } from "./gait-filter.js";
import { LAG_SEARCH } from "./stride-rhythm.js";
import { onPeak, pause } from "./walk-gate.js";

export { ONE_G, STEP_COUNTER_DEFAULTS, type StepCounterOptions };

/** Smoothing of the peak envelope (envRel): about ten peaks, five strides. */
const ENV_ALPHA = 0.1;
/** Inside a walk, a peak sooner than this fraction of the step period after the last step is a
 *  bump within the step, not the next one (spacings vary by `regularity`, 20 %, at most). */
const EARLY_STEP = 0.6;
/** At a pause, steps from the peaks after the walk's last peak above this fraction of the
 *  envelope are dropped: the band-pass filter rings for a step or two after the wrist stops. */
const LOUD_REL = 0.5;
/** Longest input gap bridged by interpolation: dropped samples (up to 240 ms seen) are bridged,
 *  a stalled sensor is not. */
const MAX_GAP_MS = 1000;
/** Rest samples fed for an unbridged gap: more than the pause limit (2 x maxStepS). */
const GAP_FILL = 25;
/** How long a remembered bout start waits for the walk that proves it: about two strides. */
const CARRY_S = 3;
/** Saturation of the samples-since-last-peak counter. */
const SINCE_MAX = 100000;

export class StepCounter {
  /** Steps counted since construction or reset(). */
  declare count: number;
  // The state below is the counter's own: the fields without `private` are shared with
  // walk-gate.ts and stride-rhythm.ts (one object, so the per-sample path reads plain fields);
  // callers read `count` only.
  declare readonly o: StepCounterOptions;
  // biquad coefficients (high-pass h*, low-pass l*) and transposed direct form II states
  declare private readonly hb0: number;
  declare private readonly hb1: number;
  declare private readonly ha1: number;
  declare private readonly ha2: number;
  declare private readonly lb0: number;
  declare private readonly lb1: number;
  declare private readonly la1: number;
  declare private readonly la2: number;
  declare private hs1: number;
  declare private hs2: number;
  declare private ls1: number;
  declare private ls2: number;
  // derived constants in samples / raw units
  declare private readonly levelA: number;
  declare private readonly minPeak: number;
  declare private readonly walkPeak: number;
  declare readonly minMs: number;
  declare readonly minStep: number;
  declare readonly maxStep: number;
  declare readonly corrW: number;
  declare readonly checkN: number;
  declare readonly memoryN: number;
  declare readonly carryN: number;
  // signal state
  declare readonly buf: Float32Array;
  declare bi: number;
  declare t: number;
  declare private y1: number;
  declare private y2: number;
  declare private level: number;
  declare private env: number;
  declare loud: boolean;
  declare quiet: number;
  declare ms: number;
  declare private armed: boolean;
  declare private since: number;
  // run / walk state
  declare period: number;
  declare spp: number;
  declare peaks: number;
  declare runStart: number;
  declare walking: boolean;
  declare provisional: number;
  declare misses: number;
  declare lastCheck: number;
  declare lastWalk: number;
  declare bestLag: number;
  declare carry: number;
  declare carryPeriod: number;
  declare carryEnd: number;
  // sample clock: inputs arrive at their own times, the filters run on a fixed grid (gridMs)
  declare private readonly gridMs: number;
  declare private started: boolean;
  declare private inT: number;
  declare private inM: number;
  declare private rawM: number;
  declare private nextT: number;

  constructor(options?: Partial<StepCounterOptions>) {
    const o: StepCounterOptions = Object.assign({}, STEP_COUNTER_DEFAULTS, options || {});
    this.o = o;
    const fs = o.sampleRateHz;
    const h = butterworth(o.highPassHz, fs, true);
    this.hb0 = h[0]!;
    this.hb1 = h[1]!;
    this.ha1 = h[2]!;
    this.ha2 = h[3]!;
    const l = butterworth(o.lowPassHz, fs, false);
    this.lb0 = l[0]!;
    this.lb1 = l[1]!;
    this.la1 = l[2]!;
    this.la2 = l[3]!;
    this.levelA = 1 - Math.exp(-1 / (o.levelTauS * fs));
    this.minPeak = o.minPeakG * ONE_G;
    this.walkPeak = o.walkPeakG * ONE_G;
    this.minMs = o.minRmsG * ONE_G * (o.minRmsG * ONE_G);
    this.minStep = Math.round(o.minStepS * fs);
    this.maxStep = o.maxStepS * fs;
    this.corrW = Math.round(o.corrWindowS * fs);
    this.checkN = Math.round(o.checkS * fs);
    this.memoryN = Math.round(o.memoryS * fs);
    this.carryN = Math.round(CARRY_S * fs);
    this.gridMs = 1000 / fs;
    this.buf = new Float32Array(this.corrW + Math.ceil(2 * this.maxStep) + LAG_SEARCH + 3);
    this.reset();
  }

  /** Back to the power-on state: count 0, filters settled at rest, no walk in progress. */
  reset(): void {
    for (let i = 0; i < this.buf.length; i++) this.buf[i] = 0;
    this.count = 0;
    this.hs1 = 0;
    this.hs2 = 0;
    this.ls1 = 0;
    this.ls2 = 0;
    this.bi = 0;
    this.t = 0;
    this.y1 = 0;
    this.y2 = 0;
    this.level = 0;
    this.env = 0;
    this.loud = false;
    this.quiet = 0;
    this.ms = 0;
    this.armed = true;
    this.since = SINCE_MAX;
    this.period = 0;
    this.spp = 1;
    this.peaks = 0;
    this.runStart = 0;
    this.walking = false;
    this.provisional = 0;
    this.misses = 0;
    this.lastCheck = 0;
    this.lastWalk = -SINCE_MAX;
    this.bestLag = 0;
    this.carry = 0;
    this.carryPeriod = 0;
    this.carryEnd = -SINCE_MAX;
    this.started = false;
    this.inT = -this.gridMs; // the first sample without a time stamp is at 0
    this.inM = 0;
    this.rawM = 0;
    this.nextT = 0;
  }

  /**
   * One sample, raw units (8192 = 1 g), taken at `tMs` (any monotonic ms clock; omitted: one grid
   * period after the previous sample). Returns the steps credited by this sample.
   *
   * Accelerometers are not sampled on a perfect clock: Bangle.js events arrive with jitter, some
   * loggers alternate 72/88 ms, busy moments drop samples. A counter that assumes a sample per
   * 80 ms reads a 10 % faster clock as a 10 % faster walk. So the filters run on a fixed grid of
   * 1/sampleRateHz and each grid instant gets |a| linearly interpolated between the two input
   * samples around it: timing errors become (tiny) amplitude errors, never period errors. Faster
   * input (25 Hz) is first averaged over pairs, a crude anti-alias filter: gait lies below 3 Hz,
   * so nothing we need is near the new Nyquist frequency. A gap longer than MAX_GAP_MS (sensor
   * off, a long stall) is not bridged: the counter sees rest for it (at most GAP_FILL grid steps,
   * which end any walk), then carries on.
   */
  push(x: number, y: number, z: number, tMs?: number): number {
    const raw = Math.sqrt(x * x + y * y + z * z) - ONE_G;
    const g = this.gridMs;
    const t = tMs === undefined ? this.inT + g : tMs;
    if (!this.started) return this.first(raw, t);
    const dt = t - this.inT;
    const m = dt < 0.75 * g ? 0.5 * (raw + this.rawM) : raw;
    this.rawM = raw;
    if (dt <= 0 || dt > MAX_GAP_MS) return this.irregular(m, t, dt);
    const m0 = this.inM;
    const t0 = this.inT;
    let got = 0;
    while (this.nextT <= t) {
      got += this.sample(m0 + ((m - m0) * (this.nextT - t0)) / dt);
      this.nextT += g;
    }
    this.inT = t;
    this.inM = m;
    return got;
  }

  // push()'s rare cases live in their own methods: Espruino runs code from its source text and
  // reads (lexes) every branch it skips, so text on the per-sample path costs time even unused.

  /** The first sample since construction or reset(). */
  private first(raw: number, t: number): number {
    this.started = true;
    this.inT = t;
    this.inM = raw;
    this.rawM = raw;
    this.nextT = t + this.gridMs;
    return this.sample(raw);
  }

  /** A repeated or backwards time stamp (keep the value, not the time), or a gap > MAX_GAP_MS. */
  private irregular(m: number, t: number, dt: number): number {
    if (dt <= 0) {
      this.inM = m;
      return 0;
    }
    const g = this.gridMs;
    let got = 0;
    let n = Math.floor((t - this.nextT) / g);
    if (n > GAP_FILL) n = GAP_FILL;
    for (let i = 0; i < n; i++) got += this.sample(0);
    this.inT = t;
    this.inM = m;
    this.nextT = t + g;
    return got + this.sample(m);
  }

  /** One grid sample of |a| - 1 g (raw units): the filters, peak detector and gate. */
  private sample(m: number): number {
    const h = this.hb0 * m + this.hs1;
    this.hs1 = this.hb1 * m - this.ha1 * h + this.hs2;
    this.hs2 = this.hb0 * m - this.ha2 * h;
    const v = this.lb0 * h + this.ls1;
    this.ls1 = this.lb1 * h - this.la1 * v + this.ls2;
    this.ls2 = this.lb0 * h - this.la2 * v;
    this.buf[this.bi] = v;
    this.bi = this.bi + 1 === this.buf.length ? 0 : this.bi + 1;
    this.t++;
    this.level += (Math.abs(v) - this.level) * this.levelA;
    this.ms += (v * v - this.ms) * this.levelA;
    if (this.since < SINCE_MAX) this.since++;
    let got = 0;
    if (this.walking && this.since > 2 * this.maxStep) got += pause(this);
    if (v < 0) this.armed = true;
    const y1 = this.y1;
    if (y1 > this.y2 && y1 >= v && this.armed) got += this.maximum(y1);
    this.y2 = y1;
    this.y1 = v;
    return got;
  }

  /**
   * A local maximum `y1` of the filtered signal (one sample ago): a peak if it is big enough.
   * Outside a walk the floor is absolute (minPeakG: with the energy floor, what keeps drives and
   * desk work out). Inside one it follows the walk's own peak envelope (envRel), down to a noise
   * floor (walkPeakG): once the gate has shown walking, the question is only "is this the next
   * step", and the reference for that is the walk itself: weaker steps of an established walk
   * (a looser band, a slower stretch) no longer break it into pauses, and with a strong arm swing
   * the bumps between steps (below envRel of the envelope) are not counted. A peak sooner than
   * EARLY_STEP of the step period is a bump within the step, whatever its height.
   */
  private maximum(y1: number): number {
    let floor = this.minPeak;
    let early = this.minStep;
    if (this.walking) {
      floor = Math.max(this.walkPeak, this.o.envRel * this.env);
      early = Math.max(early, EARLY_STEP * this.period);
    }
    if (!(y1 > floor && y1 > this.o.relPeak * this.level && this.since - 1 >= early)) return 0;
    this.env += (y1 - this.env) * ENV_ALPHA;
    this.loud = y1 >= LOUD_REL * this.env;
    const got = onPeak(this, this.since - 1);
    this.since = 1;
    this.armed = false;
    return got;
  }

  /** One sample in g (Bangle.js 'accel' events, Puck.accel() scaled). */
  pushG(x: number, y: number, z: number, tMs?: number): number {
    return this.push(x * ONE_G, y * ONE_G, z * ONE_G, tMs);
  }
}

/** The adapter entry point: a counter with the documented constants (or overrides for research). */
export function createStepCounter(options?: Partial<StepCounterOptions>): StepCounter {
  return new StepCounter(options);
}

/** Counts a whole recording (parallel raw x/y/z arrays) with a fresh counter. */
export function countSteps(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  options?: Partial<StepCounterOptions>,
  timeMs?: ArrayLike<number>,
): number {
  const c = new StepCounter(options);
  if (timeMs) for (let i = 0; i < x.length; i++) c.push(x[i]!, y[i]!, z[i]!, timeMs[i]!);
  else for (let i = 0; i < x.length; i++) c.push(x[i]!, y[i]!, z[i]!);
  return c.count;
}
