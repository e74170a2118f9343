// The feed's pure part: one MQTT message of the dashboard's stream -> the page's readings.
import { describe, expect, it } from "vitest";
import {
  bandEnvelope,
  classroomAdvertEnvelope,
  encodePack,
  envelopeTopic,
  gatewayStatusTopic,
} from "@leiden-iot/protocol";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import classroomVectors from "../../../protocol/vectors/classroom-advert.json" with { type: "json" };
import { feedReadings } from "../../src/kijk-mee/classroom-feed.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
const meta = {
  gatewayId: "gw",
  receivedAt: 1795425000.125,
  source: "ble" as const,
  messageId: "m",
  counter: 7,
  rssi: -60,
};

describe("classroom feed", () => {
  it("turns a classroom reading envelope into the page's reading, in SI units", () => {
    const v = classroomVectors.valid.find((x) => (x.decoded as { reading: unknown }).reading)!;
    const c = v.decoded as Parameters<typeof classroomAdvertEnvelope>[0];
    const env = classroomAdvertEnvelope(c, P, meta);
    const out = feedReadings(
      envelopeTopic("t", "classroom_reading", P),
      encodePack(env.pack),
      meta.receivedAt,
    );
    expect(out).toEqual([
      {
        room: P,
        t: Math.floor(meta.receivedAt),
        co2: c.reading!.co2Ppm,
        temperature: c.reading!.temperatureDeci / 10,
        humidity: c.reading!.humidityHalfPercent / 2,
        signal: c.status.signal,
      },
    ]);
  });

  it("ignores bands, status messages, foreign topics and garbage", () => {
    const b = bandVectors.valid[0]!.decoded as Parameters<typeof bandEnvelope>[0];
    const band = encodePack(bandEnvelope(b, P, meta).pack);
    expect(feedReadings(envelopeTopic("t", "band_report", P), band, 0)).toEqual([]);
    expect(feedReadings(envelopeTopic("t", "classroom_reading", P), band, 0)).toEqual([]);
    expect(feedReadings(gatewayStatusTopic("t", "gw"), new Uint8Array([1]), 0)).toEqual([]);
    expect(
      feedReadings(envelopeTopic("t", "classroom_reading", P), new Uint8Array([0xff, 0]), 0),
    ).toEqual([]);
  });
});
