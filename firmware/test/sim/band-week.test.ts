import { beforeAll, describe, expect, it } from "vitest";
import { localDay, localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { BAND_TIMING } from "../../src/band/band-app.js";
import { createSimulation } from "../../src/sim/simulation.js";
import { walkSteps, type WalkSession } from "../../src/sim/walk.js";
import { bandAdverts, dayTotals, DAY, ensureBundles } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

const monday = localDayFromIso("2026-11-02")!; // a Monday in CET
const stepsOn = [6100, 7250, 8400, 5300, 9900, 12345, 3210]; // Mon..Sun

function week(): WalkSession[] {
  const w: WalkSession[] = [];
  for (let i = 0; i < 7; i++) w.push(...walkSteps(localDayStart(monday + i), stepsOn[i]!, 9));
  return w;
}

/** A gateway at work: in range Monday-Friday 08:00-17:00 local (CET = UTC+1). */
function atWork(t: number): boolean {
  const day = localDay(t);
  const weekday = (day - monday) % 7; // 0 = Monday
  const hour = (t - localDayStart(day)) / 3600;
  return weekday < 5 && hour >= 8 && hour < 17;
}

describe("band: a week with a weekend away from any gateway", () => {
  for (const board of ["puckjs2", "banglejs2"] as const) {
    it(board + ": all 7 day totals reach the radio stream, signed and in order", () => {
      const sim = createSimulation({
        device: "band",
        board,
        start: localDayStart(monday) + 3600,
        walks: week(),
        gatewayInRange: atWork,
        goal: 100000,
      });
      sim.advanceTo(localDayStart(monday + 7) + 12 * 3600); // next Monday noon
      expect(sim.errors).toEqual([]);
      const heard = bandAdverts(sim.radio, sim.deviceKey);
      expect(heard.length).toBeGreaterThan(100);
      // Every frame verified (bandAdverts drops frames whose MAC fails): none was dropped.
      expect(heard.length).toBe(sim.radio.filter((l) => l.channel === "ble").length);

      const totals = dayTotals(heard);
      for (let i = 0; i < 7; i++) expect(totals[monday + i], "day " + i).toBe(stepsOn[i]);

      // Saturday's and Sunday's totals were only heard after the weekend.
      const nextMonday = localDayStart(monday + 7);
      const sat = heard.filter(
        (a) =>
          a.backlog && a.day - a.backlog.daysAgo === monday + 5 && a.backlog.steps === stepsOn[5],
      );
      expect(sat.length).toBeGreaterThan(0);
      expect(Math.min(...sat.map((a) => a.t))).toBeGreaterThanOrEqual(nextMonday);
      expect(heard.filter((a) => a.t > localDayStart(monday + 5) && a.t < nextMonday)).toEqual([]);

      // Counters strictly increase in the order frames went on air; ids and addresses rotate.
      for (let i = 1; i < heard.length; i++)
        if (heard[i]!.t > heard[i - 1]!.t)
          expect(heard[i]!.counter).toBeGreaterThan(heard[i - 1]!.counter);
      // A counter is never reused for different content (the same frame is heard again when a
      // gateway comes into range: that is a repeat, not a reuse).
      const byCounter: Record<number, string> = {};
      for (const a of heard) {
        const key = a.day + "/" + a.steps + "/" + JSON.stringify(a.backlog) + "/" + a.mac;
        expect(byCounter[a.counter] ?? key).toBe(key);
        byCounter[a.counter] = key;
      }
      expect(new Set(heard.map((a) => a.eid)).size).toBeGreaterThan(30);
      expect(new Set(heard.map((a) => a.address)).size).toBe(new Set(heard.map((a) => a.eid)).size);
      // Non-connectable, and the whole backlog rotates in one advertising call.
      expect(sim.advert.options.connectable).toBe(false);
      expect(sim.advert.packets.length).toBe(8); // today + 7 backlog days
      expect(sim.advert.options.interval).toBe(BAND_TIMING.ADVERT_INTERVAL_MS);

      // Flash writes stay within the documented bound (<= 28 a day).
      const days = (sim.now() - (localDayStart(monday) + 3600)) / 86400;
      expect(sim.storage.writes.length / days).toBeLessThanOrEqual(28);
    });
  }

  it("the clock stays set: the daily beacon scan keeps the flag clear", () => {
    const sim = createSimulation({
      device: "band",
      start: localDayStart(monday) + 9 * 3600,
      gatewayInRange: atWork,
    });
    sim.advance(2 * DAY);
    const heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard.every((a) => !a.flags.clockNotSet)).toBe(true);
  });
});
