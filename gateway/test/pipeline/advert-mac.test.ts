// The hot path's MAC check (one CBC update per frame on a cipher kept per key) decides exactly as
// the protocol's verifyFrameMac: on the band vectors, and on generated keys, lengths and frames,
// valid and with one bit flipped, interleaved across keys so the cipher's carried chaining state
// is exercised.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BAND_SIGNED_BYTES,
  CLASSROOM_SIGNED_BYTES,
  MAC_BYTES,
  cmacKey,
  deviceKeys,
  fromHex,
  nodeAes128,
  verifyFrameMac,
} from "@leiden-iot/protocol";
import { frameMac } from "../../../protocol/src/band-advert.js";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import { advertMacKey, verifyAdvertMac } from "../../src/crypto/advert-mac.js";

describe("verifyAdvertMac", () => {
  it("accepts every valid band vector and refuses it with any MAC byte changed", () => {
    for (const v of bandVectors.valid) {
      const mac = cmacKey(nodeAes128, deviceKeys(nodeAes128, fromHex(v.deviceKey)!).mac);
      const key = advertMacKey(mac);
      const frame = fromHex(v.hex)!;
      expect(verifyAdvertMac(frame, BAND_SIGNED_BYTES, key)).toBe(true);
      for (let i = BAND_SIGNED_BYTES; i < frame.length; i++) {
        const bad = frame.slice();
        bad[i] = bad[i]! ^ 0x01;
        expect(verifyAdvertMac(bad, BAND_SIGNED_BYTES, key)).toBe(false);
      }
      expect(verifyAdvertMac(frame, BAND_SIGNED_BYTES, key)).toBe(true);
    }
  });

  it("decides as verifyFrameMac on generated keys and frames (complete and padded blocks)", () => {
    const signed = fc.constantFrom(BAND_SIGNED_BYTES, CLASSROOM_SIGNED_BYTES, 14, 30, 0, 45);
    const check = fc.record({
      key: fc.integer({ min: 0, max: 3 }),
      signed,
      body: fc.uint8Array({ minLength: 45, maxLength: 45 }),
      flip: fc.option(fc.integer({ min: 0, max: 48 * 8 - 1 })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 4, maxLength: 4 }),
        fc.array(check, { minLength: 1, maxLength: 12 }),
        (raw, checks) => {
          const protocolKeys = raw.map((k) => cmacKey(nodeAes128, k));
          const fastKeys = protocolKeys.map((k) => advertMacKey(k));
          for (const c of checks) {
            const frame = new Uint8Array(c.signed + MAC_BYTES);
            frame.set(c.body.subarray(0, c.signed));
            frame.set(
              frameMac(protocolKeys[c.key]!, frame, c.signed).subarray(0, MAC_BYTES),
              c.signed,
            );
            if (c.flip !== null && c.flip < frame.length * 8)
              frame[c.flip >> 3] = frame[c.flip >> 3]! ^ (1 << (c.flip & 7));
            expect(verifyAdvertMac(frame, c.signed, fastKeys[c.key]!)).toBe(
              verifyFrameMac(frame, c.signed, protocolKeys[c.key]!),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a frame of the wrong length", () => {
    const key = advertMacKey(cmacKey(nodeAes128, new Uint8Array(16)));
    expect(verifyAdvertMac(new Uint8Array(23), BAND_SIGNED_BYTES, key)).toBe(false);
    expect(verifyAdvertMac(new Uint8Array(25), BAND_SIGNED_BYTES, key)).toBe(false);
  });
});
