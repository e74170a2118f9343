// Software step counter for a wrist accelerometer sampled at 12.5 Hz (raw ints, 8192 = 1 g).
//
// Used where there is no hardware pedometer: the simulator, and boards whose IMU lacks one.
// (The Puck.js v2 band reads the LSM6DS3TR-C pedometer; Bangle.js 2 uses its built-in counter.)
//
// Adapter API (what the firmware HAL's pedometer implementation wraps):
//
//   const pedometer = softwarePedometer(board.accelerometer); // a HAL Pedometer: modulus 2^32,
//   pedometer.start(); pedometer.read();                      // start() subscribes at 12.5 Hz
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
// How it works (each constant below states its physical reason):
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

/** 1 g in raw accelerometer units (Bangle.js/Puck.js raw scale, ../shared/data/steps/README.md). */
export const ONE_G = 8192;

export interface StepCounterOptions {
  /** Accelerometer rate. 12.5 Hz is the band's rate: gait is below 3 Hz, so this is 4x oversampled. */
  sampleRateHz: number;
  /** High-pass corner: below the slowest stride frequency (~0.6 Hz at 70 steps/min). */
  highPassHz: number;
  /** Low-pass corner: the fastest step rate (~3 Hz, 180 steps/min when running). */
  lowPassHz: number;
  /** Smallest peak that can start a step run: a real step moves the wrist more than 0.05 g. */
  minPeakG: number;
  /** Inside a walk, the noise floor of a step: above the sensor noise and tremor seen during a
   *  walk (~0.03 g), below minPeakG so that steps seen through looser wear still count once a
   *  walk is established. Above it the walk's own envelope decides (envRel). */
  walkPeakG: number;
  /** Inside a walk, a step's peak exceeds this fraction of the walk's peak envelope. At one
   *  wrist the step on the other side looks weaker (10-15 % asymmetry in timing, more in
   *  height), but not below a third of the envelope; bumps between steps are smaller. */
  envRel: number;
  /** Peaks must also exceed this fraction of the recent mean |signal| (adapts to vigorous walks). */
  relPeak: number;
  /** Time constant of the level and energy trackers: about two strides. */
  levelTauS: number;
  /** Shortest step: 0.3 s = 200 steps/min, faster than a sprinter's cadence. */
  minStepS: number;
  /** Longest single step: 0.85 s = 70 steps/min; slower is shuffling, and a longer spacing is a
   *  stride (two steps). Twice this (1.7 s, the slowest stride) without a peak is a pause. */
  maxStepS: number;
  /** Spacing tolerance within a run: left/right asymmetry seen at one wrist is 10-15 %;
   *  one sample (80 ms) of quantisation is added on top. */
  regularity: number;
  /** Peaks (about three strides) before the rhythm is tested: enough for one stride of lag. */
  runPeaks: number;
  /** Energy floor for a new walk: RMS of the band-passed magnitude, in g. A gentle walk (a
   *  +-0.075 g bounce per step) gives 0.053 g; tremor, fidgeting and machines hum below it.
   *  (Vehicles can exceed it: the rhythm test below is what rejects them.) */
  minRmsG: number;
  /** Stride autocorrelation needed to start a walk. Established walking repeats at 0.8-0.99
   *  (every walk in the data set reaches 0.9); road bumps and gestures do not repeat a stride
   *  later (58 min of recorded driving peak at 0.53). */
  entryCorr: number;
  /** Stride autocorrelation that keeps a walk going (hysteresis below entryCorr). */
  stayCorr: number;
  /** Stride autocorrelation for a new run shortly after a confirmed walk. */
  reentryCorr: number;
  /** How long after a confirmed walk reentryCorr applies: a crossing, a door, a queue. */
  memoryS: number;
  /** Longest autocorrelation window: about four strides. */
  corrWindowS: number;
  /** Interval between rhythm checks while walking: about two strides. */
  checkS: number;
  /** Failed rhythm checks tolerated in a row (so a walk ends after ~2 x checkS without rhythm). */
  maxMisses: number;
}

/** The constants of the counter; see StepCounterOptions for the reason behind each. */
export const STEP_COUNTER_DEFAULTS: StepCounterOptions = {
  sampleRateHz: 12.5,
  highPassHz: 0.5,
  lowPassHz: 3,
  minPeakG: 0.05,
  walkPeakG: 0.04,
  envRel: 0.3,
  relPeak: 0.3,
  levelTauS: 2,
  minStepS: 0.3,
  maxStepS: 0.85,
  regularity: 0.2,
  runPeaks: 6,
  minRmsG: 0.05,
  entryCorr: 0.7,
  stayCorr: 0.3,
  reentryCorr: 0.5,
  memoryS: 30,
  corrWindowS: 4,
  checkS: 2,
  maxMisses: 1,
};

/** Smoothing of the peak envelope (envRel): about ten peaks, five strides. */
const ENV_ALPHA = 0.1;
/** Inside a walk, a peak sooner than this fraction of the step period after the last step is a
 *  bump within the step, not the next one (spacings vary by `regularity`, 20 %, at most). */
const EARLY_STEP = 0.6;
/** At a pause, steps from the peaks after the walk's last peak above this fraction of the
 *  envelope are dropped: the band-pass filter rings for a step or two after the wrist stops. */
const LOUD_REL = 0.5;
/** Smoothing of the step period from peak spacings while a run is being built (~4 steps). */
const RUN_PERIOD_ALPHA = 0.25;
/** Smoothing of the step period from the autocorrelation while walking (~2 checks). */
const WALK_PERIOD_ALPHA = 0.5;
/** Lags searched either side of the expected stride lag (samples): +-2 samples is +-15 %. */
const LAG_SEARCH = 2;
/** Fewest samples an autocorrelation is computed over. */
const MIN_CORR_SAMPLES = 8;
/** Half-stride autocorrelation below which a period holds a single bounce (one step). Walking
 *  with arm swing measures -0.6..0.9 at half a stride; a lone bounce per period about -0.9. */
const SINGLE_BOUNCE_CORR = -0.75;
/** Longest input gap bridged by interpolation: dropped samples (up to 240 ms seen) are bridged,
 *  a stalled sensor is not. */
const MAX_GAP_MS = 1000;
/** Rest samples fed for an unbridged gap: more than the pause limit (2 x maxStepS). */
const GAP_FILL = 25;
/**
 * Bout starts (see keep()): the fewest regular intervals a broken run needs to be remembered. Two
 * intervals that agree within `regularity` are the least that shows a cadence (one is a pair of
 * peaks, which any bump makes).
 */
const CARRY_MIN_INTERVALS = 2;
/** How long a remembered bout start waits for the walk that proves it: about two strides. */
const CARRY_S = 3;
/** Saturation of the samples-since-last-peak counter. */
const SINCE_MAX = 100000;

export class StepCounter {
  /** Steps counted since construction or reset(). */
  declare count: number;
  declare private readonly o: StepCounterOptions;
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
  declare private readonly minMs: number;
  declare private readonly minStep: number;
  declare private readonly maxStep: number;
  declare private readonly corrW: number;
  declare private readonly checkN: number;
  declare private readonly memoryN: number;
  declare private readonly carryN: number;
  // signal state
  declare private readonly buf: Float32Array;
  declare private bi: number;
  declare private t: number;
  declare private y1: number;
  declare private y2: number;
  declare private level: number;
  declare private env: number;
  declare private loud: boolean;
  declare private quiet: number;
  declare private ms: number;
  declare private armed: boolean;
  declare private since: number;
  // run / walk state
  declare private period: number;
  declare private spp: number;
  declare private peaks: number;
  declare private runStart: number;
  declare private walking: boolean;
  declare private provisional: number;
  declare private misses: number;
  declare private lastCheck: number;
  declare private lastWalk: number;
  declare private bestLag: number;
  declare private carry: number;
  declare private carryPeriod: number;
  declare private carryEnd: number;
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
    const q = Math.sqrt(0.5); // Butterworth
    let k = Math.tan((Math.PI * o.highPassHz) / fs);
    let n = 1 / (1 + k / q + k * k);
    this.hb0 = n;
    this.hb1 = -2 * n;
    this.ha1 = 2 * (k * k - 1) * n;
    this.ha2 = (1 - k / q + k * k) * n;
    k = Math.tan((Math.PI * o.lowPassHz) / fs);
    n = 1 / (1 + k / q + k * k);
    this.lb0 = k * k * n;
    this.lb1 = 2 * k * k * n;
    this.la1 = 2 * (k * k - 1) * n;
    this.la2 = (1 - k / q + k * k) * n;
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

  /** Normalised correlation of the last w filtered samples with the w samples `lag` earlier. */
  private corr(lag: number, w: number): number {
    const buf = this.buf;
    const len = buf.length;
    let i = (this.bi - 1 + len) % len;
    let j = (this.bi - 1 - lag + 2 * len) % len;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let k = 0; k < w; k++) {
      const a = buf[i]!;
      const b = buf[j]!;
      sab += a * b;
      saa += a * a;
      sbb += b * b;
      i = i === 0 ? len - 1 : i - 1;
      j = j === 0 ? len - 1 : j - 1;
    }
    return sab / Math.sqrt(saa * sbb + 1);
  }

  /**
   * How well the signal repeats one stride (two step periods) later: the best normalised
   * autocorrelation within LAG_SEARCH of the expected stride lag, over the current run only.
   * Leaves the stride lag, refined to a fraction of a sample, in bestLag.
   */
  private strideCorr(): number {
    const len = this.buf.length;
    const expected = Math.round(2 * this.period);
    const lo = Math.max(expected - LAG_SEARCH, 2 * this.minStep);
    const hi = Math.min(expected + LAG_SEARCH, Math.ceil(2 * this.maxStep));
    let best = -2;
    let bestL = 0;
    let before = -2;
    let after = -2;
    let prev = -2;
    for (let lag = lo - 1; lag <= hi + 1; lag++) {
      let w = this.t - this.runStart - lag;
      if (w > this.corrW) w = this.corrW;
      const r = w < MIN_CORR_SAMPLES || lag + w > len ? -2 : this.corr(lag, w);
      if (lag === bestL + 1) after = r;
      if (lag >= lo && lag <= hi && r > best) {
        best = r;
        bestL = lag;
        before = prev;
        after = -2;
      }
      prev = r;
    }
    let frac = 0;
    if (before > -2 && after > -2) {
      const d = before - 2 * best + after;
      if (d < 0) frac = (0.5 * (before - after)) / d;
      if (frac > 0.5) frac = 0.5;
      if (frac < -0.5) frac = -0.5;
    }
    this.bestLag = bestL + frac;
    return best;
  }

  /** Credits the steps counted since the last check to `count`. */
  private confirm(): number {
    const c = this.provisional;
    this.provisional = 0;
    this.quiet = 0;
    this.lastWalk = this.t;
    this.count += c;
    return c;
  }

  /**
   * A run broken by an off-beat peak `spacing` samples after its last one, away from any walk:
   * remembers its steps, to be credited if the run that follows proves to be walking at the same
   * cadence (retroactive crediting of bout starts).
   *
   * Why: gait initiation is not steady. The first two or three steps from standing are shorter
   * and slower than the cruise cadence, and in daily activity a bout is often broken after a few
   * steps by a turn, a reach or a door: one interval off the beat, then the same cadence again.
   * Each part alone is below the gate (runPeaks regular peaks), so short bouts lost their first
   * part or all of it (issue 13: housework undercounted by 55-60 %). Crediting the remembered part
   * only when the next run passes the full gate (energy and stride autocorrelation) at a cadence
   * within `regularity` of it keeps the gate's evidence for walking unchanged: a drive or a
   * gesture that never passes the gate is never credited, however many short runs it makes.
   * Inside a walk's memory (memoryS) runs re-enter at reentryCorr and are not carried: there a
   * broken run is a turn or a stop within a walk whose steps are already counted provisionally.
   */
  private keep(spacing: number): void {
    const last = this.t - 1 - spacing;
    if (this.t - this.carryEnd > this.carryN) this.carry = 0;
    if (this.peaks < CARRY_MIN_INTERVALS || this.t - this.lastWalk <= this.memoryN) return;
    // this.peaks counts intervals: the run began at runStart, one peak before its first interval
    const steps = Math.round((last - this.runStart) / this.period);
    const same = Math.abs(this.period - this.carryPeriod) <= this.o.regularity * this.period;
    this.carry = (this.carry > 0 && same ? this.carry : 0) + steps;
    this.carryPeriod = this.period;
    this.carryEnd = last;
  }

  /** Starts a new run at the previous peak, `spacing` samples before the current one (0: none). */
  private startRun(spacing: number): void {
    this.walking = false;
    this.provisional = 0;
    this.quiet = 0;
    this.misses = 0;
    if (spacing <= 0) {
      this.peaks = 0;
      this.period = 0;
      this.spp = 1;
      return;
    }
    this.runStart = this.t - 1 - spacing;
    this.spp = spacing > this.maxStep ? 2 : 1;
    this.peaks = 1;
    this.period = spacing / this.spp;
  }

  /** Ends a walk at a pause; keeps the last provisional steps if the rhythm held until then. */
  private pause(): number {
    // the filter rings for a step or two after the wrist stops: weak peaks after the walk's last
    // normal one are not steps
    this.provisional -= this.quiet;
    const c = this.misses === 0 ? this.confirm() : 0;
    this.startRun(0);
    return c;
  }

  /** A peak `spacing` samples after the previous one (which is at t - 1 - spacing). */
  private onPeak(spacing: number): number {
    const o = this.o;
    if (spacing > 2 * this.maxStep || this.period === 0) {
      this.startRun(spacing > 2 * this.maxStep ? 0 : spacing);
      return 0;
    }
    const p = this.period;
    let n = Math.round(spacing / p);
    if (n < 1) n = 1;
    if (this.walking) {
      this.provisional += n;
      this.quiet = this.loud ? 0 : this.quiet + n;
      if (this.t - this.lastCheck < this.checkN) return 0;
      this.lastCheck = this.t;
      if (this.strideCorr() >= o.stayCorr) {
        this.period += (this.bestLag / 2 - p) * WALK_PERIOD_ALPHA;
        this.misses = 0;
        return this.confirm();
      }
      this.misses++;
      if (this.misses > o.maxMisses) this.startRun(spacing);
      return 0;
    }
    const step = spacing / n;
    const regular =
      Math.abs(spacing - n * p) <= o.regularity * n * p + 1 &&
      step >= this.minStep &&
      step <= this.maxStep;
    if (!regular) {
      this.keep(spacing);
      this.startRun(spacing);
      return 0;
    }
    this.peaks++;
    if (n === this.spp) this.period += (step - p) * RUN_PERIOD_ALPHA;
    if (this.peaks < o.runPeaks || this.ms < this.minMs) return 0;
    const need = this.t - this.lastWalk <= this.memoryN ? o.reentryCorr : o.entryCorr;
    if (this.strideCorr() < need) return 0;
    // A stride holds two steps, two bounces: if the signal half a stride later is the inverse of
    // itself, each period holds one bounce, so the "stride" is really one (slow) step.
    let period = this.bestLag / 2;
    const half = Math.round(period);
    const w = Math.min(this.corrW, this.t - this.runStart - half);
    if (w >= MIN_CORR_SAMPLES && this.corr(half, w) < SINGLE_BOUNCE_CORR) {
      if (this.bestLag > this.maxStep + 1) return 0; // one bounce per >0.85 s: too slow to be walking
      period = this.bestLag;
    }
    // walking: credit the whole run, from its first peak to this one, at the measured period
    this.walking = true;
    this.period = period;
    this.lastCheck = this.t;
    this.provisional = Math.round((this.t - 1 - this.runStart) / this.period) + 1;
    if (
      this.carry > 0 &&
      this.runStart - this.carryEnd <= this.carryN &&
      Math.abs(this.carryPeriod - this.period) <= o.regularity * this.period
    )
      this.provisional += this.carry;
    this.carry = 0;
    return this.confirm();
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
    if (this.walking && this.since > 2 * this.maxStep) got += this.pause();
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
    const got = this.onPeak(this.since - 1);
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

/** A source of raw accelerometer samples: the shape of the HAL's Accelerometer (src/hal/types.ts). */
export interface SampleSource {
  on(rateHz: number, sample: (x: number, y: number, z: number) => void): void;
  off(): void;
}

/** The shape of the HAL's Pedometer (src/hal/types.ts), plus stop(). */
export interface SoftwarePedometer {
  readonly modulus: number;
  start(): boolean;
  read(): number | null;
  stop(): void;
}

/**
 * A pedometer in software for boards without one in hardware: feeds `source` at the counter's
 * rate into a StepCounter and reads like a 32-bit step register (the band app's step ledger
 * handles the wrap, which takes 4e9 steps).
 */
export function softwarePedometer(
  source: SampleSource,
  options?: Partial<StepCounterOptions>,
): SoftwarePedometer {
  const counter = new StepCounter(options);
  const rate = (options && options.sampleRateHz) || STEP_COUNTER_DEFAULTS.sampleRateHz;
  let running = false;
  return {
    modulus: 4294967296,
    start: function (): boolean {
      if (!running) {
        source.on(rate, function (x: number, y: number, z: number): void {
          counter.push(x, y, z);
        });
        running = true;
      }
      return true;
    },
    read: function (): number | null {
      return counter.count % 4294967296;
    },
    stop: function (): void {
      if (running) source.off();
      running = false;
    },
  };
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
