// Pure: turns one MQTT message from the gateway into a GatewayMessage (decoded SenML-CBOR), and
// parses the gateway's Prometheus text for its rejection counters.
import {
  decodeEnvelope,
  parseEnvelopeTopic,
  parseMessageId,
  readBandEnvelope,
  readClassroomEnvelope,
} from "@leiden-iot/protocol";
import type { GatewayMessage } from "../rig/context.js";

export function readGatewayMessage(
  topic: string,
  payload: Uint8Array,
  at: number,
): GatewayMessage | string {
  const env = decodeEnvelope(payload, at / 1000);
  if (!env.ok) return `${topic}: ${env.reason}: ${env.detail}`;
  const kind = parseEnvelopeTopic(topic)?.kind;
  if (kind === "band_report") {
    const b = readBandEnvelope(env.value.records);
    if (!b.ok) return `${topic}: ${b.reason}: ${b.detail}`;
    return {
      at: at,
      topic: topic,
      messageId: b.value.messageId,
      channel: channelOf(b.value.messageId),
      pseudonym: b.value.pseudonym,
      band: b.value,
    };
  }
  if (kind === "classroom_reading") {
    const c = readClassroomEnvelope(env.value.records);
    if (!c.ok) return `${topic}: ${c.reason}: ${c.detail}`;
    return {
      at: at,
      topic: topic,
      messageId: c.value.messageId,
      channel: channelOf(c.value.messageId),
      pseudonym: c.value.pseudonym,
      classroom: c.value,
    };
  }
  return `${topic}: not a band report or classroom reading topic`;
}

function channelOf(messageId: string): "ble" | "lora" {
  return parseMessageId(messageId)?.channel === "lora" ? "lora" : "ble";
}

/** The frame counter of a BLE message id, or null (LoRa or malformed ids). */
export function bleCounterOf(messageId: string): number | null {
  const m = parseMessageId(messageId);
  return m && m.channel === "ble" ? m.counter : null;
}

/** `liot_frames_rejected_total{reason="bad_mac"} 3` lines -> { bad_mac: 3 }. */
export function parseRejections(prometheusText: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = /^liot_frames_rejected_total\{[^}]*reason="([^"]+)"[^}]*\}\s+([0-9.eE+-]+)\s*$/gm;
  for (let m = re.exec(prometheusText); m; m = re.exec(prometheusText))
    out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}
