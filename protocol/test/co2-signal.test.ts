import { describe, expect, it } from "vitest";
import {
  CO2_LEGAL_LIMIT_PPM,
  CO2_PRESETS,
  DEFAULT_CO2_PRESET,
  findCo2Preset,
  nextLevel,
} from "../src/co2-signal.js";

// Reference values from the documents themselves, not from the table under test.
const DOCUMENTED_RED: Record<string, number> = {
  bouwbesluit: 1200, // Regeling Bouwbesluit 2012 art. 3.5: signal at 1000 and 1200 ppm
  "frisse-scholen-a": 800,
  "frisse-scholen-b": 950,
  "frisse-scholen-c": 1200,
};

describe("CO2 presets", () => {
  it("red starts at each document's limit; the Bouwbesluit meter signals at 1000 and 1200", () => {
    expect(CO2_PRESETS.map((p) => [p.name, p.redPpm])).toEqual(Object.entries(DOCUMENTED_RED));
    const bb = findCo2Preset("bouwbesluit")!;
    expect([bb.orangePpm, bb.redPpm]).toEqual([1000, 1200]);
    expect(CO2_LEGAL_LIMIT_PPM).toBe(1200);
    expect(DEFAULT_CO2_PRESET.name).toBe("bouwbesluit");
  });
  it("orange warns 200 ppm before red and every preset names its source", () => {
    for (const p of CO2_PRESETS) {
      expect(p.redPpm - p.orangePpm).toBe(200);
      expect(p.hysteresisPpm).toBe(50);
      expect(p.source).toMatch(/Bouwbesluit|Frisse Scholen/);
      expect(p.source).toContain(String(p.redPpm));
    }
  });
  it("finds presets by name and by the firmware's old names", () => {
    expect(findCo2Preset("default")!.name).toBe("bouwbesluit");
    expect(findCo2Preset("A")!.name).toBe("frisse-scholen-a");
    expect(findCo2Preset("B")!.name).toBe("frisse-scholen-b");
    expect(findCo2Preset("C")!.name).toBe("frisse-scholen-c");
    expect(findCo2Preset("frisse-scholen-b")!.redPpm).toBe(950);
    expect(findCo2Preset("D")).toBeUndefined();
  });
});

describe("nextLevel", () => {
  const t = { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 50 };
  it("rises at once at a threshold", () => {
    expect(nextLevel(null, 999, t)).toBe("green");
    expect(nextLevel("none", 1000, t)).toBe("orange");
    expect(nextLevel("green", 1000, t)).toBe("orange");
    expect(nextLevel("green", 1200, t)).toBe("red");
    expect(nextLevel(null, 1199, t)).toBe("orange");
  });
  it("falls only below threshold minus hysteresis", () => {
    expect(nextLevel("orange", 999, t)).toBe("orange");
    expect(nextLevel("orange", 950, t)).toBe("orange");
    expect(nextLevel("orange", 949, t)).toBe("green");
    expect(nextLevel("red", 1150, t)).toBe("red");
    expect(nextLevel("red", 1149, t)).toBe("orange");
    expect(nextLevel("red", 960, t)).toBe("orange");
    expect(nextLevel("red", 949, t)).toBe("green");
  });
  it("no reading gives none; zero hysteresis follows the raw level", () => {
    expect(nextLevel("red", null, t)).toBe("none");
    const z = { orangePpm: 1000, redPpm: 1200, hysteresisPpm: 0 };
    expect(nextLevel("red", 1199, z)).toBe("orange");
    expect(nextLevel("orange", 999, z)).toBe("green");
  });
});
