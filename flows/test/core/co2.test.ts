import { describe, expect, it } from "vitest";
import { nextLevel } from "@leiden-iot/protocol";
import { presetNames, thresholdsOf } from "../../src/core/co2-levels.js";
import { FRESH_MEMORY, stepClassroom, type Reading } from "../../src/core/classroom-state.js";

const bb = { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 };
const reading = (time: number, co2Ppm: number | null): Reading => ({
  time,
  co2Ppm,
  temperature: 21,
  humidity: 45,
});

describe("co2 levels", () => {
  it("presets: the building rules' pair, and red at each Frisse Scholen class limit", () => {
    expect(presetNames()).toEqual([
      "bouwbesluit",
      "frisse-scholen-a",
      "frisse-scholen-b",
      "frisse-scholen-c",
    ]);
    expect(thresholdsOf("bouwbesluit")).toEqual(bb);
    const red = (p: string) => (thresholdsOf(p) as { redPpm: number }).redPpm;
    expect([red("frisse-scholen-a"), red("frisse-scholen-b"), red("frisse-scholen-c")]).toEqual([
      800, 950, 1200,
    ]);
    expect(nextLevel(null, 850, thresholdsOf("frisse-scholen-a") as typeof bb)).toBe("red");
    expect(nextLevel(null, 850, thresholdsOf("frisse-scholen-b") as typeof bb)).toBe("orange");
    expect(nextLevel(null, 1250, thresholdsOf("frisse-scholen-c") as typeof bb)).toBe("red");
  });
  it("rises at once but falls only below threshold minus hysteresis", () => {
    expect(nextLevel("green", 1210, bb)).toBe("red");
    expect(nextLevel("red", 1160, bb)).toBe("red");
    expect(nextLevel("red", 1149, bb)).toBe("orange");
    expect(nextLevel("orange", 960, bb)).toBe("orange");
    expect(nextLevel("orange", 949, bb)).toBe("green");
    expect(nextLevel("red", 900, bb)).toBe("green");
    expect(nextLevel(null, 1100, bb)).toBe("orange");
  });
  it("custom thresholds are checked", () => {
    expect(thresholdsOf("custom", { orangePpm: 900, redPpm: 1100 })).toEqual({
      orangePpm: 900,
      redPpm: 1100,
      hysteresisPpm: 50,
    });
    expect(thresholdsOf("custom", { orangePpm: 1300, redPpm: 1100 })).toMatch(/below the red/);
    expect(thresholdsOf("nope")).toMatch(/unknown preset/);
  });
});

describe("classroom state", () => {
  const rule = { abovePpm: 1200, forSeconds: 600 };
  it("alerts once after ten minutes above 1200 ppm and clears below it", () => {
    const readings = [0, 120, 240, 360, 480, 600, 720].map((t) => reading(1000 + t, 1300));
    const s = stepClassroom("p", FRESH_MEMORY, readings, false, bb, rule);
    expect(s.alerts).toHaveLength(1);
    expect(s.alerts[0]).toMatchObject({ type: "alert", since: 1000, time: 1600 });
    expect(s.signals.at(-1)!.advice.nl).toMatch(/Ventileer nu/);
    const again = stepClassroom("p", s.memory, [reading(1800, 1300)], false, bb, rule);
    expect(again.alerts).toHaveLength(0);
    const clear = stepClassroom("p", again.memory, [reading(1900, 1100)], false, bb, rule);
    expect(clear.alerts).toEqual([{ type: "cleared", pseudonym: "p", time: 1900, co2Ppm: 1100 }]);
  });
  it("a dip below the alert value restarts the ten minutes", () => {
    const ts = [0, 300, 400, 700, 900];
    const ppm = [1300, 1300, 1150, 1300, 1300];
    const s = stepClassroom(
      "p",
      FRESH_MEMORY,
      ts.map((t, i) => reading(t + 1, ppm[i]!)),
      false,
      bb,
      rule,
    );
    expect(s.alerts).toHaveLength(0);
  });
  it("skips readings not newer than the last one and reports no signal without CO2", () => {
    const a = stepClassroom("p", FRESH_MEMORY, [reading(10, 800)], false, bb, rule);
    const b = stepClassroom("p", a.memory, [reading(10, 1500), reading(5, 1500)], false, bb, rule);
    expect(b.signals).toHaveLength(0);
    const c = stepClassroom("p", a.memory, [reading(20, null)], false, bb, rule);
    expect(c.signals[0]).toMatchObject({ signal: "none", changed: true });
    const d = stepClassroom("p", a.memory, [reading(20, 700)], true, bb, rule);
    expect(d.signals[0]!.signal).toBe("none");
    expect(d.signals[0]!.advice.en).toMatch(/sensor/);
  });
});
