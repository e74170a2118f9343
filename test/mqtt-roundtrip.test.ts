// An envelope published to a real Mosquitto arrives byte-identical, with its MQTT 5 properties,
// and decodes to the same band report.
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ENVELOPE_CONTENT_TYPE,
  ENVELOPE_SCHEMA,
  bandEnvelope,
  decodeBandAdvert,
  decodeEnvelope,
  encodePack,
  envelopeTopic,
  envelopeUserProperties,
  fromHex,
  readBandEnvelope,
  type ReceiveMeta,
} from "@leiden-iot/protocol";
import vectors from "../protocol/vectors/band-advert.json" with { type: "json" };
import { disposeMosquitto, startMosquitto, type Mosquitto } from "./support/mosquitto.js";

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await disposeMosquitto(broker);
});

describe("envelope round trip through Mosquitto", () => {
  it("delivers SenML-CBOR with content type and user properties over MQTT 5", async () => {
    const v = vectors.valid.find((x) => x.decoded.backlog !== null)!;
    const frame = decodeBandAdvert(fromHex(v.hex)!);
    if (!frame.ok) throw new Error(frame.detail);
    const meta: ReceiveMeta = v.envelope.meta as ReceiveMeta;
    const env = bandEnvelope(frame.value, v.envelope.pseudonym, meta);
    const bytes = encodePack(env.pack);
    const topic = envelopeTopic("leiden/test", env.kind, env.pseudonym);

    const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "rt-sub" });
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: "rt-pub" });
    await sub.subscribeAsync("leiden/test/#", { qos: 1 });
    const got = new Promise<{
      topic: string;
      payload: Buffer;
      props: mqtt.IPublishPacket["properties"];
    }>((resolve) =>
      sub.on("message", (t, payload, packet) =>
        resolve({ topic: t, payload, props: packet.properties }),
      ),
    );
    await pub.publishAsync(topic, Buffer.from(bytes), {
      qos: 1,
      properties: {
        contentType: ENVELOPE_CONTENT_TYPE,
        userProperties: envelopeUserProperties(meta, ENVELOPE_SCHEMA),
      },
    });
    const msg = await got;
    await pub.endAsync();
    await sub.endAsync();

    expect(msg.topic).toBe(`leiden/test/rewards/band/${v.envelope.pseudonym}/report`);
    expect(msg.props?.contentType).toBe(ENVELOPE_CONTENT_TYPE);
    expect(msg.props?.userProperties).toMatchObject({
      schema: ENVELOPE_SCHEMA,
      mid: meta.messageId,
      gateway: meta.gatewayId,
    });
    expect(Buffer.from(msg.payload).toString("hex")).toBe(v.envelope.cbor);
    const decoded = decodeEnvelope(new Uint8Array(msg.payload), meta.receivedAt);
    if (!decoded.ok) throw new Error(decoded.detail);
    const read = readBandEnvelope(decoded.value.records);
    if (!read.ok) throw new Error(read.detail);
    expect(read.value.days.map((d) => d.steps)).toEqual([
      v.decoded.steps,
      v.decoded.backlog!.steps,
    ]);
  });
});
