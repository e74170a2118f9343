// The counter's constants: what can be chosen (StepCounterOptions) and the shipped values, each
// with its physical reason. Part of the step counter (step-counter.ts); Espruino-safe.

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
