import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { BAND_TIMING } from "../../src/band/band-app.js";
import { SLOTS } from "../../src/band/band-store.js";
import { BANGLE_LIPO_LOW_MV } from "../../src/hal/banglejs2.js";
import { PUCK_CR2032_LOW_MV } from "../../src/hal/puckjs2.js";
import { createSimulation, type ScanDevice } from "../../src/sim/simulation.js";
import { stepsBetween, walkSteps, type WalkSession } from "../../src/sim/walk.js";
import { bandAdverts, dayTotals, DAY, ensureBundles, HOUR } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

function session(start: number, steps: number): WalkSession {
  return { start, end: start + (steps / 100) * 60, cadence: 100 };
}

describe("band: DST nights", () => {
  const cases: [string, string][] = [
    ["October (CEST -> CET, a 25-hour Sunday)", "2026-10-24"],
    ["March (CET -> CEST, a 23-hour Sunday)", "2027-03-27"],
  ];
  for (const c of cases) {
    it(c[0] + ": steps land on the right local day", () => {
      const sat = localDayFromIso(c[1])!;
      const sun = sat + 1;
      const mon = sat + 2;
      const walks = [
        session(localDayStart(sun) - 20 * 60, 1000), // Sat 23:40
        session(localDayStart(sun) + 10 * 60, 1100), // Sun 00:10
        session(localDayStart(sun) + 3 * 3600 + 5 * 60, 300), // Sun 03:05, just after the switch
        session(localDayStart(mon) - 20 * 60, 500), // Sun 23:40
        session(localDayStart(mon) + 10 * 60, 700), // Mon 00:10
      ];
      const sim = createSimulation({
        device: "band",
        start: localDayStart(sat) + 12 * 3600,
        walks,
      });
      sim.advanceTo(localDayStart(mon) + 12 * 3600);
      expect(sim.errors).toEqual([]);
      const t = dayTotals(bandAdverts(sim.radio, sim.deviceKey));
      expect(t[sat]).toBe(1000);
      expect(t[sun]).toBe(1900);
      expect(t[mon]).toBe(700);
    });
  }
});

const day1 = localDayFromIso("2026-11-10")!;

describe("band: battery swap", () => {
  it("keeps history, never reuses a counter, loses at most the unsaved hour", () => {
    const walks = [
      ...walkSteps(localDayStart(day1), 8000, 8),
      ...walkSteps(localDayStart(day1 + 1), 5000, 9),
    ];
    const cut = localDayStart(day1 + 1) + 11 * 3600 + 5 * 60; // mid-walk
    const off = 10 * 60;
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 3600,
      walks,
      timeBeacon: (t) => t < cut || t > cut + 3 * 3600,
    });
    sim.advanceTo(cut);
    const before = bandAdverts(sim.radio, sim.deviceKey);
    const maxBefore = Math.max(...before.map((a) => a.counter));
    sim.powerCut(off * 1000);
    sim.advance(off * 1000 + 60_000);
    // Back up: the RTC restarted from 0, so the band restored its last persisted time.
    expect(sim.deviceTime()).toBeLessThan(sim.now());
    expect(sim.now() - sim.deviceTime()).toBeLessThanOrEqual(
      BAND_TIMING.SAVE_INTERVAL_S + off + 600,
    );
    sim.advanceTo(localDayStart(day1 + 2) + 3600);
    expect(sim.errors).toEqual([]);
    const after = bandAdverts(sim.radio, sim.deviceKey).slice(before.length);
    expect(Math.min(...after.map((a) => a.counter))).toBeGreaterThan(maxBefore);
    expect(after.some((a) => a.flags.clockNotSet)).toBe(true);
    expect(after[after.length - 1]!.flags.clockNotSet).toBe(false); // a beacon fixed it
    expect(Math.abs(sim.deviceTime() - sim.now())).toBeLessThan(2);

    const t = dayTotals(bandAdverts(sim.radio, sim.deviceKey));
    expect(t[day1]).toBe(8000);
    const walked = 5000;
    const boundLost = stepsBetween(
      walks,
      cut - BAND_TIMING.SAVE_INTERVAL_S - BAND_TIMING.READ_INTERVAL_S,
      cut + off,
    );
    expect(t[day1 + 1]).toBeLessThanOrEqual(walked);
    expect(t[day1 + 1]).toBeGreaterThanOrEqual(walked - boundLost);
  });
});

describe("band: daily goal feedback", () => {
  for (const board of ["puckjs2", "banglejs2"] as const) {
    it(board + ": one signal per day when the goal is first reached", () => {
      const walks: WalkSession[] = [];
      for (let i = 0; i < 3; i++)
        walks.push(...walkSteps(localDayStart(day1 + i), i === 1 ? 2000 : 5000, 9));
      const sim = createSimulation({
        device: "band",
        board,
        start: localDayStart(day1) + 3600,
        walks,
        goal: 3000,
      });
      sim.advance(3 * DAY);
      const signals = board === "puckjs2" ? sim.pinEvents.filter((e) => e.ms) : sim.buzzes;
      // Day 1 and 3 reach 3000 steps, day 2 does not.
      expect(signals.length).toBe(2);
      expect(signals.map((s) => s.ms)).toEqual([
        BAND_TIMING.GOAL_PULSE_MS,
        BAND_TIMING.GOAL_PULSE_MS,
      ]);
      const heard = bandAdverts(sim.radio, sim.deviceKey);
      expect(heard.some((a) => a.day === day1 && a.flags.goalReached)).toBe(true);
      expect(heard.some((a) => a.day === day1 + 1 && a.flags.goalReached)).toBe(false);
      // A power cut on a goal day does not repeat the signal.
      sim.powerCut(1000);
      sim.advance(HOUR);
      expect((board === "puckjs2" ? sim.pinEvents.filter((e) => e.ms) : sim.buzzes).length).toBe(2);
    });
  }
});

describe("band: bad input", () => {
  it("corrupt Storage: starts clean, flags storageFault, keeps counting", () => {
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 3600,
      walks: walkSteps(localDayStart(day1), 3000, 8),
      provision: true,
    });
    sim.powerCut(1000);
    sim.storage.set(SLOTS[0]!, "garbage\u00ff\u0000");
    sim.storage.set(SLOTS[1]!, "1234|{not json");
    const n = sim.radio.length;
    sim.advance(DAY - 2 * HOUR);
    expect(sim.errors).toEqual([]);
    const heard = bandAdverts(sim.radio.slice(n), sim.deviceKey);
    expect(heard[0]!.flags.storageFault).toBe(true);
    expect(heard[heard.length - 1]!.steps).toBe(3000);
  });

  it("half-written newest slot and a wrong version: falls back to the older slot", () => {
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 3600,
      walks: walkSteps(localDayStart(day1), 4000, 8),
    });
    sim.advanceTo(localDayStart(day1 + 1) + 6 * 3600);
    sim.powerCut(1000);
    const newest = sim.storage.writes[sim.storage.writes.length - 1]!.name;
    const other = newest === SLOTS[0] ? SLOTS[1]! : SLOTS[0]!;
    const text = sim.storage.files[newest]!;
    sim.storage.set(newest, text.substring(0, Math.floor(text.length / 2)));
    const n = sim.radio.length;
    sim.advance(2 * HOUR);
    let heard = bandAdverts(sim.radio.slice(n), sim.deviceKey);
    expect(heard[0]!.flags.storageFault).toBe(true);
    expect(dayTotals(heard)[day1]).toBe(4000);
    // Wrong version with a valid checksum is refused too.
    sim.powerCut(1000);
    const body = JSON.stringify({ v: 99, seq: 1e6, days: [], ctr: 0, time: 0, goal: -1, sync: 0 });
    sim.storage.set(newest, "0|" + body);
    sim.storage.set(other, "0|" + body);
    const m = sim.radio.length;
    sim.advance(HOUR);
    heard = bandAdverts(sim.radio.slice(m), sim.deviceKey);
    expect(heard[0]!.flags.storageFault).toBe(true);
    expect(sim.errors).toEqual([]);
  });

  it("a clock jump is flagged, steps keep counting, and a beacon repairs it", () => {
    const day = day1 + 3;
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day) + 6 * 3600,
      walks: walkSteps(localDayStart(day), 3000, 8),
      timeBeacon: (t) => t > localDayStart(day) + 12 * 3600,
    });
    sim.advanceTo(localDayStart(day) + 7 * 3600);
    sim.jumpClock(-2 * 86400);
    sim.advance(HOUR);
    let heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard[heard.length - 1]!.flags.clockNotSet).toBe(true);
    sim.advanceTo(localDayStart(day) + 14 * 3600);
    heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard[heard.length - 1]!.flags.clockNotSet).toBe(false);
    expect(Math.abs(sim.deviceTime() - sim.now())).toBeLessThan(2);
    expect(heard[heard.length - 1]!.steps).toBe(3000);
    expect(sim.errors).toEqual([]);
  });

  it("an IMU that stops answering raises sensorFault and recovers", () => {
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 6 * 3600,
      walks: walkSteps(localDayStart(day1), 3000, 8),
    });
    sim.advance(HOUR);
    sim.imu.fault = true;
    sim.advance(HOUR);
    let heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard[heard.length - 1]!.flags.sensorFault).toBe(true);
    sim.imu.fault = false;
    sim.advance(12 * HOUR);
    heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard[heard.length - 1]!.flags.sensorFault).toBe(false);
    expect(heard[heard.length - 1]!.steps).toBeGreaterThan(0);
    expect(sim.errors).toEqual([]);
  });
});

describe("band: flags and clock keeping", () => {
  it("a low battery raises lowBattery", () => {
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 3600,
      batteryMv: 2400,
    });
    sim.advance(HOUR);
    const heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard[heard.length - 1]!.flags.lowBattery).toBe(true);
    expect(heard[heard.length - 1]!.batteryMv).toBe(2400);
  });

  it("a battery that sags mid-day shows in the adverts within one read interval, with hysteresis", () => {
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 3600,
      batteryMv: 2900,
    });
    sim.advance(HOUR);
    const last = () => bandAdverts(sim.radio, sim.deviceKey).pop()!;
    expect(last().flags.lowBattery).toBe(false);
    sim.batteryMv = 2450;
    sim.advance((BAND_TIMING.READ_INTERVAL_S + 5) * 1000);
    expect(last().flags.lowBattery).toBe(true);
    sim.batteryMv = PUCK_CR2032_LOW_MV + 20; // inside the hysteresis band: stays low
    sim.advance(HOUR);
    expect(last().flags.lowBattery).toBe(true);
    sim.batteryMv = 3000;
    sim.advance((BAND_TIMING.READ_INTERVAL_S + 5) * 1000);
    expect(last().flags.lowBattery).toBe(false);
    expect(sim.errors).toEqual([]);
  });

  it("the time-beacon scan keeps only Espruino (0x0590) adverts: a busy room cannot fill RAM", () => {
    // 40 phones and beacons of other makers, each with a full advert.
    const neighbours: ScanDevice[] = [];
    for (let i = 0; i < 40; i++)
      neighbours.push({
        id: "aa:bb:cc:dd:ee:" + (16 + i).toString(16) + " random",
        rssi: -70,
        manufacturer: i % 2 ? 0x004c : 0x0006,
        manufacturerData: new Array(24).fill(i),
      });
    const sim = createSimulation({
      device: "band",
      start: localDayStart(day1) + 3600,
      neighbours,
    });
    sim.advance(2 * HOUR);
    expect(sim.scans.length).toBeGreaterThan(0);
    for (const s of sim.scans) {
      expect(s.heard).toBe(41);
      expect(s.delivered.length).toBe(1);
      expect(s.delivered[0]!.manufacturer).toBe(0x0590);
    }
    // The beacon still sets the clock.
    expect(bandAdverts(sim.radio, sim.deviceKey).pop()!.flags.clockNotSet).toBe(false);
    expect(sim.errors).toEqual([]);
  });

  it("Bangle.js 2 (LiPo): lowBattery at its own threshold, with the same hysteresis", () => {
    const sim = createSimulation({
      device: "band",
      board: "banglejs2",
      start: localDayStart(day1) + 3600,
    });
    sim.advance(HOUR);
    const last = () => bandAdverts(sim.radio, sim.deviceKey).pop()!;
    expect(last().flags.lowBattery).toBe(false); // the simulator's full LiPo
    sim.batteryMv = BANGLE_LIPO_LOW_MV - 50; // far above a coin cell's threshold, yet a low LiPo
    sim.advance((BAND_TIMING.READ_INTERVAL_S + 5) * 1000);
    expect(last().flags.lowBattery).toBe(true);
    sim.batteryMv = BANGLE_LIPO_LOW_MV + BAND_TIMING.LOW_BATTERY_HYSTERESIS_MV - 10; // inside
    sim.advance(HOUR);
    expect(last().flags.lowBattery).toBe(true);
    sim.batteryMv = BANGLE_LIPO_LOW_MV + BAND_TIMING.LOW_BATTERY_HYSTERESIS_MV + 10;
    sim.advance((BAND_TIMING.READ_INTERVAL_S + 5) * 1000);
    expect(last().flags.lowBattery).toBe(false);
    expect(sim.errors).toEqual([]);
  });

  it("a drifted clock is pulled back by at most MAX_SLEW_S per daily beacon", () => {
    const sim = createSimulation({ device: "band", start: localDayStart(day1) + 3600 });
    sim.advance(HOUR);
    sim.jumpClock(300); // small enough not to look like a jump: drift
    const errors: number[] = [];
    for (let d = 0; d < 4; d++) {
      sim.advance(DAY);
      errors.push(Math.round(sim.deviceTime() - sim.now()));
    }
    expect(errors).toEqual([180, 60, 0, 0]);
    const heard = bandAdverts(sim.radio, sim.deviceKey);
    expect(heard.every((a) => !a.flags.clockNotSet)).toBe(true);
  });
});
