// Pure: turns one MQTT message from the gateway into a GatewayMessage (decoded SenML-CBOR), and
// parses the gateway's Prometheus text for its rejection counters.
import { decodeEnvelope, readBandEnvelope, readClassroomEnvelope } from "@leiden-iot/protocol";
import type { GatewayMessage } from "../rig/context.js";

export function readGatewayMessage(
  topic: string,
  payload: Uint8Array,
  at: number,
): GatewayMessage | string {
  const env = decodeEnvelope(payload, at / 1000);
  if (!env.ok) return `${topic}: ${env.reason}: ${env.detail}`;
  if (/\/rewards\/band\/[^/]+\/report$/.test(topic)) {
    const b = readBandEnvelope(env.value.records);
    if (!b.ok) return `${topic}: ${b.reason}: ${b.detail}`;
    return {
      at: at,
      topic: topic,
      messageId: b.value.messageId,
      channel: b.value.messageId.indexOf("/l/") >= 0 ? "lora" : "ble",
      pseudonym: b.value.pseudonym,
      band: b.value,
    };
  }
  if (/\/sensors\/classroom\/[^/]+\/reading$/.test(topic)) {
    const c = readClassroomEnvelope(env.value.records);
    if (!c.ok) return `${topic}: ${c.reason}: ${c.detail}`;
    return {
      at: at,
      topic: topic,
      messageId: c.value.messageId,
      channel: c.value.messageId.indexOf("/l/") >= 0 ? "lora" : "ble",
      pseudonym: c.value.pseudonym,
      classroom: c.value,
    };
  }
  return `${topic}: not a band report or classroom reading topic`;
}

/** The counter after "/b/" in a BLE message id, or null. */
export function bleCounterOf(messageId: string): number | null {
  const m = /\/b\/(\d+)$/.exec(messageId);
  return m ? Number(m[1]) : null;
}

/** `liot_frames_rejected_total{reason="bad_mac"} 3` lines -> { bad_mac: 3 }. */
export function parseRejections(prometheusText: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = /^liot_frames_rejected_total\{[^}]*reason="([^"]+)"[^}]*\}\s+([0-9.eE+-]+)\s*$/gm;
  for (let m = re.exec(prometheusText); m; m = re.exec(prometheusText))
    out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}
