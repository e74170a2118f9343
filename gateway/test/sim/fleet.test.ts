// The simulated fleet's classrooms follow a lesson profile with their own phase, so a demo shows
// every signal level at once, and their frames decode to those readings.
import { describe, expect, it } from "vitest";
import { decodeAdvert, fromHex } from "@leiden-iot/protocol";
import { classroomCo2, SimFleet, SIM_LESSON_SECONDS } from "../../src/sources/sim/fleet.js";
import { TEST_MASTER } from "../support/gateway.js";

describe("simulated classroom CO2", () => {
  it("stays within 450..1700 ppm and repeats every lesson", () => {
    for (let t = 1_795_425_000; t < 1_795_425_000 + 2 * SIM_LESSON_SECONDS; t += 7) {
      const v = classroomCo2(3, t);
      expect(v).toBeGreaterThanOrEqual(450);
      expect(v).toBeLessThanOrEqual(1700);
      expect(classroomCo2(3, t + SIM_LESSON_SECONDS)).toBeCloseTo(v, -1);
    }
  });
  it("shows green, orange and red rooms at the same moment across five classrooms", () => {
    const levels = new Set<string>();
    for (let t = 1_795_425_000; t < 1_795_425_000 + SIM_LESSON_SECONDS; t += 30) {
      const at = [0, 1, 2, 3, 4].map((i) => classroomCo2(100000 + i, t));
      if (at.some((v) => v < 1000) && at.some((v) => v >= 1200)) levels.add("mixed");
    }
    expect(levels.has("mixed")).toBe(true);
  });
  it("encodes the profile into signed classroom adverts with the matching signal", () => {
    const fleet = new SimFleet({
      masterKey: fromHex(TEST_MASTER)!,
      bands: 0,
      classrooms: 5,
      firstBandId: 1,
      firstClassroomId: 100000,
    });
    const now = 1_795_425_123;
    for (let i = 0; i < 5; i++) {
      const { frame, deviceId } = fleet.frame(now);
      const d = decodeAdvert(frame.ble!.data);
      if (!d.ok || d.value.kind !== "classroom") throw new Error("not a classroom advert");
      const co2 = classroomCo2(deviceId, now);
      expect(d.value.reading!.co2Ppm).toBe(co2);
      expect(d.value.status.signal).toBe(co2 < 1000 ? "green" : co2 < 1200 ? "orange" : "red");
    }
  });
});
