// How the shaker arm's servo commands become steps on the simulated wrist. The arm's motion is cut
// at each reversal of direction into half-swings; a half-swing of at least MIN_ARC degrees is
// valid, and every second valid half-swing (there and back) is one swing: one step for the
// pedometer, spread over the swing's duration. Moves in the same direction (e.g. from rest to the
// swing's end) extend the current half-swing. Pure; the caller time-stamps the moves.
export const MIN_ARC_DEG = 20;
/** A swing faster than this is a shudder, not a step (a wrist swing takes well over 0.15 s). */
export const MIN_SWING_S = 0.15;
/** A gap between moves longer than this is a pause, not part of a swing. */
export const PAUSE_S = 1;

export interface StepSession {
  start: number; // unix seconds
  end: number;
  cadence: number; // steps per minute: exactly one step over [start, end]
}

export class ShakerMechanics {
  private angle: number | null = null;
  private dir = 0;
  private segFrom = 0;
  private segStartT = 0;
  private halves = 0;
  private swingStartT = 0;
  private lastMoveT = 0;

  /** The servo was told to go to `deg` at unix time `t`; returns a step when a swing completes. */
  move(deg: number, t: number): StepSession | null {
    const prev = this.angle;
    const lastMoveT = this.lastMoveT;
    this.angle = deg;
    this.lastMoveT = t;
    if (prev === null) {
      this.segFrom = deg;
      this.segStartT = t;
      return null;
    }
    const d = Math.sign(deg - prev);
    if (d === 0) return null;
    if (this.dir === 0 || d === this.dir) {
      if (this.dir === 0) this.segFrom = prev;
      // After a pause (the arm at rest between shakes) the half-swing starts when motion resumes.
      if (this.dir === 0 || t - lastMoveT > PAUSE_S) this.segStartT = t;
      this.dir = d;
      return null;
    }
    // Reversal at `prev`: the half-swing segFrom -> prev is complete.
    const amplitude = Math.abs(prev - this.segFrom);
    const halfStart = this.segStartT;
    this.segFrom = prev;
    this.segStartT = t;
    this.dir = d;
    if (amplitude < MIN_ARC_DEG) return null;
    this.halves++;
    if (this.halves % 2 === 1) {
      this.swingStartT = halfStart;
      return null;
    }
    const duration = t - this.swingStartT;
    if (duration < MIN_SWING_S) return null;
    // 1e-6 above one step per swing, so float rounding of the integral never drops a step.
    return { start: this.swingStartT, end: t, cadence: (60 * (1 + 1e-6)) / duration };
  }
}
