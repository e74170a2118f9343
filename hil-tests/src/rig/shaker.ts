// The shaker arm: a hobby servo swinging the band like a walking wrist. One swing is a full
// forward-and-back arc (one step for the pedometer). The plan is pure so its timing is testable.
export interface ShakerSetup {
  /** Rest angle and the swing's two ends, in degrees (calibrated per rig, see README). */
  restDeg: number;
  fromDeg: number;
  toDeg: number;
}

export interface ShakerMove {
  /** Offset from the start of the run, ms. */
  atMs: number;
  angleDeg: number;
}

/** N swings at F Hz: two moves per swing, each held for half a period; ends at rest. */
export function shakePlan(setup: ShakerSetup, swings: number, hz: number): ShakerMove[] {
  if (!(hz > 0 && hz <= 5)) throw new Error(`shaker frequency ${hz} Hz is outside 0-5 Hz`);
  if (!Number.isInteger(swings) || swings < 0) throw new Error(`swings must be a whole number`);
  const half = 1000 / hz / 2;
  const moves: ShakerMove[] = [];
  for (let i = 0; i < swings; i++) {
    moves.push({ atMs: 2 * i * half, angleDeg: setup.toDeg });
    moves.push({ atMs: (2 * i + 1) * half, angleDeg: setup.fromDeg });
  }
  moves.push({ atMs: 2 * swings * half, angleDeg: setup.restDeg });
  return moves;
}
