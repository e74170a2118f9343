// The feed's pure parts: one MQTT message of the dashboard's stream -> the page's readings, and
// the registry's room names by pseudonym.
import { describe, expect, it } from "vitest";
import {
  bandEnvelope,
  classroomAdvertEnvelope,
  encodePack,
  envelopeTopic,
  gatewayStatusTopic,
  nodeAes128,
  pseudonymOf,
} from "@leiden-iot/protocol";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import classroomVectors from "../../../protocol/vectors/classroom-advert.json" with { type: "json" };
import { feedReadings } from "../../src/kijk-mee/classroom-feed.js";
import { roomNameLookup } from "../../src/kijk-mee/room-names.js";
import { registryFromData } from "../../src/registry/load.js";

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
        name: null,
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

describe("room names", () => {
  it("names a classroom pseudonym by its registry room, also one enrolled later", () => {
    const registry = registryFromData({
      masterKey: "000102030405060708090a0b0c0d0e0f",
      ranges: [{ kind: "classroom", first: 100000, count: 3 }],
      devices: [{ id: 100001, kind: "classroom", room: "Lokaal 2.12" }],
    });
    const nameOf = roomNameLookup(registry);
    const p = (id: number) => pseudonymOf(nodeAes128, registry.pseudonymKey, id);
    expect(nameOf(p(100001))).toBe("Lokaal 2.12");
    expect(nameOf(p(100000))).toBeUndefined();
    registry.add({ id: 100002, kind: "classroom", room: "Groep 7b" });
    expect(nameOf(p(100002))).toBe("Groep 7b");
  });

  it("a room on a band, or one with a quote, is a registry error naming the field", () => {
    const base = { masterKey: "000102030405060708090a0b0c0d0e0f" };
    expect(() =>
      registryFromData({ ...base, devices: [{ id: 1, kind: "band", room: "x" }] }),
    ).toThrow(/devices\.0\.room: only a classroom node has a room/);
    expect(() =>
      registryFromData({ ...base, devices: [{ id: 7, kind: "classroom", room: 'a"b' }] }),
    ).toThrow(/devices\.0\.room: 1 to 24 letters/);
  });
});
