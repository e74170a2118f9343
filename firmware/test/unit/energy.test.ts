import { describe, expect, it } from "vitest";
import { BAND_TIMING } from "../../src/band/band-app.js";
import { bandEnergy, TYPICAL } from "../../src/energy/band-energy.js";

describe("band energy model", () => {
  it("the Puck.js band lasts >= 12 months on a CR2032 with the firmware's duty cycle", () => {
    const e = bandEnergy("puckjs2", TYPICAL);
    expect(e.lifeMonths).toBeGreaterThanOrEqual(12);
    expect(e.totalUa).toBeLessThan(25);
  });
  it("follows the firmware constants: a faster advert interval costs battery life", () => {
    const fast = bandEnergy("puckjs2", TYPICAL, { ...BAND_TIMING, ADVERT_INTERVAL_MS: 375 });
    expect(fast.states.find((s) => s.state === "advertising")!.averageUa).toBeCloseTo(19, 5);
    expect(fast.lifeMonths).toBeLessThan(bandEnergy("puckjs2", TYPICAL).lifeMonths);
  });
  it("the Bangle.js 2 lasts weeks, not months", () => {
    const b = bandEnergy("banglejs2", TYPICAL);
    expect(b.lifeDays).toBeGreaterThan(14);
    expect(b.lifeDays).toBeLessThan(90);
  });
  it("Bangle.js 2 signs with the measured software AES; both boards pay one address change per epoch", () => {
    const b = bandEnergy("banglejs2", TYPICAL);
    const p = bandEnergy("puckjs2", TYPICAL);
    const signing = (e: typeof b) => e.states.find((s) => s.state === "frame signing")!.averageUa;
    // 1458 frames x 1337 ms + 96 identities x 656 ms a day at 4 mA
    expect(signing(b)).toBeCloseTo(((1458 * 1337 + 96 * 656) * 4) / 86400, 1);
    expect(signing(b)).toBeGreaterThan(40 * signing(p));
    for (const e of [b, p])
      expect(e.states.find((s) => s.state === "address changes")!.detail).toMatch(/^96 /);
  });
});
