// The hand-written PUBLISH encoder makes the bytes mqtt-packet's generate() makes for the same
// packet (MQTT 5 with the envelope's content type and user properties, and 3.1.1), so a broker
// sees exactly what it saw when mqtt.js encoded the rows.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { generate } from "mqtt-packet";
import { ENVELOPE_CONTENT_TYPE } from "@leiden-iot/protocol";
import { encodePublishes, type PublishRow } from "../../src/publisher/publish-packet.js";

function reference(row: PublishRow, id: number, protocol: 5 | 4): Buffer {
  const packet = {
    cmd: "publish" as const,
    qos: 1 as const,
    dup: false,
    retain: false,
    topic: row.topic,
    payload: Buffer.from(row.payload),
    messageId: id,
    ...(protocol === 5
      ? {
          properties: {
            contentType: ENVELOPE_CONTENT_TYPE,
            // mqtt-packet refuses an empty user property list; the encoder leaves it out
            ...(Object.keys(row.properties).length ? { userProperties: row.properties } : {}),
          },
        }
      : {}),
  };
  return generate(packet, { protocolVersion: protocol });
}

const gatewayRow: PublishRow = {
  topic: "leiden/rewards/band/e232debf-e928-8c75-b5b5-6669aad9fd9a/report",
  payload: new Uint8Array(286).map((_, i) => i * 7),
  properties: {
    schema: "leiden-iot/senml/1",
    gateway: "gw-local",
    mid: "e232debf-e928-8c75-b5b5-6669aad9fd9a/b/1408581423",
    rt: "1796692094.949",
    src: "ble",
    rssi: "-51",
  },
};

describe("encodePublishes", () => {
  it("encodes a gateway row as mqtt-packet does, MQTT 5 and 3.1.1", () => {
    for (const protocol of [5, 4] as const)
      expect(encodePublishes([gatewayRow], [1], protocol)).toEqual(
        reference(gatewayRow, 1, protocol),
      );
  });

  it("concatenates a batch, each packet with its own identifier", () => {
    const rows = [gatewayRow, { ...gatewayRow, topic: "t/x", properties: {} }, gatewayRow];
    const ids = [65_519, 1, 300];
    expect(encodePublishes(rows, ids, 5)).toEqual(
      Buffer.concat(rows.map((r, i) => reference(r, ids[i]!, 5))),
    );
  });

  it("uses 1- to 4-byte remaining lengths", () => {
    for (const size of [0, 100, 127, 128, 16_000, 16_384, 200_000, 2_097_152]) {
      const row = { ...gatewayRow, payload: new Uint8Array(size).fill(0xa5) };
      expect(encodePublishes([row], [7], 5).equals(reference(row, 7, 5))).toBe(true);
      expect(encodePublishes([row], [7], 4).equals(reference(row, 7, 4))).toBe(true);
    }
  });

  it("matches on generated topics, properties and payloads (UTF-8 included)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80, unit: "grapheme" }),
        fc.dictionary(
          fc.string({ maxLength: 30, unit: "grapheme" }),
          fc.string({ maxLength: 40, unit: "grapheme" }),
          { maxKeys: 8 },
        ),
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 1, max: 65_535 }),
        (topic, properties, payload, id) => {
          const row = { topic, payload, properties };
          for (const protocol of [5, 4] as const)
            expect(encodePublishes([row], [id], protocol)).toEqual(reference(row, id, protocol));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses what MQTT cannot carry", () => {
    expect(() => encodePublishes([{ ...gatewayRow, topic: "x".repeat(70_000) }], [1], 5)).toThrow(
      /longer than MQTT allows/,
    );
  });
});
