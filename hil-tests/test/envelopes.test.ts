// Reading the gateway's MQTT output: the protocol's envelope vectors decode to band and classroom
// messages with the right channel; garbage is a problem string, never an exception; and the
// Prometheus rejection counters parse.
import { envelopeTopic, fromHex, type EnvelopeKind } from "@leiden-iot/protocol";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bleCounterOf, parseRejections, readGatewayMessage } from "../src/observe/envelopes.js";

interface Reading {
  co2Ppm: number;
  temperatureDeci: number;
  humidityHalfPercent: number;
}
interface V {
  decoded: {
    steps?: number;
    backlog?: { daysAgo: number; steps: number } | null;
    batteryMv?: number | null;
    reading?: Reading | null;
    readings?: Reading[];
    status?: { signal: string };
  };
  envelope?: {
    pseudonym: string;
    topicKind: EnvelopeKind;
    cbor: string;
    meta: { messageId: string };
  };
}
const vectors = (f: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../protocol/vectors/${f}`, import.meta.url), "utf8")) as {
      valid: V[];
    }
  ).valid.filter((v) => v.envelope && v.envelope.topicKind !== "classroom_status");

describe("readGatewayMessage", () => {
  it("decodes every band and classroom envelope vector on its topic", () => {
    let checked = 0;
    for (const f of ["band-advert.json", "classroom-advert.json", "lora-uplink.json"]) {
      const list = vectors(f);
      expect(list.length).toBeGreaterThan(0);
      for (const v of list) {
        const e = v.envelope!;
        const topic = envelopeTopic("leiden/gw", e.topicKind, e.pseudonym);
        const m = readGatewayMessage(topic, fromHex(e.cbor)!, 1_795_425_000_000);
        if (typeof m === "string") throw new Error(m);
        expect(m.pseudonym).toBe(e.pseudonym);
        expect(m.messageId).toBe(e.meta.messageId);
        expect(m.channel).toBe(f === "lora-uplink.json" ? "lora" : "ble");
        const d = v.decoded;
        if (f === "band-advert.json") {
          // Today's steps, then the backlog day's (if the advert carries one).
          const days = [d.steps!, ...(d.backlog ? [d.backlog.steps] : [])];
          expect(m.band!.days.map((x) => x.steps)).toEqual(days);
          expect(m.band!.batteryVolts).toBe(d.batteryMv == null ? null : d.batteryMv / 1000);
        } else {
          // One reading (an advert or a single LoRa reading), a LoRa batch, or none (sensor
          // fault): each with the vector's CO2, 0.1 °C temperature and 0.5 % humidity.
          const want = d.readings ?? (d.reading ? [d.reading] : []);
          expect(m.classroom!.readings.map((r) => [r.co2Ppm, r.temperature, r.humidity])).toEqual(
            want.map((r) => [r.co2Ppm, r.temperatureDeci / 10, r.humidityHalfPercent / 2]),
          );
          expect(m.classroom!.signal).toBe(d.status!.signal);
          checked += want.length;
        }
      }
    }
    expect(checked).toBeGreaterThan(10); // the classroom vectors do carry readings
  });

  it("returns a problem for garbage and for other topics", () => {
    expect(readGatewayMessage("x/rewards/band/p/report", Uint8Array.of(1, 2, 3), 0)).toMatch(
      /^x\/rewards\/band\/p\/report: /,
    );
    const v = vectors("band-advert.json")[0]!.envelope!;
    expect(readGatewayMessage("x/gateways/gw/health", fromHex(v.cbor)!, 0)).toMatch(
      /not a band report/,
    );
  });
});

describe("gateway counters", () => {
  it("parses rejections per reason from Prometheus text", () => {
    const text = [
      "# HELP liot_frames_rejected_total Frames rejected, per reason",
      "# TYPE liot_frames_rejected_total counter",
      'liot_frames_rejected_total{reason="bad_mac"} 3',
      'liot_frames_rejected_total{reason="replayed"} 1',
      'liot_frames_accepted_total{source="sim",kind="band"} 7',
    ].join("\n");
    expect(parseRejections(text)).toEqual({ bad_mac: 3, replayed: 1 });
    expect(bleCounterOf("59cc44d2-a9bc-844c-93b7-a392bd9b5cb1/b/17")).toBe(17);
    expect(bleCounterOf("p/l/260b1234/17")).toBeNull();
  });
});
