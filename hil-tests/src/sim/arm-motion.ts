// The shaker arm as a physical object, for the simulator: the servo's angle over time (a loaded
// hobby servo following its commands), and what an accelerometer in a band strapped to the arm's
// end measures (tangential and centripetal acceleration plus gravity, in the band's axes), sampled
// like the band's IMU (12.5 Hz, averaged over each sample period, raw ints with 8192 = 1 g, a
// little noise). Pure and deterministic (seeded noise); the caller time-stamps the commands.
//
// Geometry. The servo's axis is horizontal; the arm swings in a vertical plane. `hangDeg` is the
// servo angle at which the arm would point straight down. With the default 0 the arm is level at
// 90° (the rig's rest angle), like a forearm bent at the elbow: each swing there and back lifts and
// lowers the wrist once, so the vertical acceleration, which is what changes the magnitude of the
// measured force, goes through one cycle per swing: one step. (An arm hanging straight down at the
// centre of its swing lifts the band at both ends of a swing: two bounces per swing, a double
// count. See hil-tests/README.md, "Calibrating".)
//
// Band axes: x along the arm (outwards), y along the servo axis, z along the swing (the direction
// of increasing servo angle): a band on a level arm reads z = +1 g at rest.

export const ONE_G_RAW = 8192;
export const G = 9.81;
/** The band's accelerometer rate (the firmware's step counter runs at 12.5 Hz). */
export const SAMPLE_HZ = 12.5;

export interface ArmModel {
  /** Distance from the servo axis to the band, metres (the README's rig: ~0.15 m). */
  lengthM: number;
  /** Servo angle (degrees) at which the arm points straight down; 0 = level at 90°. */
  hangDeg: number;
  /** The loaded servo's top speed, degrees per second (MG996R: ~350 unloaded at 5 V). */
  maxSpeedDegS: number;
  /** Natural frequency (Hz) and damping ratio of the servo's position loop with the arm on it. */
  naturalHz: number;
  damping: number;
  /** Sensor noise, g (RMS, per axis). */
  noiseG: number;
  /** Noise seed (runs are reproducible). */
  seed: number;
}

export const ARM_DEFAULTS: ArmModel = {
  lengthM: 0.15,
  hangDeg: 0,
  maxSpeedDegS: 300,
  naturalHz: 5,
  damping: 0.7,
  noiseG: 0.005,
  seed: 1,
};

/** Integration step of the servo dynamics, seconds. */
const DT = 0.001;
const RAD = Math.PI / 180;

/** Specific force (what an accelerometer measures) on the band, in g, band axes. */
export function bandForce(
  m: Pick<ArmModel, "lengthM" | "hangDeg">,
  deg: number,
  velDegS: number,
  accDegS2: number,
): [number, number, number] {
  const psi = (deg - m.hangDeg) * RAD; // from straight down
  const w = velDegS * RAD;
  const a = accDegS2 * RAD;
  const radial = (-m.lengthM * w * w - G * Math.cos(psi)) / G; // centripetal + gravity, outwards
  const tangential = (m.lengthM * a + G * Math.sin(psi)) / G;
  return [radial, 0, tangential];
}

/** A small seeded PRNG (mulberry32) with a Gaussian draw. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

export class ArmMotion {
  readonly model: ArmModel;
  private deg: number;
  private vel = 0;
  private target = 0;
  private t = -Infinity;
  private readonly queue: { t: number; deg: number }[] = [];
  private readonly noise: () => number;

  /** `startDeg`: where the arm rests before the first command (the rig's rest angle). */
  constructor(model?: Partial<ArmModel>, startDeg = 90) {
    this.model = { ...ARM_DEFAULTS, ...model };
    this.noise = rng(this.model.seed);
    this.deg = startDeg;
    this.target = startDeg;
  }

  /** The servo was told to go to `deg` at time `t` (seconds, non-decreasing). */
  command(deg: number, t: number): void {
    if (this.t === -Infinity) this.t = t;
    this.queue.push({ t: t, deg: deg });
  }

  /** Angle (degrees) at the model's current time. */
  angle(): number {
    return this.deg;
  }

  private settled(): boolean {
    return Math.abs(this.vel) < 1e-3 && Math.abs(this.target - this.angle()) < 1e-3;
  }

  /**
   * Runs the arm to time `to` and returns the mean specific force (g, band axes) over the way
   * there; from rest it is the static gravity reading.
   */
  private runTo(to: number): [number, number, number] {
    const m = this.model;
    const sum = [0, 0, 0];
    let n = 0;
    const wn = 2 * Math.PI * m.naturalHz;
    while (this.t < to) {
      while (this.queue.length > 0 && this.queue[0]!.t <= this.t)
        this.target = this.queue.shift()!.deg;
      if (this.settled()) {
        // At rest until the next command (or `to`): a constant reading, no need to integrate.
        this.vel = 0;
        this.deg = this.target;
        const next = Math.min(to, this.queue.length > 0 ? this.queue[0]!.t : to);
        const steps = Math.max(1, Math.round((next - this.t) / DT));
        const f = bandForce(m, this.angle(), 0, 0);
        for (let i = 0; i < 3; i++) sum[i]! += f[i]! * steps;
        n += steps;
        this.t = Math.max(next, this.t + DT);
        continue;
      }
      const deg = this.angle();
      let acc = wn * wn * (this.target - deg) - 2 * m.damping * wn * this.vel;
      let vel = this.vel + acc * DT;
      if (vel > m.maxSpeedDegS) vel = m.maxSpeedDegS;
      if (vel < -m.maxSpeedDegS) vel = -m.maxSpeedDegS;
      acc = (vel - this.vel) / DT;
      const f = bandForce(m, deg, this.vel, acc);
      for (let i = 0; i < 3; i++) sum[i]! += f[i]!;
      n++;
      this.vel = vel;
      this.deg = deg + vel * DT;
      this.t += DT;
    }
    if (n === 0) return bandForce(m, this.angle(), this.vel, 0);
    return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
  }

  /**
   * The band's accelerometer sample at time `t` (seconds, increasing): the mean force over the
   * sample period before t (the sensor's own low-pass at its output rate), raw units, with noise.
   */
  sample(t: number): [number, number, number] {
    if (this.t === -Infinity) this.t = t - 1 / SAMPLE_HZ;
    else if (t - this.t > 1 / SAMPLE_HZ + 1e-9) {
      // A gap (the IMU was off): catch up, then average the last sample period.
      this.runTo(t - 1 / SAMPLE_HZ);
    }
    const f = this.runTo(t);
    const s = this.model.noiseG;
    return [
      Math.round((f[0] + s * this.noise()) * ONE_G_RAW),
      Math.round((f[1] + s * this.noise()) * ONE_G_RAW),
      Math.round((f[2] + s * this.noise()) * ONE_G_RAW),
    ];
  }
}
