// rxpk parsing on a PUSH_DATA body as an SX1302 packet forwarder (v2) sends it: LoRa and FSK
// packets, a CRC failure, multi-antenna "rsig" metadata, and the gateway's stat report.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDatagram } from "../../src/sources/semtech-udp/datagram.js";
import { parseRxpk } from "../../src/sources/semtech-udp/rxpk.js";
import { pushData } from "./support/packet-forwarder.js";

const body: unknown = JSON.parse(
  readFileSync(new URL("./fixtures/semtech-push-data.json", import.meta.url), "utf8"),
);
const NOW = Date.parse("2025-11-20T08:30:02Z");

describe("rxpk from an SX1302 forwarder", () => {
  const parsed = parseDatagram(pushData("a840411d2f8c4150", 0x5a5a, body));
  if (!parsed.ok || parsed.value.kind !== "push_data") throw new Error("fixture does not parse");
  const push = parsed.value;
  const [lora, fsk, crc, rsig] = push.rxpk.map((r, i) => parseRxpk(r, i, NOW));

  it("keeps the gateway's stat report", () => {
    expect(push).toMatchObject({ stat: { rxnb: 4, rxok: 3, lati: 52.16012 } });
  });

  it("reads a LoRa packet with the gateway's GPS time", () => {
    expect(lora).toEqual({
      ok: true,
      value: {
        phyPayload: new Uint8Array(Buffer.from("001103d400db5eff20", "hex")),
        receivedAt: Date.parse("2025-11-20T08:30:01.176Z") / 1000,
        rssi: -112,
        snr: -3.5,
        dataRate: "SF9BW125",
        frequency: 868_500_000,
        tmst: 3512348611,
      },
    });
  });

  it("reads FSK data rates, and uses our clock when the gateway gives no time", () => {
    expect(fsk).toMatchObject({
      ok: true,
      value: { dataRate: "FSK50000", frequency: 868_800_000, receivedAt: NOW / 1000 },
    });
  });

  it("drops packets whose CRC failed", () => {
    expect(crc).toMatchObject({ ok: false, reason: "crc_failed" });
  });

  it("takes RSSI and SNR from rsig when the top-level fields are absent", () => {
    expect(rsig).toMatchObject({ ok: true, value: { rssi: -97, snr: 8.75 } });
  });

  it("rejects LoRa packets whose datr is not SF<n>BW<khz>, naming the path", () => {
    const bad = { ...(push.rxpk[0] as object), datr: "SF13BW125" };
    expect(parseRxpk(bad, 3, NOW)).toMatchObject({
      ok: false,
      reason: "bad_rxpk",
      detail: expect.stringMatching(/^\$\.rxpk\[3\]\.datr: /),
    });
  });
});
