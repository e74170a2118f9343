// Provisioned configuration ("liot.cfg", written by `npm run provision`): device id and key, the
// deployment's time-beacon key, and the daily goal.
import { DEVICE_CONFIG_FILE, fromHex, isIntIn } from "@leiden-iot/protocol/device";
import type { FileStore } from "../hal/types.js";

export const DEFAULT_GOAL = 8000;

export interface DeviceConfig {
  deviceId: number;
  deviceKey: Uint8Array;
  timeKey: Uint8Array | null;
  goal: number;
  /** Classroom: signal preset "default" | "A" | "B" | "C". */
  preset: string;
  /** Classroom LoRaWAN OTAA identity (hex), empty on bands. */
  devEui: string;
  appEui: string;
  appKey: string;
}

function hex16(v: unknown): Uint8Array | null {
  if (typeof v !== "string") return null;
  const b = fromHex(v);
  return b && b.length === 16 ? b : null;
}

export function parseConfig(text: string | undefined): DeviceConfig | null {
  if (text === undefined) return null;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text);
  } catch {
    return null;
  }
  if (!o || !isIntIn(o.id as number, 0, 0xffffffff)) return null;
  const key = hex16(o.key);
  if (!key) return null;
  const goal = isIntIn(o.goal as number, 100, 100000) ? (o.goal as number) : DEFAULT_GOAL;
  return {
    deviceId: o.id as number,
    deviceKey: key,
    timeKey: hex16(o.tkey),
    goal: goal,
    preset: typeof o.preset === "string" ? (o.preset as string) : "default",
    devEui: typeof o.deveui === "string" ? (o.deveui as string) : "",
    appEui: typeof o.appeui === "string" ? (o.appeui as string) : "",
    appKey: typeof o.appkey === "string" ? (o.appkey as string) : "",
  };
}

export function loadConfig(store: FileStore): DeviceConfig | null {
  return parseConfig(store.read(DEVICE_CONFIG_FILE));
}
