// A simulated fleet that publishes what the gateway publishes: frames encoded and signed with
// derived device keys, decoded and MAC-checked as the gateway does, wrapped in SenML-CBOR envelopes
// under the device's pseudonym, sent with QoS 1 and the MQTT 5 properties.
import mqtt from "mqtt";
import {
  ENVELOPE_CONTENT_TYPE,
  ENVELOPE_SCHEMA,
  bandEnvelope,
  classroomAdvertEnvelope,
  classroomUplinkEnvelope,
  cmacKey,
  decodeBandAdvert,
  decodeClassroomAdvert,
  decodeUplink,
  derivePseudonymKey,
  deriveDeviceKey,
  deviceKeys,
  encodeBandAdvert,
  encodeClassroomAdvert,
  encodePack,
  encodeUplink,
  envelopeTopic,
  envelopeUserProperties,
  epochIdentity,
  epochOf,
  fromHex,
  messageId,
  nodeAes128,
  pseudonymOf,
  toHex,
  verifyFrameMac,
  type Envelope,
  type ReceiveMeta,
} from "@leiden-iot/protocol";

const MASTER = fromHex("000102030405060708090a0b0c0d0e0f")!;
const SCOPE = "leiden-pilot-2027";
const aes = nodeAes128;
const pseudonymKey = derivePseudonymKey(aes, MASTER, SCOPE);
const FLAGS = {
  goalReached: false,
  lowBattery: false,
  clockNotSet: false,
  storageFault: false,
  sensorFault: false,
};
const STATUS = {
  signal: "green" as const,
  calibration: "auto" as const,
  sensorFault: false,
  clockNotSet: false,
  restarted: false,
};

export interface Device {
  id: number;
  pseudonym: string;
  macKey: ReturnType<typeof cmacKey>;
  eidKey: Uint8Array;
  counter: number;
}

export function device(id: number): Device {
  const k = deviceKeys(aes, deriveDeviceKey(aes, MASTER, id));
  return {
    id,
    pseudonym: pseudonymOf(aes, pseudonymKey, id),
    macKey: cmacKey(aes, k.mac),
    eidKey: k.eid,
    counter: 0,
  };
}

export interface Published {
  topic: string;
  payload: Buffer;
  meta: ReceiveMeta;
}

function meta(d: Device, receivedAt: number, channel: "ble" | "lora"): ReceiveMeta {
  return {
    gatewayId: "gw-e2e",
    receivedAt,
    source: channel,
    messageId: messageId(
      d.pseudonym,
      channel,
      d.counter,
      channel === "lora" ? "260b0001" : undefined,
    ),
    counter: d.counter,
    rssi: -70,
  };
}

function publishable(prefix: string, env: Envelope, m: ReceiveMeta): Published {
  return {
    topic: envelopeTopic(prefix, env.kind, env.pseudonym),
    payload: Buffer.from(encodePack(env.pack)),
    meta: m,
  };
}

/** A band report as a band would advertise it on local day `day`, received at `receivedAt`. */
export function bandReport(
  prefix: string,
  d: Device,
  day: number,
  steps: number,
  receivedAt: number,
  backlog: { daysAgo: number; steps: number } | null = null,
): Published {
  d.counter += 1;
  const eid = epochIdentity(aes, d.eidKey, epochOf(receivedAt)).eid;
  const frame = encodeBandAdvert(
    { eid: toHex(eid), counter: d.counter, day, steps, backlog, batteryMv: 2950, flags: FLAGS },
    eid,
    d.macKey,
  );
  if (!verifyFrameMac(frame, 20, d.macKey)) throw new Error("band frame MAC does not verify");
  const decoded = decodeBandAdvert(frame);
  if (!decoded.ok) throw new Error(decoded.detail);
  const m = meta(d, receivedAt, "ble");
  return publishable(prefix, bandEnvelope(decoded.value, d.pseudonym, m), m);
}

/** A classroom BLE advert with one reading. */
export function classroomAdvert(
  prefix: string,
  d: Device,
  co2Ppm: number,
  receivedAt: number,
): Published {
  d.counter += 1;
  const eid = epochIdentity(aes, d.eidKey, epochOf(receivedAt)).eid;
  const report = {
    eid: toHex(eid),
    counter: d.counter,
    reading: { co2Ppm, temperatureDeci: 200 + (co2Ppm % 30), humidityHalfPercent: 90 },
    power: { external: true, batteryPercent: null },
    status: STATUS,
  };
  const frame = encodeClassroomAdvert(report, eid, d.macKey);
  if (!verifyFrameMac(frame, 16, d.macKey)) throw new Error("classroom frame MAC does not verify");
  const decoded = decodeClassroomAdvert(frame);
  if (!decoded.ok) throw new Error(decoded.detail);
  const m = meta(d, receivedAt, "ble");
  return publishable(prefix, classroomAdvertEnvelope(decoded.value, d.pseudonym, m), m);
}

/** A LoRaWAN batch uplink: `ppm` readings `interval` seconds apart, the last one at `receivedAt`. */
export function classroomBatch(
  prefix: string,
  d: Device,
  ppm: number[],
  interval: number,
  receivedAt: number,
): Published {
  d.counter += 1;
  const { fPort, bytes } = encodeUplink({
    kind: "batch",
    seq: d.counter & 0xffff,
    intervalSeconds: interval,
    ageSeconds: 0,
    readings: ppm.map((co2Ppm) => ({ co2Ppm, temperatureDeci: 225, humidityHalfPercent: 100 })),
    power: { external: true, batteryPercent: null },
    status: STATUS,
  });
  const decoded = decodeUplink(fPort, bytes);
  if (!decoded.ok) throw new Error(decoded.detail);
  const m = meta(d, receivedAt, "lora");
  return publishable(prefix, classroomUplinkEnvelope(decoded.value, d.pseudonym, m), m);
}

export async function publishAll(brokerUrl: string, list: Published[]): Promise<void> {
  const c = await mqtt.connectAsync(brokerUrl, {
    protocolVersion: 5,
    clientId: "e2e-fleet-" + process.pid + "-" + Date.now(),
  });
  for (const p of list)
    await c.publishAsync(p.topic, p.payload, {
      qos: 1,
      properties: {
        contentType: ENVELOPE_CONTENT_TYPE,
        userProperties: envelopeUserProperties(p.meta, ENVELOPE_SCHEMA),
      },
    });
  await c.endAsync();
}

/** What an mqtt in node (MQTT 5) puts into msg for a published envelope. */
export function asMqttMessage(p: Published): {
  topic: string;
  payload: Buffer;
  contentType: string;
  userProperties: Record<string, string>;
} {
  return {
    topic: p.topic,
    payload: p.payload,
    contentType: ENVELOPE_CONTENT_TYPE,
    userProperties: envelopeUserProperties(p.meta, ENVELOPE_SCHEMA),
  };
}
