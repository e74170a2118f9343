// Property-based round trips: whatever a device may legally encode decodes to the same value,
// and any change to a signed frame is caught.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cmacKey,
  decodeUplink,
  deviceKeys,
  encodeBandAdvert,
  encodeUplink,
  fromHex,
  nodeAes128,
  openAdvert,
  toHex,
  type BandReport,
  type ClassroomUplink,
} from "@leiden-iot/protocol";
import band from "../vectors/band-advert.json" with { type: "json" };
import classroom from "../vectors/classroom-advert.json" with { type: "json" };

const flags = fc.record({
  goalReached: fc.boolean(),
  lowBattery: fc.boolean(),
  clockNotSet: fc.boolean(),
  storageFault: fc.boolean(),
  sensorFault: fc.boolean(),
});
const steps = fc.integer({ min: 0, max: 200000 });
const report: fc.Arbitrary<BandReport> = fc.record({
  eid: fc.constant(""),
  counter: fc.integer({ min: 0, max: 0xffffffff }),
  day: fc.integer({ min: 0, max: 0xffff }),
  steps,
  backlog: fc.option(fc.record({ daysAgo: fc.integer({ min: 1, max: 31 }), steps }), { nil: null }),
  batteryMv: fc.option(
    fc.integer({ min: 181, max: 434 }).map((x) => x * 10),
    { nil: null },
  ),
  flags,
});
const reading = fc.record({
  co2Ppm: fc.integer({ min: 0, max: 40000 }),
  temperatureDeci: fc.integer({ min: -400, max: 1000 }),
  humidityHalfPercent: fc.integer({ min: 0, max: 200 }),
});
const status = fc.record({
  signal: fc.constantFrom("green", "orange", "red", "none"),
  calibration: fc.constantFrom("auto", "fixed", "recalibrating", "recalibration_failed"),
  sensorFault: fc.boolean(),
  clockNotSet: fc.boolean(),
  restarted: fc.boolean(),
  systemFault: fc.boolean(),
}) as fc.Arbitrary<ClassroomUplink["status"]>;
const power = fc.record({
  external: fc.boolean(),
  batteryPercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
});

describe("round trips", () => {
  const mac = cmacKey(nodeAes128, new Uint8Array(16).fill(9));
  it("band adverts (10k)", () => {
    fc.assert(
      fc.property(report, fc.uint8Array({ minLength: 4, maxLength: 4 }), (r, eid) => {
        const f = encodeBandAdvert(r, eid, mac);
        const back = openAdvert(f, mac);
        expect(back).toEqual({
          ok: true,
          value: { ...r, kind: "band", version: 1, eid: toHex(eid), mac: toHex(f.subarray(20)) },
        });
      }),
      { numRuns: 10000 },
    );
  });
  it("batched classroom uplinks of 1..64 readings (5k)", () => {
    const batch = fc.record({
      kind: fc.constant("batch" as const),
      seq: fc.integer({ min: 0, max: 0xffff }),
      intervalSeconds: fc.integer({ min: 10, max: 3600 }),
      ageSeconds: fc.integer({ min: 0, max: 255 }),
      readings: fc.array(reading, { minLength: 1, maxLength: 64 }),
      power,
      status,
    });
    fc.assert(
      fc.property(batch, (u) => {
        const e = encodeUplink(u);
        expect(decodeUplink(e.fPort, e.bytes)).toEqual({ ok: true, value: u });
      }),
      { numRuns: 5000 },
    );
  });
  it("any edit of a signed advert is rejected under the device's own key (10k)", () => {
    const seeds = band.valid.concat(classroom.valid as never[]).map((v) => ({
      hex: v.hex,
      key: cmacKey(nodeAes128, deviceKeys(nodeAes128, fromHex(v.deviceKey)!).mac),
    }));
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (s, at, x) => {
          const b = fromHex(s.hex)!;
          const i = at % b.length;
          b[i] = b[i]! ^ x;
          return !openAdvert(b, s.key).ok;
        },
      ),
      { numRuns: 10000 },
    );
  });
});
