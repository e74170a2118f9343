// The classroom batch ring (typed arrays, fixed size) and protocol's rounding rule for averages.
import { describe, expect, it } from "vitest";
import { decodeUplink, MAX_BATCH_READINGS, roundHalfUp } from "@leiden-iot/protocol";
import {
  addReading,
  BATCH_ENCODE_MAX,
  dropSent,
  entryAt,
  newBuffer,
  prepareBatch,
} from "../src/classroom/batch.js";

const power = { external: true, batteryPercent: null };
const status = {
  signal: "green" as const,
  calibration: "auto" as const,
  sensorFault: false,
  clockNotSet: false,
  restarted: false,
};

describe("roundHalfUp (protocol's rounding rule)", () => {
  it("rounds halves up, negative ones towards zero, unlike Espruino's Math.round", () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5].map(roundHalfUp)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect([-2.6, -2.4, 2.4, 2.6].map(roundHalfUp)).toEqual([-3, -2, 2, 3]);
  });
  it("averages sub-zero temperatures with it: -15 and -20 deci-C -> -17, not -18", () => {
    const b = newBuffer();
    addReading(b, { co2Ppm: 401, temperatureDeci: -15, humidityHalfPercent: 91 }, 2, 0);
    addReading(b, { co2Ppm: 402, temperatureDeci: -20, humidityHalfPercent: 90 }, 2, 60);
    expect(entryAt(b, 0)).toEqual({ co2Ppm: 402, temperatureDeci: -17, humidityHalfPercent: 91 });
  });
});

describe("batch ring", () => {
  it("keeps the newest MAX_BATCH_READINGS entries, oldest dropped, seq continuous", () => {
    const b = newBuffer();
    const total = MAX_BATCH_READINGS + 30;
    for (let i = 0; i < total; i++)
      addReading(b, { co2Ppm: 400 + i, temperatureDeci: -50 + i, humidityHalfPercent: 80 }, 1, i);
    expect(b.count).toBe(MAX_BATCH_READINGS);
    expect(b.seq).toBe(30);
    expect(entryAt(b, 0).co2Ppm).toBe(430);
    expect(entryAt(b, MAX_BATCH_READINGS - 1).co2Ppm).toBe(400 + total - 1);
    // Sent in batches of at most BATCH_ENCODE_MAX, in order, until empty.
    const seen: number[] = [];
    let seq = 30;
    for (;;) {
      const p = prepareBatch(b, 222, 60, power, status, total);
      if (!p) break;
      expect(p.count).toBeLessThanOrEqual(BATCH_ENCODE_MAX);
      const d = decodeUplink(p.fPort, p.bytes);
      if (!d.ok || d.value.kind !== "batch") throw new Error("not a batch");
      expect(d.value.seq).toBe(seq);
      seq += d.value.readings.length;
      for (const r of d.value.readings) seen.push(r.co2Ppm);
      dropSent(b, p.count);
    }
    expect(seen).toEqual(Array.from({ length: MAX_BATCH_READINGS }, (_, i) => 430 + i));
    expect(b.count).toBe(0);
    expect(b.seq).toBe(total);
  });
});
