// Peaks -> runs -> walking: the part of the step counter that decides whether a train of peaks
// is walking and how many steps each peak is (how it works: step-counter.ts, points 4-6). The
// signal path (step-counter.ts, whose state this works on) calls onPeak() for every peak and
// pause() when the peaks stop; the rhythm test is stride-rhythm.ts. Espruino-safe.
import type { StepCounter } from "./step-counter.js";
import { corr, MIN_CORR_SAMPLES, strideCorr } from "./stride-rhythm.js";

/** Smoothing of the step period from peak spacings while a run is being built (~4 steps). */
const RUN_PERIOD_ALPHA = 0.25;
/** Smoothing of the step period from the autocorrelation while walking (~2 checks). */
const WALK_PERIOD_ALPHA = 0.5;
/** Half-stride autocorrelation below which a period holds a single bounce (one step). Walking
 *  with arm swing measures -0.6..0.9 at half a stride; a lone bounce per period about -0.9. */
const SINGLE_BOUNCE_CORR = -0.75;
/**
 * Bout starts (see keep()): the fewest regular intervals a broken run needs to be remembered. Two
 * intervals that agree within `regularity` are the least that shows a cadence (one is a pair of
 * peaks, which any bump makes).
 */
const CARRY_MIN_INTERVALS = 2;

/** Credits the steps counted since the last check to `count`. */
function confirm(c: StepCounter): number {
  const n = c.provisional;
  c.provisional = 0;
  c.quiet = 0;
  c.lastWalk = c.t;
  c.count += n;
  return n;
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
function keep(c: StepCounter, spacing: number): void {
  const last = c.t - 1 - spacing;
  if (c.t - c.carryEnd > c.carryN) c.carry = 0;
  if (c.peaks < CARRY_MIN_INTERVALS || c.t - c.lastWalk <= c.memoryN) return;
  // c.peaks counts intervals: the run began at runStart, one peak before its first interval
  const steps = Math.round((last - c.runStart) / c.period);
  const same = Math.abs(c.period - c.carryPeriod) <= c.o.regularity * c.period;
  c.carry = (c.carry > 0 && same ? c.carry : 0) + steps;
  c.carryPeriod = c.period;
  c.carryEnd = last;
}

/** Starts a new run at the previous peak, `spacing` samples before the current one (0: none). */
function startRun(c: StepCounter, spacing: number): void {
  c.walking = false;
  c.provisional = 0;
  c.quiet = 0;
  c.misses = 0;
  if (spacing <= 0) {
    c.peaks = 0;
    c.period = 0;
    c.spp = 1;
    return;
  }
  c.runStart = c.t - 1 - spacing;
  c.spp = spacing > c.maxStep ? 2 : 1;
  c.peaks = 1;
  c.period = spacing / c.spp;
}

/** Ends a walk at a pause; keeps the last provisional steps if the rhythm held until then. */
export function pause(c: StepCounter): number {
  // the filter rings for a step or two after the wrist stops: weak peaks after the walk's last
  // normal one are not steps
  c.provisional -= c.quiet;
  const n = c.misses === 0 ? confirm(c) : 0;
  startRun(c, 0);
  return n;
}

/** A peak `spacing` samples after the previous one (which is at t - 1 - spacing). */
export function onPeak(c: StepCounter, spacing: number): number {
  const o = c.o;
  if (spacing > 2 * c.maxStep || c.period === 0) {
    startRun(c, spacing > 2 * c.maxStep ? 0 : spacing);
    return 0;
  }
  const p = c.period;
  let n = Math.round(spacing / p);
  if (n < 1) n = 1;
  if (c.walking) {
    c.provisional += n;
    c.quiet = c.loud ? 0 : c.quiet + n;
    if (c.t - c.lastCheck < c.checkN) return 0;
    c.lastCheck = c.t;
    if (strideCorr(c) >= o.stayCorr) {
      c.period += (c.bestLag / 2 - p) * WALK_PERIOD_ALPHA;
      c.misses = 0;
      return confirm(c);
    }
    c.misses++;
    if (c.misses > o.maxMisses) startRun(c, spacing);
    return 0;
  }
  const step = spacing / n;
  const regular =
    Math.abs(spacing - n * p) <= o.regularity * n * p + 1 && step >= c.minStep && step <= c.maxStep;
  if (!regular) {
    keep(c, spacing);
    startRun(c, spacing);
    return 0;
  }
  c.peaks++;
  if (n === c.spp) c.period += (step - p) * RUN_PERIOD_ALPHA;
  if (c.peaks < o.runPeaks || c.ms < c.minMs) return 0;
  const need = c.t - c.lastWalk <= c.memoryN ? o.reentryCorr : o.entryCorr;
  if (strideCorr(c) < need) return 0;
  // A stride holds two steps, two bounces: if the signal half a stride later is the inverse of
  // itself, each period holds one bounce, so the "stride" is really one (slow) step.
  let period = c.bestLag / 2;
  const half = Math.round(period);
  const w = Math.min(c.corrW, c.t - c.runStart - half);
  if (w >= MIN_CORR_SAMPLES && corr(c, half, w) < SINGLE_BOUNCE_CORR) {
    if (c.bestLag > c.maxStep + 1) return 0; // one bounce per >0.85 s: too slow to be walking
    period = c.bestLag;
  }
  // walking: credit the whole run, from its first peak to this one, at the measured period
  c.walking = true;
  c.period = period;
  c.lastCheck = c.t;
  c.provisional = Math.round((c.t - 1 - c.runStart) / c.period) + 1;
  if (
    c.carry > 0 &&
    c.runStart - c.carryEnd <= c.carryN &&
    Math.abs(c.carryPeriod - c.period) <= o.regularity * c.period
  )
    c.provisional += c.carry;
  c.carry = 0;
  return confirm(c);
}
