// The rhythm test of the step counter: does the filtered signal repeat itself one stride later?
// Normalised autocorrelation over the counter's ring buffer of filtered samples. Part of the step
// counter (step-counter.ts; its state lives there); Espruino-safe.
//
// Why a stride and not a step: at the wrist the two steps of a stride differ (the arm swings
// forward on one, back on the other), so a walk repeats exactly one stride later; road bumps,
// gestures and desk work do not.
import type { StepCounter } from "./step-counter.js";

/** Lags searched either side of the expected stride lag (samples): +-2 samples is +-15 %. */
export const LAG_SEARCH = 2;
/** Fewest samples an autocorrelation is computed over. */
export const MIN_CORR_SAMPLES = 8;

/** Normalised correlation of the last w filtered samples with the w samples `lag` earlier. */
export function corr(c: StepCounter, lag: number, w: number): number {
  const buf = c.buf;
  const len = buf.length;
  let i = (c.bi - 1 + len) % len;
  let j = (c.bi - 1 - lag + 2 * len) % len;
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
export function strideCorr(c: StepCounter): number {
  const len = c.buf.length;
  const expected = Math.round(2 * c.period);
  const lo = Math.max(expected - LAG_SEARCH, 2 * c.minStep);
  const hi = Math.min(expected + LAG_SEARCH, Math.ceil(2 * c.maxStep));
  let best = -2;
  let bestL = 0;
  let before = -2;
  let after = -2;
  let prev = -2;
  for (let lag = lo - 1; lag <= hi + 1; lag++) {
    let w = c.t - c.runStart - lag;
    if (w > c.corrW) w = c.corrW;
    const r = w < MIN_CORR_SAMPLES || lag + w > len ? -2 : corr(c, lag, w);
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
  c.bestLag = bestL + frac;
  return best;
}
