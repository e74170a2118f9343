// The device configuration file "liot.cfg" that provisioning writes to a device's Storage: its
// layout, defined once. Provisioning (firmware/src/build/provision-plan.ts) and the simulator write
// it with deviceConfig; the firmware reads it (firmware/src/band/band-config.ts). Espruino-safe.
import type { Aes128 } from "./cmac.js";
import { deriveDeviceKey, deriveLoraAppKey, deriveTimeKey } from "./keys.js";
import { toHex } from "./bytes.js";

/** Name of the configuration file in the device's Storage. */
export const DEVICE_CONFIG_FILE = "liot.cfg";

/** LoRaWAN DevEUI of a classroom node: a locally administered EUI-64 carrying the device id. */
export function devEuiOf(id: number): string {
  // 02 (locally administered) + "LIO" + the 32-bit id: 8 bytes.
  return "024c494f" + ("00000000" + (id >>> 0).toString(16)).slice(-8);
}

/** Longest room name a classroom node keeps (liot.cfg "room"; its BLE name in live mode). */
export const ROOM_NAME_MAX = 24;

/**
 * A room name a teacher can type: 1..ROOM_NAME_MAX printable ASCII characters, no double quote
 * or backslash (it is written into liot.cfg's JSON text and the node's BLE name as it is).
 */
export function validRoomName(v: unknown): boolean {
  if (typeof v !== "string" || v.length < 1 || v.length > ROOM_NAME_MAX) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return false;
  }
  return true;
}

export interface DeviceConfigInput {
  device: "band" | "classroom";
  deviceId: number;
  masterKey: Uint8Array;
  goal?: number | undefined;
  preset?: string | undefined;
  aes: Aes128;
}

/** The liot.cfg object of one device: the single writer (provisioning and the simulator use it). */
export function deviceConfig(p: DeviceConfigInput): Record<string, unknown> {
  const key = deriveDeviceKey(p.aes, p.masterKey, p.deviceId);
  const config: Record<string, unknown> = {
    id: p.deviceId,
    key: toHex(key),
    tkey: toHex(deriveTimeKey(p.aes, p.masterKey)),
  };
  if (p.device === "band") config.goal = p.goal ?? 8000;
  else {
    config.preset = p.preset ?? "default";
    config.deveui = devEuiOf(p.deviceId);
    config.appeui = "0000000000000000";
    config.appkey = toHex(deriveLoraAppKey(p.aes, key));
  }
  return config;
}
