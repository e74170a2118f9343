// The simulated IMU's step detector is the project's software step counter (src/steps), fed with
// synthetic 12.5 Hz wrist samples: the band's totals then come from a real detector, not a script.
import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { createSimulation } from "../../src/sim/simulation.js";
import { SAMPLE_HZ, type WristSource } from "../../src/sim/imu-sim.js";
import { gaitSample, walkSteps } from "../../src/sim/walk.js";
import { StepCounter } from "../../src/steps/step-counter.js";
import { bandAdverts, dayTotals, ensureBundles } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

describe("simulated accelerometer path", () => {
  for (const board of ["puckjs2", "banglejs2"] as const) {
    it(board + ": a synthetic walk through the software step counter reaches the adverts", () => {
      const day = localDayFromIso("2026-11-12")!;
      const sim = createSimulation({
        device: "band",
        board,
        start: localDayStart(day) + 3600,
        walks: walkSteps(localDayStart(day), 4000, 8),
        imu: "samples",
        stepDetector: () => new StepCounter(),
      });
      sim.advance(20 * 3600 * 1000);
      expect(sim.errors).toEqual([]);
      const total = dayTotals(bandAdverts(sim.radio, sim.deviceKey))[day]!;
      expect(total).toBe(sim.imu.steps);
      expect(Math.abs(total - 4000)).toBeLessThanOrEqual(200);
    });
  }

  it("a wrist source is the accelerometer: every 12.5 Hz sample, through the firmware's counter", () => {
    const day = localDayFromIso("2026-11-12")!;
    const start = localDayStart(day) + 9 * 3600;
    const walkFrom = start + 600;
    const walkTo = walkFrom + 300; // 5 minutes at 120 steps/min
    const times: number[] = [];
    const wrist: WristSource = {
      sample(t) {
        times.push(t);
        return t >= walkFrom && t < walkTo ? gaitSample(t - walkFrom, 120) : [0, 0, 8192];
      },
    };
    // No stepDetector given: "samples" mode defaults to the software StepCounter.
    const sim = createSimulation({ device: "band", start, imu: "samples", wrist });
    sim.advance(3600 * 1000);
    expect(sim.errors).toEqual([]);
    // Sampled continuously on the 12.5 Hz grid while the IMU is on, rest included.
    expect(times.length).toBeGreaterThan(0.9 * 3600 * SAMPLE_HZ);
    for (let i = 1; i < times.length; i++)
      expect(Math.round((times[i]! - times[i - 1]!) * SAMPLE_HZ)).toBe(1);
    expect(Math.abs(sim.imu.steps - 600)).toBeLessThanOrEqual(30);
    const total = dayTotals(bandAdverts(sim.radio, sim.deviceKey))[day]!;
    expect(total).toBe(sim.imu.steps);
    // The walk schedule is not the accelerometer any more while a wrist source is attached.
    sim.walks.push({ start: sim.now(), end: sim.now() + 600, cadence: 100 });
    const was = sim.imu.steps;
    sim.advance(900 * 1000);
    expect(sim.imu.steps).toBe(was);
  });
});
