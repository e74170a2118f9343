// Simulated LSM6DS3TR-C as Puck.js v2 exposes it (Puck.accelWr/accelRd): registers, and the
// embedded pedometer's 16-bit STEP_COUNTER. Steps come from the walk schedule, either directly
// ("steps") or through a software step detector fed with 12.5 Hz samples ("samples"): synthetic
// gait samples during the walk sessions, or, when a wrist source is attached (the HIL shaker arm),
// that source's raw samples for the whole time the IMU is on.
import { gaitSample, stepsBetween, type WalkSession } from "./walk.js";

/** The accelerometer's output rate in "samples" mode (the software step counter's rate). */
export const SAMPLE_HZ = 12.5;

export interface StepDetector {
  push(x: number, y: number, z: number): number;
  count: number;
}

/**
 * What the accelerometer on the wrist measures: raw ints (8192 = 1 g), x/y/z, at world time t
 * (unix seconds). Called at every 12.5 Hz sample instant, in increasing t, while the IMU is on.
 */
export interface WristSource {
  sample(t: number): [number, number, number];
}

const CTRL1_XL = 0x10;
const CTRL10_C = 0x19;

export class ImuSim {
  readonly regs = new Uint8Array(128);
  /** Steps counted since the last reset (not wrapped). */
  steps = 0;
  private frac = 0;
  private lastT = 0;
  /** When true, every register access throws (I2C to the IMU fails). */
  fault = false;

  constructor(
    private readonly walks: () => WalkSession[],
    private readonly mode: "steps" | "samples",
    private readonly detector: (() => StepDetector) | null,
    private readonly wrist: () => WristSource | null = () => null,
  ) {}

  private det: StepDetector | null = null;

  powerOn(t: number): void {
    this.regs.fill(0);
    this.regs[0x0f] = 0x6a;
    this.steps = 0;
    this.frac = 0;
    this.lastT = t;
    this.det = this.detector ? this.detector() : null;
  }

  active(): boolean {
    return (this.regs[CTRL10_C]! & 0x14) === 0x14 && this.regs[CTRL1_XL]! >> 4 !== 0;
  }

  private integrate(t: number): void {
    if (t <= this.lastT) return;
    if (this.active()) {
      const wrist = this.mode === "samples" && this.det ? this.wrist() : null;
      if (wrist) this.integrateWrist(wrist, this.lastT, t);
      else if (this.mode === "samples" && this.det) this.integrateSamples(this.lastT, t);
      else {
        this.frac += stepsBetween(this.walks(), this.lastT, t);
        const whole = Math.floor(this.frac);
        this.steps += whole;
        this.frac -= whole;
      }
    }
    this.lastT = t;
  }

  private integrateSamples(t0: number, t1: number): void {
    const det = this.det!;
    for (const w of this.walks()) {
      const a = Math.max(t0, w.start);
      const b = Math.min(t1, w.end);
      if (b <= a) continue;
      const before = det.count;
      for (let t = a; t < b; t += 0.08) {
        const s = gaitSample(t - w.start, w.cadence);
        det.push(s[0], s[1], s[2]);
      }
      this.steps += Math.max(0, Math.round(det.count - before));
    }
  }

  /** Every sample instant k / SAMPLE_HZ in (t0, t1] from the wrist, through the detector. */
  private integrateWrist(wrist: WristSource, t0: number, t1: number): void {
    const det = this.det!;
    const before = det.count;
    for (let k = Math.floor(t0 * SAMPLE_HZ) + 1; k / SAMPLE_HZ <= t1; k++) {
      const s = wrist.sample(k / SAMPLE_HZ);
      det.push(s[0], s[1], s[2]);
    }
    this.steps += Math.max(0, det.count - before);
  }

  write(reg: number, val: number, t: number): void {
    if (this.fault) throw new Error("I2C: no ACK from the accelerometer");
    this.integrate(t);
    this.regs[reg & 0x7f] = val & 0xff;
    if (reg === CTRL10_C && val & 2) this.steps = 0; // PEDO_RST_STEP
  }

  read(reg: number, t: number): number {
    if (this.fault) throw new Error("I2C: no ACK from the accelerometer");
    this.integrate(t);
    if (reg === 0x4b) return this.steps & 0xff;
    if (reg === 0x4c) return (this.steps >> 8) & 0xff;
    return this.regs[reg & 0x7f]!;
  }

  /** Total steps counted so far (for Bangle's getStepCount). */
  total(t: number): number {
    this.integrate(t);
    return this.steps;
  }
}
