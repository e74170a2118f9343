// Pseudonyms: beyond the gateway a device is known only by a UUIDv8 derived with the deployment's
// pseudonym key, never by its device id. Organisations see aggregates over pseudonyms.
import { toHex, writeU32 } from "./bytes.js";
import { cmac, cmacKey, type Aes128 } from "./cmac.js";

/** UUID (RFC 9562 version 8, name-based) of a device under one pseudonym key. */
export function pseudonymOf(aes: Aes128, pseudonymKey: Uint8Array, deviceId: number): string {
  const msg = new Uint8Array(8);
  msg[0] = 0x50; // "PSN1"
  msg[1] = 0x53;
  msg[2] = 0x4e;
  msg[3] = 0x31;
  writeU32(msg, 4, deviceId);
  const h = cmac(cmacKey(aes, pseudonymKey), msg);
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const x = toHex(h);
  return (
    x.substring(0, 8) +
    "-" +
    x.substring(8, 12) +
    "-" +
    x.substring(12, 16) +
    "-" +
    x.substring(16, 20) +
    "-" +
    x.substring(20, 32)
  );
}

/** SenML base name of a device: its pseudonym URN followed by ":" (names then read "urn:uuid:...:steps"). */
export function pseudonymBaseName(uuid: string): string {
  return "urn:uuid:" + uuid + ":";
}

/**
 * Message id: deterministic from the device (pseudonym) and its frame counter, so the same frame
 * heard twice, or by two gateways, carries the same id and consumers can be idempotent.
 * BLE: the band/classroom frame counter. LoRa: a session tag and the 32-bit FCntUp; the tag
 * (loraSessionTag) stands for the DevAddr, which must not leave the gateway: it is static for ABP
 * devices and sent in clear on air, so it would link MQTT data to a physical node.
 */
export function messageId(
  uuid: string,
  channel: "ble" | "lora",
  counter: number,
  sessionTag?: string,
): string {
  return channel === "ble"
    ? uuid + "/b/" + counter
    : uuid + "/l/" + (sessionTag || "") + "/" + counter;
}

export type ParsedMessageId =
  | { pseudonym: string; channel: "ble"; counter: number }
  | { pseudonym: string; channel: "lora"; sessionTag: string; counter: number };

function counterOf(text: string): number | null {
  if (text === "" || text.length > 10) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = parseInt(text, 10);
  return n <= 0xffffffff ? n : null;
}

/** The inverse of messageId, or null for a string messageId cannot have produced. */
export function parseMessageId(id: string): ParsedMessageId | null {
  const parts = id.split("/");
  if (parts[0] === "") return null;
  if (parts.length === 3 && parts[1] === "b") {
    const counter = counterOf(parts[2]!);
    return counter === null ? null : { pseudonym: parts[0]!, channel: "ble", counter: counter };
  }
  if (parts.length === 4 && parts[1] === "l") {
    const counter = counterOf(parts[3]!);
    if (counter === null) return null;
    return { pseudonym: parts[0]!, channel: "lora", sessionTag: parts[2]!, counter: counter };
  }
  return null;
}

/**
 * 8 hex characters standing for a LoRaWAN session's DevAddr, keyed with the pseudonym key.
 * `session` > 0 (the gateway's re-provisioning count for an ABP device that keeps its DevAddr)
 * is appended as 4 big-endian bytes, so a counter restarting at 1 gets message ids of its own;
 * session 0 is the original 7-byte input (existing ids unchanged).
 */
export function loraSessionTag(
  aes: Aes128,
  pseudonymKey: Uint8Array,
  devAddrHex: string,
  session?: number,
): string {
  const s = session || 0;
  const msg = new Uint8Array(s > 0 ? 11 : 7);
  msg[0] = 0x53; // "SES"
  msg[1] = 0x45;
  msg[2] = 0x53;
  const d = devAddrHex.toLowerCase();
  for (let i = 0; i < 4; i++) msg[3 + i] = parseInt(d.substring(2 * i, 2 * i + 2), 16) & 0xff;
  if (s > 0)
    for (let i = 0; i < 4; i++) msg[7 + i] = Math.floor(s / Math.pow(2, 24 - 8 * i)) & 0xff;
  return toHex(cmac(cmacKey(aes, pseudonymKey), msg)).substring(0, 8);
}
