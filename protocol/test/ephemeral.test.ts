import { describe, expect, it } from "vitest";
import { nodeAes128 } from "../src/adapters/node-aes.js";
import { fromHex, toHex } from "../src/bytes.js";
import {
  ADVERT_EID_OFFSET,
  advertEidU32,
  epochIdentity,
  writeEpochBlock,
} from "../src/ephemeral.js";

describe("ephemeral id block", () => {
  it("is 'EID' || 0^9 || epoch u32, also when batched at an offset", () => {
    const out = new Uint8Array(32);
    writeEpochBlock(out, 16, 0x01020304);
    expect(toHex(out.subarray(16))).toBe("454944000000000000000000" + "01020304");
    expect(toHex(out.subarray(0, 16))).toBe("00".repeat(16));
  });
  it("a batched block gives the same EID as epochIdentity", () => {
    const key = fromHex("000102030405060708090a0b0c0d0e0f")!;
    const block = new Uint8Array(16);
    writeEpochBlock(block, 0, 1_995_000);
    const direct = nodeAes128(key, block).subarray(0, 4);
    expect(toHex(epochIdentity(nodeAes128, key, 1_995_000).eid)).toBe(toHex(direct));
  });
  it("the advert's ephemeral id is bytes 1-4, big-endian", () => {
    expect(ADVERT_EID_OFFSET).toBe(1);
    expect(advertEidU32(Uint8Array.of(0x11, 0xde, 0xad, 0xbe, 0xef, 0))).toBe(0xdeadbeef);
  });
});
