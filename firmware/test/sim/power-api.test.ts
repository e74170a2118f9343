// The simulator's public power API, as the HIL rig's relay and the espruino CLI's load() use it:
// powerOff/powerOn lose RAM, timers and the RTC but keep Storage; reload restarts the app from
// Storage with the clock and the IMU still running.
import { beforeAll, describe, expect, it } from "vitest";
import { localDayFromIso, localDayStart } from "@leiden-iot/protocol";
import { createSimulation, type Simulation } from "../../src/sim/simulation.js";
import { bandAdverts, ensureBundles, type HeardBand } from "./support.js";

beforeAll(() => ensureBundles(), 60_000);

const day = localDayFromIso("2026-11-12")!;
const start = localDayStart(day) + 9 * 3600;

function band(): Simulation {
  return createSimulation({
    device: "band",
    start,
    // 100 steps a minute from 09:05 on, for an hour
    walks: [{ start: start + 300, end: start + 3900, cadence: 100 }],
    timeBeacon: () => false, // no gateway clock: a lost RTC stays visibly unset
  });
}

const heard = (sim: Simulation): HeardBand[] => bandAdverts(sim.radio, sim.deviceKey);
const snapshot = (sim: Simulation): string => JSON.stringify(sim.storage.files);

describe("Simulation power API", () => {
  it("powerOff loses RAM and timers until powerOn; Storage survives; the RTC restarts at 0", () => {
    const sim = band();
    sim.advance(20 * 60 * 1000);
    const before = heard(sim);
    expect(before.length).toBeGreaterThan(0);
    expect(before.at(-1)!.flags.clockNotSet).toBe(false);
    expect(sim.sched.deviceTimers()).toBeGreaterThan(0);
    expect(sim.imu.steps).toBeGreaterThan(0);

    sim.powerOff();
    expect(sim.powered).toBe(false);
    expect(sim.sched.deviceTimers()).toBe(0);
    const stored = snapshot(sim);
    const lines = sim.radio.length;
    sim.advance(10 * 60 * 1000); // off: nothing runs, nothing is sent, nothing is written
    expect(sim.radio.length).toBe(lines);
    expect(snapshot(sim)).toBe(stored);
    expect(sim.powered).toBe(false);

    const offAt = sim.now() - 10 * 60;
    sim.powerOn();
    expect(sim.powered).toBe(true);
    // The RTC restarted from 0 and the app set it back to the time it last persisted: behind.
    expect(sim.deviceTime()).toBeLessThanOrEqual(offAt);
    expect(sim.imu.steps).toBe(0); // the IMU lost power too
    expect(sim.sched.deviceTimers()).toBeGreaterThan(0);
    expect(Object.keys(sim.storage.files)).toEqual(Object.keys(JSON.parse(stored)));
    sim.advance(10 * 60 * 1000);
    expect(sim.errors).toEqual([]);
    const after = heard(sim).slice(before.length);
    expect(after.length).toBeGreaterThan(0);
    // RAM was lost: the counter resumes from the ceiling reserved in Storage, not from RAM.
    expect(after[0]!.counter).toBeGreaterThan(before.at(-1)!.counter + 1);
    // The app came back from Storage with its persisted time, flagged as not set.
    expect(after[0]!.flags.clockNotSet).toBe(true);
    expect(after[0]!.day).toBe(day);
  });

  it("powerOn while powered and powerOff while off change nothing", () => {
    const sim = band();
    sim.advance(60 * 1000);
    const timers = sim.sched.deviceTimers();
    const t = sim.deviceTime();
    sim.powerOn();
    expect(sim.sched.deviceTimers()).toBe(timers);
    expect(sim.deviceTime()).toBe(t);
    sim.powerOff();
    sim.powerOff();
    expect(sim.powered).toBe(false);
  });

  it("reload restarts the app from Storage; the clock and the IMU run on", () => {
    const sim = band();
    sim.advance(20 * 60 * 1000);
    const before = heard(sim);
    const steps = sim.imu.steps;
    const deviceT = sim.deviceTime();
    const timers = sim.sched.deviceTimers();
    expect(steps).toBeGreaterThan(0);

    sim.reload();
    expect(sim.powered).toBe(true);
    expect(sim.deviceTime()).toBeCloseTo(deviceT, 6); // load() does not touch the RTC
    expect(sim.imu.steps).toBe(steps); // nor the IMU's counter
    expect(sim.sched.deviceTimers()).toBeGreaterThan(0);
    expect(sim.sched.deviceTimers()).toBeLessThanOrEqual(timers + 1); // the old ones are gone
    sim.advance(10 * 60 * 1000);
    expect(sim.errors).toEqual([]);
    const after = heard(sim).slice(before.length);
    expect(after.length).toBeGreaterThan(0);
    // A restarted app: the counter resumes from the reserved ceiling; the clock is still set.
    expect(after[0]!.counter).toBeGreaterThan(before.at(-1)!.counter + 1);
    expect(after.every((a) => !a.flags.clockNotSet)).toBe(true);
    // Today's total survived (from Storage) and keeps growing with the walk.
    expect(after.at(-1)!.steps).toBeGreaterThan(0);
  });

  it("reload refuses a device that is powered off", () => {
    const sim = band();
    sim.powerOff();
    expect(() => sim.reload()).toThrow(/powered off/);
  });
});
