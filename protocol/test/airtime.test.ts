// loraAirtimeMs against values computed by others from Semtech AN1200.13: the LoRa airtime
// calculator spreadsheet by Thomas Telkamp (docs.google.com/spreadsheets/d/1eL1nHxMidIcIdDE_l-DoY3kmE2e8b0YpOBW64WnYxj8,
// 24-byte application payload + 13-byte LoRaWAN header, explicit header, CR 4/5, 8 preamble
// symbols, 125 kHz, low data rate optimisation auto) and its 13-byte SF9 example.
import { describe, expect, it } from "vitest";
import { loraAirtimeMs } from "../src/index.js";

describe("loraAirtimeMs", () => {
  it("matches the published airtime of a 24-byte payload at SF7..SF12", () => {
    const published: Record<number, number> = {
      7: 82.176,
      8: 143.872,
      9: 267.264,
      10: 493.568,
      11: 1069.056,
      12: 1974.272,
    };
    for (const sf of [7, 8, 9, 10, 11, 12])
      expect(loraAirtimeMs(24, sf), "SF" + sf).toBeCloseTo(published[sf]!, 3);
  });

  it("matches the published airtime of a bare 13-byte LoRaWAN frame at SF9", () => {
    expect(loraAirtimeMs(0, 9)).toBeCloseTo(164.864, 3);
  });
});
