// The simulated IMU's step detector is the project's software step counter (src/steps), fed with
// synthetic 12.5 Hz wrist samples: the band's totals then come from a real detector, not a script.
import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { createSimulation } from "../../src/sim/simulation.js";
import { walkSteps } from "../../src/sim/walk.js";
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
});
