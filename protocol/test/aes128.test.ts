import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cmac, cmacKey, fromHex, nodeAes128, softAes128, toHex } from "@leiden-iot/protocol";

const hex = (s: string) => fromHex(s)!;

describe("softAes128 (FIPS-197)", () => {
  it("encrypts the Appendix B example", () => {
    const out = softAes128(
      hex("2b7e151628aed2a6abf7158809cf4f3c"),
      hex("3243f6a8885a308d313198a2e0370734"),
    );
    expect(toHex(out)).toBe("3925841d02dc09fbdc118597196a0b32");
  });
  it("encrypts the Appendix C.1 AES-128 example", () => {
    const out = softAes128(
      hex("000102030405060708090a0b0c0d0e0f"),
      hex("00112233445566778899aabbccddeeff"),
    );
    expect(toHex(out)).toBe("69c4e0d86a7b0430d8cdb78070b4c55a");
  });
  it("matches node:crypto on random keys and blocks, also when keys alternate", () => {
    const keys = [randomBytes(16), randomBytes(16), randomBytes(16)];
    for (let i = 0; i < 300; i++) {
      const key = new Uint8Array(keys[i % 3]!);
      const block = new Uint8Array(randomBytes(16));
      expect(toHex(softAes128(key, block))).toBe(toHex(nodeAes128(key, block)));
    }
  });
  it("does not keep stale round keys when a key array is changed in place", () => {
    const key = hex("2b7e151628aed2a6abf7158809cf4f3c");
    const block = hex("3243f6a8885a308d313198a2e0370734");
    softAes128(key, block);
    key[0] = 0;
    expect(toHex(softAes128(key, block))).toBe(toHex(nodeAes128(key, block)));
  });
});

describe("AES-CMAC on softAes128 (RFC 4493)", () => {
  const ck = cmacKey(softAes128, hex("2b7e151628aed2a6abf7158809cf4f3c"));
  const msg = hex(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
  );
  it("derives the subkeys K1 and K2", () => {
    expect(toHex(ck.k1)).toBe("fbeed618357133667c85e08f7236a8de");
    expect(toHex(ck.k2)).toBe("f7ddac306ae266ccf90bc11ee46d513b");
  });
  it.each([
    [0, "bb1d6929e95937287fa37d129b756746"],
    [16, "070a16b46b4d4144f79bdd9dd04a287c"],
    [40, "dfa66747de9ae63030ca32611497c827"],
    [64, "51f0bebf7e3b9d92fc49741779363cfe"],
  ])("tags a %i-byte message", (len, tag) => {
    expect(toHex(cmac(ck, msg.subarray(0, len)))).toBe(tag);
  });
});
