// The gait band-pass: 2nd-order Butterworth high-pass and low-pass sections (bilinear transform),
// run by the counter as two biquads in transposed direct form II (step-counter.ts, sample()).
// Part of the step counter; Espruino-safe.
//
// Why a band-pass: |a| - 1 g holds gravity's share of posture changes (slow) and impacts, engine
// and road vibration (fast) besides the gait. The pass band runs from below the slowest stride
// (arm swing, one period per two steps, ~0.6 Hz at 70 steps/min) to the fastest step rate (~3 Hz).

/**
 * Coefficients [b0, b1, a1, a2] (b2 = b0) of a 2nd-order Butterworth section with its corner at
 * `cornerHz` for samples at `rateHz`: a high-pass if `high`, else a low-pass.
 */
export function butterworth(cornerHz: number, rateHz: number, high: boolean): number[] {
  const q = Math.sqrt(0.5);
  const k = Math.tan((Math.PI * cornerHz) / rateHz);
  const n = 1 / (1 + k / q + k * k);
  const b0 = high ? n : k * k * n;
  return [b0, high ? -2 * b0 : 2 * b0, 2 * (k * k - 1) * n, (1 - k / q + k * k) * n];
}
