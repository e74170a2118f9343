// The simulator's physical models: the shaker arm's motion becomes accelerometer samples that the
// firmware's step counter reads as one step per swing (and as nothing when the arc is too small),
// and the chamber's valve and fan move CO2 the documented way.
import { STEP_COUNTER_DEFAULTS, StepCounter } from "@leiden-iot/firmware/sim";
import { describe, expect, it } from "vitest";
import { shakePlan } from "../src/rig/shaker.js";
import {
  ArmMotion,
  bandForce,
  G,
  ONE_G_RAW,
  SAMPLE_HZ,
  type ArmModel,
} from "../src/sim/arm-motion.js";
import { Chamber, OUTSIDE_PPM } from "../src/sim/chamber.js";

interface Shake {
  steps: number;
  /** Amplitude (g) of |a| at the swing frequency over the shaking: the signal in the gait band. */
  swingG: number;
}

/** N swings through the arm model and the firmware's step counter, 12.5 Hz, from rest to rest. */
function shake(
  swings: number,
  hz: number,
  from = 60,
  to = 120,
  model: Partial<ArmModel> = {},
): Shake {
  const arm = new ArmMotion(model, 90);
  const counter = new StepCounter();
  const t0 = 100;
  const moves = shakePlan({ restDeg: 90, fromDeg: from, toDeg: to }, swings, hz).map((m) => ({
    t: t0 + m.atMs / 1000,
    deg: m.angleDeg,
  }));
  const shakeEnd = moves[moves.length - 1]!.t;
  let next = 0;
  let re = 0;
  let im = 0;
  let n = 0;
  for (let k = Math.ceil((t0 - 10) * SAMPLE_HZ); k / SAMPLE_HZ < shakeEnd + 10; k++) {
    const t = k / SAMPLE_HZ;
    // The servo is commanded as time passes, like the IO plugin does; samples lag a little.
    while (next < moves.length && moves[next]!.t <= t) {
      arm.command(moves[next]!.deg, moves[next]!.t);
      next++;
    }
    const s = arm.sample(t);
    counter.push(s[0], s[1], s[2]);
    if (t >= t0 && t <= shakeEnd) {
      const d = Math.hypot(s[0], s[1], s[2]) / ONE_G_RAW - 1;
      re += d * Math.cos(2 * Math.PI * hz * t);
      im += d * Math.sin(2 * Math.PI * hz * t);
      n++;
    }
  }
  return { steps: counter.count, swingG: (2 * Math.hypot(re, im)) / Math.max(1, n) };
}

describe("bandForce (what the band's accelerometer measures)", () => {
  it("reads 1 g at rest at any arm angle, along the swing when the arm is level", () => {
    const m = { lengthM: 0.15, hangDeg: 0 };
    for (const deg of [0, 30, 60, 90, 120, 150]) {
      const f = bandForce(m, deg, 0, 0);
      expect(Math.hypot(...f)).toBeCloseTo(1, 9);
    }
    const level = bandForce(m, 90, 0, 0);
    expect(level[2]).toBeCloseTo(1, 9);
    expect(level[0]).toBeCloseTo(0, 9);
    expect(bandForce(m, 0, 0, 0)[0]).toBeCloseTo(-1, 9); // hanging: gravity along the arm
  });

  it("adds the centripetal (r w^2) and tangential (r alpha) accelerations", () => {
    const m = { lengthM: 0.2, hangDeg: 0 };
    const w = 180; // deg/s = pi rad/s
    const alpha = 360; // deg/s^2
    const still = bandForce(m, 90, 0, 0);
    const moving = bandForce(m, 90, w, alpha);
    expect((still[0] - moving[0]) * G).toBeCloseTo(0.2 * Math.PI * Math.PI, 9);
    expect((moving[2] - still[2]) * G).toBeCloseTo(0.2 * 2 * Math.PI, 9);
  });
});

describe("ArmMotion", () => {
  it("follows a command at the servo's top speed and settles at the target", () => {
    const arm = new ArmMotion({ noiseG: 0 }, 90);
    arm.command(150, 0);
    arm.sample(0.08);
    const after80ms = arm.angle();
    expect(after80ms).toBeGreaterThan(90);
    expect(after80ms).toBeLessThanOrEqual(90 + 300 * 0.08 + 1e-6);
    for (let k = 2; k <= 25; k++) arm.sample(k * 0.08);
    expect(arm.angle()).toBeCloseTo(150, 1);
    // At rest a level-ish arm reads 1 g in raw units (8192), without noise exactly.
    const s = arm.sample(2.08);
    expect(Math.hypot(...s) / ONE_G_RAW).toBeCloseTo(1, 3);
  });

  it("is reproducible: the same commands and seed give the same samples", () => {
    const run = () => {
      const arm = new ArmMotion({ seed: 7 }, 90);
      arm.command(120, 0);
      arm.command(60, 0.33);
      return Array.from({ length: 20 }, (_, k) => arm.sample((k + 1) / SAMPLE_HZ));
    };
    expect(run()).toEqual(run());
  });

  it("reads N swings as N steps through the firmware's step counter (one lift per swing)", () => {
    for (const [swings, hz] of [
      [100, 1.5],
      [40, 1.5],
      [60, 2],
    ] as const) {
      const r = shake(swings, hz);
      expect(Math.abs(r.steps - swings), `${swings} swings at ${hz} Hz`).toBeLessThanOrEqual(2);
    }
    // Arm length changes the acceleration, not the count.
    for (const lengthM of [0.1, 0.2])
      expect(Math.abs(shake(100, 1.5, 60, 120, { lengthM }).steps - 100)).toBeLessThanOrEqual(2);
  });

  it("counts nothing for an arc too small to move the wrist: too little acceleration", () => {
    const small = shake(100, 1.5, 89, 91);
    const full = shake(100, 1.5);
    expect(small.steps).toBe(0);
    // The reason is physical: at the swing frequency the wrist's acceleration stays below the
    // smallest peak the counter takes for a step, while the calibrated arc is far above it.
    expect(small.swingG).toBeLessThan(STEP_COUNTER_DEFAULTS.minPeakG);
    expect(full.swingG).toBeGreaterThan(4 * STEP_COUNTER_DEFAULTS.minPeakG);
  });

  it("double-counts an arm that hangs straight down at the centre of its swing", () => {
    // The band then rises at both ends of a swing: two bounces per swing (README: calibrating).
    const r = shake(100, 1.5, 60, 120, { hangDeg: 90 });
    expect(r.steps).toBeGreaterThanOrEqual(190);
  });
});

describe("Chamber", () => {
  it("rises with the valve open and falls towards outside air with the fan", () => {
    const c = new Chamber(600);
    c.valveOpen = true;
    for (let i = 0; i < 60; i++) c.step(1);
    expect(c.co2).toBeCloseTo(800, 5);
    c.valveOpen = false;
    c.fanOn = true;
    for (let i = 0; i < 3600; i++) c.step(1);
    expect(c.co2).toBeGreaterThan(OUTSIDE_PPM);
    expect(c.co2).toBeLessThan(OUTSIDE_PPM + 1);
  });
});
