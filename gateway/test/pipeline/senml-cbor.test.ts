// The gateway's fast SenML-CBOR encoder must produce exactly the protocol's bytes.
import {
  bandEnvelope,
  classroomAdvertEnvelope,
  encodePack,
  toHex,
  type SenmlPack,
} from "@leiden-iot/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import classroomVectors from "../../../protocol/vectors/classroom-advert.json" with { type: "json" };
import loraVectors from "../../../protocol/vectors/lora-uplink.json" with { type: "json" };
import { encodePackFast } from "../../src/pipeline/senml-cbor.js";

describe("fast SenML-CBOR encoder", () => {
  it("reproduces every vector's CBOR", () => {
    for (const v of [...bandVectors.valid, ...classroomVectors.valid, ...loraVectors.valid])
      expect(toHex(encodePackFast(v.envelope.senml as SenmlPack))).toBe(v.envelope.cbor);
  });

  it("matches encodePack on generated packs (numbers of every size, strings, booleans, ext)", () => {
    const num = fc.oneof(
      fc.integer(),
      fc.integer({ min: -0x100000001, max: 0x100000001 }),
      fc.double({ noNaN: true }),
      fc.constantFrom(
        0,
        -0,
        23,
        24,
        255,
        256,
        65535,
        65536,
        2 ** 32 - 1,
        2 ** 32,
        -24,
        -25,
        -(2 ** 31) - 1,
        -(2 ** 32),
        -(2 ** 32) - 1,
        2 ** 53,
      ),
    );
    const str = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom("", "x".repeat(23), "x".repeat(24), "°C", "ü".repeat(40)),
    );
    const rec = fc.record(
      {
        bn: str,
        bt: num,
        bver: fc.integer({ min: 0, max: 30 }),
        n: str,
        u: str,
        v: num,
        vs: str,
        vb: fc.boolean(),
        t: num,
        ext: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.oneof(num, str, fc.boolean()),
          { maxKeys: 5 },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 30 }), (pack) => {
        expect(toHex(encodePackFast(pack as SenmlPack))).toBe(toHex(encodePack(pack as SenmlPack)));
      }),
      { numRuns: 3000 },
    );
  });

  it("matches on real band and classroom envelopes", () => {
    const meta = {
      gatewayId: "gw",
      receivedAt: 1795425000.125,
      source: "ble" as const,
      messageId: "m",
      counter: 4294967295,
      rssi: -100,
      snr: -7.25,
    };
    const b = bandVectors.valid[1]!.decoded as Parameters<typeof bandEnvelope>[0];
    const c = classroomVectors.valid[0]!.decoded as Parameters<typeof classroomAdvertEnvelope>[0];
    for (const env of [
      bandEnvelope(b, "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1", meta),
      classroomAdvertEnvelope(c, "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1", meta),
    ])
      expect(toHex(encodePackFast(env.pack))).toBe(toHex(encodePack(env.pack)));
  });
});
