// Steps walked in the last read interval before a local midnight belong to the day that ended
// (issue 13 item 4): the band reads its pedometer on wall-clock multiples of 5 minutes, also after
// its clock was set, and the read at 00:00 files the steps of 23:55-24:00 under the old day.
import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { createSimulation } from "../../src/sim/simulation.js";
import { bandAdverts, dayTotals, ensureBundles } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

describe("band: the evening's last steps stay on their day", () => {
  // a CET night and the night before the 25-hour Sunday at the end of summer time; a clock set
  // 137 s forward two hours before midnight (a beacon, a user) moves the device's midnight
  for (const iso of ["2026-11-10", "2026-10-24"]) {
    for (const board of ["puckjs2", "banglejs2"] as const) {
      for (const shift of [0, 137]) {
        it(`${board}, night after ${iso}, clock set ${shift} s forward: 23:50-24:00 on that day`, () => {
          const day = localDayFromIso(iso)!;
          const midnight = localDayStart(day + 1);
          const m = midnight - shift; // the device's midnight in world time (walks are world time)
          const sim = createSimulation({
            device: "band",
            board,
            start: midnight - 3 * 3600,
            walks: [
              { start: m - 600, end: m, cadence: 100 }, // 1000 steps, 23:50-24:00
              { start: m + 60, end: m + 480, cadence: 100 }, // 700 steps, 00:01-00:08
            ],
            goal: 100000,
          });
          sim.advanceTo(midnight - 2 * 3600);
          sim.jumpClock(shift);
          sim.advanceTo(midnight + 2 * 3600);
          expect(sim.errors).toEqual([]);
          const heard = bandAdverts(sim.radio, sim.deviceKey);
          expect(heard.every((a) => !a.flags.clockNotSet)).toBe(true);
          const totals = dayTotals(heard);
          expect(totals[day]).toBe(1000);
          expect(totals[day + 1]).toBe(700);
        });
      }
    }
  }
});
