// The pure rules scenarios judge by: the CO2 signal with hysteresis, reading the LED, the
// shaker's plan and the band's history as its adverts carry it.
import { describe, expect, it } from "vitest";
import type { BandAdvert } from "@leiden-iot/protocol";
import { colourOf, colourSequence, countPulses, normalise } from "../src/rig/light.js";
import { shakePlan } from "../src/rig/shaker.js";
import { powerCycleLossChecks } from "../src/scenarios/band-power-cycle.js";
import { expectedSignal, holdBand, signalViolations } from "../src/scenarios/co2-signal.js";
import { bandHistory, type HeardBand } from "../src/scenarios/watch.js";

describe("CO2 signal rule", () => {
  it("goes up at the thresholds and down only 50 ppm below them", () => {
    expect(expectedSignal(null, 999)).toBe("green");
    expect(expectedSignal("green", 1000)).toBe("orange");
    expect(expectedSignal("orange", 1200)).toBe("red");
    expect(expectedSignal("red", 1151)).toBe("red");
    expect(expectedSignal("red", 1149)).toBe("orange");
    expect(expectedSignal("orange", 951)).toBe("orange");
    expect(expectedSignal("orange", 949)).toBe("green");
    expect(expectedSignal("red", 900)).toBe("green");
    expect(holdBand(1200)).toEqual({ low: 1150, high: 1200 });
  });

  it("finds a device that drops without hysteresis", () => {
    const ok = [
      { co2: 600, signal: "green" },
      { co2: 1250, signal: "red" },
      { co2: 1180, signal: "red" },
      { co2: 1100, signal: "orange" },
      { co2: 940, signal: "green" },
    ];
    expect(signalViolations(ok)).toEqual([]);
    const noHysteresis = ok.map((r) => (r.co2 === 1180 ? { co2: 1180, signal: "orange" } : r));
    expect(signalViolations(noHysteresis)).toEqual([
      { index: 2, co2: 1180, got: "orange", expected: "red" },
    ]);
  });
});

describe("light", () => {
  it("reads colours the way a Puck shows them and counts pulses with hysteresis", () => {
    expect(colourOf({ red: 0.9, green: 0.8 })).toBe("orange");
    expect(colourOf({ red: 0.9, green: 0.1 })).toBe("red");
    expect(colourOf({ green: 0.7 })).toBe("green");
    expect(colourOf({ red: 0.1, green: 0.1 })).toBe("off");
    expect(normalise(315, 30, 600)).toBeCloseTo(0.5, 5);
    expect(normalise(5, 30, 600)).toBe(0);
    expect(countPulses([0, 0, 1, 1, 0.45, 1, 0, 0, 0.9, 0])).toBe(2);
    expect(colourSequence(["green", "off", "green", "orange", "red", "off", "green"])).toEqual([
      "green",
      "orange",
      "red",
      "green",
    ]);
  });
});

describe("shaker plan", () => {
  it("moves twice per swing at half-period intervals and ends at rest", () => {
    const p = shakePlan({ restDeg: 90, fromDeg: 60, toDeg: 120 }, 3, 2);
    expect(p.map((m) => m.atMs)).toEqual([0, 250, 500, 750, 1000, 1250, 1500]);
    expect(p.map((m) => m.angleDeg)).toEqual([120, 60, 120, 60, 120, 60, 90]);
    expect(() => shakePlan({ restDeg: 90, fromDeg: 60, toDeg: 120 }, 3, 9)).toThrow(/0-5 Hz/);
  });
});

describe("band history from adverts", () => {
  const advert = (
    counter: number,
    day: number,
    steps: number,
    backlog: BandAdvert["backlog"],
  ): HeardBand => ({
    at: counter,
    data: new Uint8Array(24),
    advert: {
      kind: "band",
      version: 1,
      eid: "00000000",
      mac: "00000000",
      counter,
      day,
      steps,
      backlog,
      batteryMv: 3000,
      flags: {
        goalReached: false,
        lowBattery: false,
        clockNotSet: false,
        storageFault: false,
        sensorFault: false,
      },
    },
  });
  it("keeps the newest value per absolute day, including backlog days", () => {
    const h = bandHistory([
      advert(5, 100, 10, { daysAgo: 1, steps: 500 }),
      advert(6, 100, 20, { daysAgo: 2, steps: 700 }),
      advert(4, 100, 99, null),
    ]);
    expect([...h.entries()].sort()).toEqual(
      [
        [100, 20],
        [98, 700],
        [99, 500],
      ].sort(),
    );
  });
});

describe("band-power-cycle verdict on today's count", () => {
  const judge = (todayBefore: number, todayAfter: number) =>
    powerCycleLossChecks({
      savedSwings: 40,
      unsavedSwings: 30,
      todayBefore: todayBefore,
      todayAfter: todayAfter,
      tolerance: 3,
    }).map((c) => c.ok);

  it("passes a band that keeps its hourly write and loses only the later steps", () => {
    expect(judge(71, 41)).toEqual([true, true]);
    expect(judge(71, 71)).toEqual([true, true]); // nothing lost: also fine
  });

  it("fails a band that never wrote today's steps (everything since midnight lost)", () => {
    // 40 saved + 30 unsaved before the cut, 0 after: the saved steps did not survive, and the
    // loss (70) is more than the 30 + 3 unsaved swings.
    expect(judge(71, 0)).toEqual([false, false]);
  });

  it("fails a band that loses more than the steps since its last write", () => {
    expect(judge(71, 36)).toEqual([false, false]);
    expect(judge(71, 37)).toEqual([true, false]); // lost 34 > 33
  });

  it("fails a band whose count grows across the cut", () => {
    expect(judge(71, 80)).toEqual([true, false]);
  });
});
