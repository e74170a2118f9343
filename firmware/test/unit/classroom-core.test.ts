import { describe, expect, it } from "vitest";
import { EU868_MAX_PAYLOAD, decodeUplink, loraAirtimeMs } from "@leiden-iot/protocol";
import {
  addReading,
  dropSent,
  newBuffer,
  prepareBatch,
  skipReading,
} from "../../src/classroom/batch.js";
import {
  commandBytes,
  crc8,
  encodeMeasurement,
  parseWords,
  toReading,
} from "../../src/classroom/scd4x.js";
import { defaultSettings } from "../../src/classroom/classroom-settings.js";
import { nextSignal } from "../../src/classroom/signal.js";
import {
  batchBytesBound,
  DAILY_AIRTIME_BUDGET_MS,
  planUplinks,
} from "../../src/classroom/uplink-plan.js";

describe("SCD4x codec", () => {
  it("CRC-8 matches Sensirion's datasheet example (0xBEEF -> 0x92)", () => {
    expect(crc8(0xbe, 0xef)).toBe(0x92);
    expect(commandBytes(0x362f, 400)).toEqual([0x36, 0x2f, 0x01, 0x90, crc8(0x01, 0x90)]);
  });
  it("parses a measurement and rejects a flipped CRC", () => {
    const raw = encodeMeasurement(812, 21.5, 40);
    expect(toReading(parseWords(raw, 3)!)).toEqual({
      co2Ppm: 812,
      temperatureDeci: 215,
      humidityHalfPercent: 80,
    });
    raw[5] = raw[5]! ^ 1;
    expect(parseWords(raw, 3)).toBeNull();
    expect(parseWords([1, 2], 1)).toBeNull();
  });
});

describe("signal", () => {
  // The rule itself is tested in protocol/test/co2-signal.test.ts and swept against the
  // dashboard in test/co2-signal-sweep.test.ts; here: the node starts from the configured preset.
  it("starts from the liot.cfg preset, old names included, and the legal pair by default", () => {
    expect(defaultSettings("default").thresholds).toEqual({
      orangePpm: 1000,
      redPpm: 1200,
      hysteresisPpm: 50,
    });
    expect(defaultSettings("A").thresholds.redPpm).toBe(800);
    expect(defaultSettings("frisse-scholen-b").thresholds.redPpm).toBe(950);
    expect(defaultSettings("no-such-preset").thresholds.redPpm).toBe(1200);
  });
  it("holds orange down to threshold - hysteresis", () => {
    const t = defaultSettings("default").thresholds;
    expect(nextSignal("orange", 950, t)).toBe("orange");
    expect(nextSignal("orange", 949, t)).toBe("green");
  });
});

describe("uplink plan", () => {
  for (let dr = 0; dr <= 5; dr++) {
    it("DR" + dr + ": fits the payload limit and the daily budget", () => {
      const p = planUplinks(dr, 60, 10, DAILY_AIRTIME_BUDGET_MS);
      expect(p.bytesPerUplink).toBeLessThanOrEqual(EU868_MAX_PAYLOAD[dr]!);
      expect(p.airtimeMsPerDay).toBeLessThanOrEqual(DAILY_AIRTIME_BUDGET_MS);
      expect((p.uplinkMinutes * 60) / p.batchIntervalSeconds).toBe(p.readingsPerUplink);
      const perDay =
        (1440 / p.uplinkMinutes) * loraAirtimeMs(batchBytesBound(p.readingsPerUplink), 12 - dr);
      expect(perDay).toBeLessThan(DAILY_AIRTIME_BUDGET_MS);
    });
  }
  it("keeps minute resolution at DR5 and averages at DR0", () => {
    expect(planUplinks(5, 60, 10, DAILY_AIRTIME_BUDGET_MS).aggregate).toBe(1);
    expect(planUplinks(0, 60, 10, DAILY_AIRTIME_BUDGET_MS).aggregate).toBeGreaterThan(1);
  });
});

describe("batch buffer", () => {
  it("encodes the largest prefix that fits and keeps seq continuous", () => {
    const b = newBuffer();
    for (let i = 0; i < 30; i++)
      addReading(
        b,
        { co2Ppm: 500 + i * 300, temperatureDeci: 200, humidityHalfPercent: 90 },
        1,
        i * 60,
      );
    const power = { external: true, batteryPercent: null };
    const status = {
      signal: "green" as const,
      calibration: "auto" as const,
      sensorFault: false,
      clockNotSet: false,
      restarted: false,
    };
    const p = prepareBatch(b, 51, 60, power, status, 30 * 60)!;
    expect(p.bytes.length).toBeLessThanOrEqual(51);
    expect(p.count).toBeLessThan(30);
    const d = decodeUplink(p.fPort, p.bytes);
    expect(d.ok && d.value.kind === "batch" && d.value.readings.length).toBe(p.count);
    dropSent(b, p.count);
    expect(b.seq).toBe(p.count);
    expect(b.count).toBe(30 - p.count);
  });

  const power = { external: true, batteryPercent: null };
  const status = {
    signal: "green" as const,
    calibration: "auto" as const,
    sensorFault: false,
    clockNotSet: false,
    restarted: false,
  };
  const reading = (co2: number) => ({ co2Ppm: co2, temperatureDeci: 200, humidityHalfPercent: 90 });
  const batchOf = (b: ReturnType<typeof newBuffer>, now: number) => {
    const p = prepareBatch(b, 222, 60, power, status, now)!;
    const d = decodeUplink(p.fPort, p.bytes);
    if (!d.ok || d.value.kind !== "batch") throw new Error("not a batch");
    dropSent(b, p.count);
    return d.value;
  };

  it("a sensor fault while readings are buffered splits the batch and leaves a seq gap", () => {
    const b = newBuffer();
    for (let i = 0; i < 3; i++) addReading(b, reading(500 + i), 1, i * 60);
    skipReading(b, 1, 180); // minute 3: no valid reading
    for (let i = 4; i < 6; i++) addReading(b, reading(500 + i), 1, i * 60);
    const first = batchOf(b, 6 * 60);
    expect(first.seq).toBe(0);
    expect(first.readings.map((r) => r.co2Ppm)).toEqual([500, 501, 502]);
    // The last reading of the first batch was taken at minute 2: 3 minutes before minute 5.
    expect(first.ageSeconds).toBe(180);
    const second = batchOf(b, 6 * 60);
    expect(second.seq).toBe(4); // seq 3 is the gap: minute 4's reading keeps its timestamp
    expect(second.readings.map((r) => r.co2Ppm)).toEqual([504, 505]);
    expect(second.ageSeconds).toBe(60);
    expect(prepareBatch(b, 222, 60, power, status, 6 * 60)).toBeNull();
    expect(b.seq).toBe(6);
  });

  it("with averaging, a slot with any valid reading is an entry; an all-fault slot is a gap", () => {
    const b = newBuffer();
    addReading(b, reading(600), 2, 0);
    skipReading(b, 2, 60); // slot 0: one valid reading -> entry 600
    skipReading(b, 2, 120);
    skipReading(b, 2, 180); // slot 1: no valid reading -> gap
    addReading(b, reading(700), 2, 240);
    addReading(b, reading(800), 2, 300); // slot 2 -> entry 750
    const first = batchOf(b, 300);
    expect(first.seq).toBe(0);
    expect(first.readings.map((r) => r.co2Ppm)).toEqual([600]);
    const second = batchOf(b, 300);
    expect(second.seq).toBe(2);
    expect(second.readings.map((r) => r.co2Ppm)).toEqual([750]);
  });
});
