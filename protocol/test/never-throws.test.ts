// Property-based: no decoder throws on any byte string, and every result is a value or a typed
// rejection. Random bytes plus mutations of valid vectors (which reach deeper code paths).
// 136k cases in total.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cmacKey,
  decodeAdvert,
  decodeDownlink,
  decodeEnvelope,
  decodeTimeBeacon,
  decodeUplink,
  deriveTimeKey,
  fromHex,
  nodeAes128,
  openAdvert,
  readBandEnvelope,
  readClassroomEnvelope,
  type RejectReason,
  type Result,
} from "@leiden-iot/protocol";
import band from "../vectors/band-advert.json" with { type: "json" };
import classroom from "../vectors/classroom-advert.json" with { type: "json" };
import uplinks from "../vectors/lora-uplink.json" with { type: "json" };

const REASONS: RejectReason[] = [
  "truncated",
  "too_long",
  "unknown_type",
  "bad_version",
  "bad_mac",
  "reserved_bits",
  "out_of_range",
  "bad_encoding",
];
const key = cmacKey(nodeAes128, new Uint8Array(16));
const timeKey = cmacKey(nodeAes128, deriveTimeKey(nodeAes128, new Uint8Array(16)));

function wellFormed(r: Result<unknown>): boolean {
  if (r.ok) return r.value !== undefined;
  return REASONS.indexOf(r.reason) >= 0 && typeof r.detail === "string" && r.detail.length > 0;
}

/** A valid frame with 1-4 random byte edits, insertions or truncations. */
function mutated(seeds: string[]) {
  const edit = fc.oneof(
    fc.record({
      op: fc.constant("set" as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({ op: fc.constant("cut" as const), at: fc.nat(), value: fc.constant(0) }),
    fc.record({
      op: fc.constant("add" as const),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    }),
  );
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([hex, edits]) => {
      const b = Array.from(fromHex(hex)!);
      for (const e of edits) {
        const at = b.length === 0 ? 0 : e.at % b.length;
        if (e.op === "set" && b.length) b[at] = e.value;
        else if (e.op === "cut") b.length = at;
        else b.splice(at, 0, e.value);
      }
      return Uint8Array.from(b);
    });
}

const anyBytes = fc.uint8Array({ maxLength: 64 });
const advertSeeds = band.valid.map((v) => v.hex).concat(classroom.valid.map((v) => v.hex));
const uplinkSeeds = uplinks.valid.map((v) => v.hex);
const envelopeSeeds = band.valid
  .concat(classroom.valid as never[])
  .map((v) => v.envelope.cbor)
  .concat(uplinks.valid.map((v) => v.envelope.cbor));

describe("decoders never throw", () => {
  it("adverts: random bytes (30k)", () => {
    fc.assert(
      fc.property(anyBytes, (b) => wellFormed(decodeAdvert(b)) && wellFormed(openAdvert(b, key))),
      { numRuns: 30000 },
    );
  });
  it("adverts: mutated valid frames (30k)", () => {
    fc.assert(
      fc.property(mutated(advertSeeds), (b) => {
        // (forgery under the device's own key is covered in roundtrip.test.ts)
        return wellFormed(decodeAdvert(b)) && wellFormed(openAdvert(b, key));
      }),
      { numRuns: 30000 },
    );
  });
  it("LoRa uplinks: random fPort and bytes (20k)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), anyBytes, (p, b) =>
        wellFormed(decodeUplink(p, b)),
      ),
      { numRuns: 20000 },
    );
  });
  it("LoRa uplinks: mutated valid payloads on every uplink port (20k)", () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3), mutated(uplinkSeeds), (p, b) =>
        wellFormed(decodeUplink(p, b)),
      ),
      { numRuns: 20000 },
    );
  });
  it("LoRa downlinks and time beacons: random bytes (16k)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        anyBytes,
        (p, b) => wellFormed(decodeDownlink(p, b)) && wellFormed(decodeTimeBeacon(b, timeKey)),
      ),
      { numRuns: 16000 },
    );
  });
  it("envelopes: random and mutated CBOR (20k)", () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, mutated(envelopeSeeds)), (b) => {
        const r = decodeEnvelope(b, 1795425000);
        if (!wellFormed(r)) return false;
        if (r.ok)
          return (
            wellFormed(readBandEnvelope(r.value.records)) &&
            wellFormed(readClassroomEnvelope(r.value.records))
          );
        return true;
      }),
      { numRuns: 20000 },
    );
  });
  it("hex parsing rejects instead of throwing", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = fromHex(s);
        return r === null || r instanceof Uint8Array;
      }),
      { numRuns: 1000 },
    );
    expect(fromHex("0x0A:ff")).toEqual(Uint8Array.from([10, 255]));
    expect(fromHex("abc")).toBeNull();
    expect(fromHex("zz")).toBeNull();
  });
});
