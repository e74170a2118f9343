// The simulator's physical models: the shaker arm's servo moves become exactly one step per
// swing, and the chamber's valve and fan move CO2 the documented way.
import { describe, expect, it } from "vitest";
import { shakePlan } from "../src/rig/shaker.js";
import { Chamber, OUTSIDE_PPM } from "../src/sim/chamber.js";
import { ShakerMechanics, type StepSession } from "../src/sim/shaker-mechanics.js";

function run(m: ShakerMechanics, t0: number, swings: number, hz: number, from = 60, to = 120) {
  const steps: StepSession[] = [];
  for (const mv of shakePlan({ restDeg: 90, fromDeg: from, toDeg: to }, swings, hz)) {
    const s = m.move(mv.angleDeg, t0 + mv.atMs / 1000);
    if (s) steps.push(s);
  }
  return steps;
}

describe("ShakerMechanics", () => {
  it("counts N swings as N steps, each one step long, across consecutive shakes", () => {
    const m = new ShakerMechanics();
    m.move(90, 0);
    const a = run(m, 10, 100, 1.5);
    const b = run(m, 200, 7, 2);
    expect(a).toHaveLength(100);
    expect(b).toHaveLength(7);
    for (const s of [...a, ...b]) {
      const stepsIn = ((s.end - s.start) * s.cadence) / 60;
      expect(stepsIn).toBeGreaterThanOrEqual(1);
      expect(stepsIn).toBeLessThan(1.00001);
    }
    // Every step spans one swing period, also the first swing after the arm rested.
    for (const s of a) expect(s.end - s.start).toBeCloseTo(1 / 1.5, 6);
    for (const s of b) expect(s.end - s.start).toBeCloseTo(1 / 2, 6);
  });

  it("ignores arcs too small for the pedometer and shudders too fast to be steps", () => {
    const m = new ShakerMechanics();
    m.move(90, 0);
    expect(run(m, 1, 20, 1.5, 85, 95)).toHaveLength(0);
    expect(run(m, 100, 20, 5)).toHaveLength(20); // 5 Hz (the rig maximum): still steps
    const fast = new ShakerMechanics();
    fast.move(90, 0);
    let n = 0;
    for (let i = 0; i < 40; i++) if (fast.move(i % 2 ? 60 : 120, 1 + i * 0.05)) n++;
    expect(n).toBe(0);
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
