import { describe, expect, it } from "vitest";
import { cmac, cmacKey, fromHex, nodeAes128, toHex } from "@leiden-iot/protocol";

// RFC 4493 section 4 test vectors.
const key = fromHex("2b7e151628aed2a6abf7158809cf4f3c")!;
const msg = fromHex(
  "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
)!;

describe("AES-CMAC (RFC 4493)", () => {
  const ck = cmacKey(nodeAes128, key);
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
