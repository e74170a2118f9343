// Steps taken between the last read before midnight and midnight belong to the day they were
// taken on (issue 13 item 4): the band reads every 5 minutes, one read lands on midnight.
import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { addStepsOver } from "../../src/band/step-ledger.js";
import { createSimulation } from "../../src/sim/simulation.js";
import { bandAdverts, dayTotals, ensureBundles } from "../sim/support.js";

beforeAll(() => ensureBundles(), 60_000);

describe("addStepsOver", () => {
  const day = localDayFromIso("2026-03-28")!; // the night before the spring DST change
  const midnight = localDayStart(day + 1);

  it("a read at midnight credits the day that ended", () => {
    const d = addStepsOver([{ day: day, steps: 10 }], midnight - 300, midnight, 40);
    expect(d).toEqual([{ day: day, steps: 50 }]);
  });

  it("a read just after midnight splits by time", () => {
    const d = addStepsOver([{ day: day, steps: 0 }], midnight - 240, midnight + 60, 100);
    expect(d).toEqual([
      { day: day + 1, steps: 20 },
      { day: day, steps: 80 },
    ]);
  });

  it("a read within one day, a clock that went back and a long gap credit the read's day", () => {
    const noon = localDayStart(day) + 12 * 3600;
    expect(addStepsOver([], noon - 300, noon, 7)).toEqual([{ day: day, steps: 7 }]);
    expect(addStepsOver([], noon + 300, noon, 7)).toEqual([{ day: day, steps: 7 }]);
    expect(addStepsOver([], noon - 3 * 86400, noon, 7)).toEqual([{ day: day, steps: 7 }]);
  });

  it("the DST night: the 23-hour day ends at its own midnight", () => {
    const dstEnd = localDayStart(day + 2); // 29 March has 23 hours
    expect(dstEnd - localDayStart(day + 1)).toBe(23 * 3600);
    const d = addStepsOver([{ day: day + 1, steps: 0 }], dstEnd - 300, dstEnd, 30);
    expect(d).toEqual([{ day: day + 1, steps: 30 }]);
  });
});

describe("band: a walk that ends just before midnight", () => {
  for (const board of ["puckjs2", "banglejs2"] as const) {
    it(board + ": its steps stay on that day", () => {
      const day = localDayFromIso("2026-11-04")!;
      const midnight = localDayStart(day + 1);
      const sim = createSimulation({
        device: "band",
        board,
        start: localDayStart(day) + 20 * 3600,
        // 600 steps 23:40-23:46, 400 steps 23:56-23:59:50 (after the 23:55 read), 50 after midnight
        walks: [
          { start: midnight - 1200, end: midnight - 840, cadence: 100 },
          { start: midnight - 240, end: midnight - 10, cadence: (400 * 60) / 230 },
          { start: midnight + 30, end: midnight + 60, cadence: 100 },
        ],
        goal: 100000,
      });
      sim.advanceTo(midnight + 1800);
      expect(sim.errors).toEqual([]);
      const totals = dayTotals(bandAdverts(sim.radio, sim.deviceKey));
      expect(totals[day]).toBe(1000);
      expect(totals[day + 1]).toBe(50);
    });
  }
});
