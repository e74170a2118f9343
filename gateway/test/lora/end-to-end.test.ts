// The LoRa sources inside the real gateway (registry file, pipeline, SQLite outbox, MQTT publisher)
// against a real Mosquitto: a packet forwarder's uplink is published as a classroom envelope,
// and the same uplink arriving again through ChirpStack's MQTT integration is a duplicate.
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LnsMqttSource } from "../../src/sources/lns-mqtt/source.js";
import { until } from "../support/consumer.js";
import { bytes, CHIRPSTACK_TOPIC, chirpstackUplink } from "./support/lns-fixtures.js";
import { startLoraGateway, type LoraGateway } from "./support/lora-gateway.js";
import { buildUplink, newSession, uplinkVectors } from "./support/lorawan-devices.js";
import { PUSH_ACK, rxpk } from "./support/packet-forwarder.js";

describe("LoRa sources in the running gateway", () => {
  const dev = newSession();
  let rig: LoraGateway;

  beforeAll(async () => {
    rig = await startLoraGateway({ prefix: "gw-lora-e2e-", dev, lnsClientId: "e2e-lns" });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it("publishes a forwarded uplink once, also when an LNS delivers it again", async () => {
    const { mosq, gw, consumer, pf } = rig;
    expect(gw.sources.map((s) => [s.name, s.health().state])).toEqual([
      ["semtech-udp", "running"],
      ["lns-mqtt", expect.stringMatching(/starting|running/)],
    ]);
    const reading = uplinkVectors.find((v) => v.fPort === 1)!;
    const phy = buildUplink(dev, { fCnt: 17, fPort: 1, payload: reading.hex });
    const token = await pf.push([rxpk(phy, { time: new Date().toISOString() })]);
    expect(await pf.reply(token, PUSH_ACK, 5000)).not.toBeNull();
    await until(() => consumer.received.length === 1, 5000, "the classroom envelope");
    const [got] = consumer.received;
    expect(got!.counter).toBe(17);
    expect(got!.mid).toMatch(/\/l\/[0-9a-f]{8}\/17$/);
    expect(got!.mid).not.toContain(dev.devAddr.toLowerCase()); // the DevAddr never leaves the gateway

    // The same uplink (same DevEUI, DevAddr, FCnt) through ChirpStack's MQTT integration.
    await until(() => gw.sources[1]!.health().state === "running", 5000, "lns-mqtt subscribed");
    const cs = chirpstackUplink();
    Object.assign(cs.deviceInfo as object, { devEui: dev.devEui });
    Object.assign(cs, { devAddr: dev.devAddr, fCnt: 17, fPort: 1 });
    Object.assign(cs, { data: Buffer.from(reading.hex, "hex").toString("base64") });
    const pub = await mqtt.connectAsync(mosq.url);
    await pub.publishAsync(CHIRPSTACK_TOPIC, Buffer.from(bytes(cs)), { qos: 1 });
    await pub.endAsync();
    const lns = gw.sources[1] as LnsMqttSource;
    await until(() => lns.stats().framesIn === 1, 5000, "the LNS copy");
    expect(lns.stats().dispositions).toEqual({ accepted: 0, duplicate: 1, rejected: 0 });
    expect(consumer.received).toHaveLength(1);
  });
});
