// `watch`'s one line per envelope: the device kind from the topic, the id's counter part after
// the device's short pseudonym, and a reason for what is not an envelope.
import { describe, expect, it } from "vitest";
import {
  bandEnvelope,
  classroomAdvertEnvelope,
  encodePack,
  envelopeTopic,
  messageId,
} from "@leiden-iot/protocol";
import bandVectors from "../../../protocol/vectors/band-advert.json" with { type: "json" };
import classroomVectors from "../../../protocol/vectors/classroom-advert.json" with { type: "json" };
import { describeEnvelope } from "../../src/cli/commands/watch.js";

const P = "59cc44d2-a9bc-844c-93b7-a392bd9b5cb1";
const meta = (id: string) => ({
  gatewayId: "gw",
  receivedAt: Date.now() / 1000,
  source: "ble" as const,
  messageId: id,
  counter: 7,
  rssi: -60,
});

describe("watch line", () => {
  it("names a band report's steps and its BLE counter", () => {
    const b = bandVectors.valid[0]!.decoded as Parameters<typeof bandEnvelope>[0];
    const env = bandEnvelope(b, P, meta(messageId(P, "ble", 7)));
    const line = describeEnvelope(envelopeTopic("t", "band_report", P), encodePack(env.pack));
    expect(line).toMatch(/^band {6}59cc44d2 {2}\d{4}-\d{2}-\d{2}: \d+ steps/);
    expect(line.endsWith("[b/7]")).toBe(true);
  });

  it("names a classroom reading's CO2 and its LoRa session tag and counter", () => {
    const v = classroomVectors.valid.find((x) => (x.decoded as { reading: unknown }).reading)!;
    const c = v.decoded as Parameters<typeof classroomAdvertEnvelope>[0];
    const env = classroomAdvertEnvelope(c, P, meta(messageId(P, "lora", 42, "0a1b2c3d")));
    const line = describeEnvelope(envelopeTopic("t", "classroom_reading", P), encodePack(env.pack));
    expect(line).toContain("classroom 59cc44d2  CO2 " + c.reading!.co2Ppm + " ppm");
    expect(line.endsWith("[l/0a1b2c3d/42]")).toBe(true);
  });

  it("says when a payload is not an envelope", () => {
    const topic = envelopeTopic("t", "classroom_reading", P);
    expect(describeEnvelope(topic, new Uint8Array([0xff, 0]))).toMatch(
      new RegExp("^" + topic + " {2}\\(not a valid envelope: "),
    );
  });
});
