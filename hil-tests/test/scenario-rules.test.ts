// The pure rules scenarios judge by: the CO2 signal with hysteresis, reading the LED, the
// shaker's plan and the band's history as its adverts carry it.
import { describe, expect, it } from "vitest";
import { roundHalfUp, type BandAdvert } from "@leiden-iot/protocol";
import { colourOf, colourSequence, countPulses, normalise } from "../src/rig/light.js";
import { shakePlan } from "../src/rig/shaker.js";
import { powerCycleLossChecks } from "../src/scenarios/band-power-cycle.js";
import {
  expectedSignal,
  holdBand,
  judgeLoraEntries,
  signalViolations,
} from "../src/scenarios/co2-signal.js";
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

describe("LoRa entries against the measured CO2 readings", () => {
  // A reading a minute, rising 1000 -> 1190 ppm (test clock ms, entry times in s).
  const measured = Array.from({ length: 20 }, (_, i) => ({ at: i * 60_000, co2: 1000 + 10 * i }));

  it("strict when entries are raw readings: each must be a measured value", () => {
    const raw = [measured.slice(0, 10).map((m) => ({ time: m.at / 1000, co2Ppm: m.co2 }))];
    expect(judgeLoraEntries(measured, raw, 60).every((v) => v.ok && v.aggregate === 1)).toBe(true);
    const off = [[...raw[0]!.slice(0, 9), { time: 540, co2Ppm: 1091 }]];
    const v = judgeLoraEntries(measured, off, 60);
    expect(v.filter((x) => !x.ok).map((x) => x.co2)).toEqual([1091]);
  });

  it("accepts averages of 2 or 5 readings over each entry's window (no entry is a reading)", () => {
    for (const k of [2, 5]) {
      const entries = [];
      for (let j = 0; (j + 1) * k <= 20; j++) {
        const w = measured.slice(j * k, (j + 1) * k);
        const mean = roundHalfUp(w.reduce((a, m) => a + m.co2, 0) / k);
        entries.push({ time: w[k - 1]!.at / 1000, co2Ppm: mean });
      }
      // Two uplinks, the second a lone entry (its interval from the gap to the previous one).
      const uplinks = [entries.slice(0, -1), entries.slice(-1)];
      const v = judgeLoraEntries(measured, uplinks, 60);
      expect(v.map((x) => x.aggregate)).toEqual(entries.map(() => k));
      expect(v.filter((x) => !x.ok)).toEqual([]);
      // The old rule (every LoRa value is a measured one) would have failed correct firmware:
      // a mean of two readings 10 ppm apart is none of them.
      const values = new Set(measured.map((m) => m.co2));
      if (k === 2) expect(entries.every((e) => !values.has(e.co2Ppm))).toBe(true);
    }
  });

  it("rejects an averaged entry that is not its window's mean", () => {
    const uplinks = [
      [
        { time: 60, co2Ppm: 1005 }, // mean of 1000, 1010
        { time: 180, co2Ppm: 1100 }, // window 1020, 1030: wrong
        { time: 300, co2Ppm: 1045 }, // mean of 1040, 1050
        { time: 420, co2Ppm: 1010 }, // window 1060, 1070: below it
      ],
    ];
    const v = judgeLoraEntries(measured, uplinks, 60);
    expect(v.map((x) => x.aggregate)).toEqual([2, 2, 2, 2]);
    expect(v.map((x) => x.ok)).toEqual([true, false, true, false]);
    // An entry with no measured reading in its window cannot be judged: it fails.
    const late = judgeLoraEntries(
      measured,
      [
        [
          { time: 5000, co2Ppm: 1000 },
          { time: 5120, co2Ppm: 1000 },
        ],
      ],
      60,
    );
    expect(late.every((x) => !x.ok)).toBe(true);
  });
});
