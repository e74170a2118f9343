// What the page writes to a device (firmware/src/enrol/enrol-request.ts checks it on the device):
// id, its derived key, the time-beacon key, the clock and the goal; a classroom node also gets its
// LoRaWAN identity, room and preset. Keys derive from the master key here, in the gateway; the
// master key itself never leaves it.
import {
  deriveDeviceKey,
  deriveTimeKey,
  kdf,
  localDayIso,
  localDay,
  nodeAes128,
  toHex,
} from "@leiden-iot/protocol";
import type { EnrolKind } from "./enrol-book.js";

export interface BandRequest {
  id: number;
  key: string;
  tkey: string;
  t: number;
  goal: number;
  reset?: true;
}

export interface ClassroomRequest {
  id: number;
  key: string;
  tkey: string;
  t: number;
  appkey: string;
  deveui: string;
  appeui: string;
  room: string;
  preset: string;
  reset?: true;
}

/** The classroom node's DevEUI: 02 (locally administered) "LIO" + the 32-bit id (as `npm run provision`). */
export function devEuiOf(id: number): string {
  return "024c494f" + ("00000000" + (id >>> 0).toString(16)).slice(-8);
}

export function enrolRequest(
  master: Uint8Array,
  kind: EnrolKind,
  id: number,
  o: { t: number; goal: number; reset: boolean; room?: string; preset?: string },
): BandRequest | ClassroomRequest {
  const key = deriveDeviceKey(nodeAes128, master, id);
  const base = {
    id,
    key: toHex(key),
    tkey: toHex(deriveTimeKey(nodeAes128, master)),
    t: Math.floor(o.t),
    ...(o.reset ? { reset: true as const } : {}),
  };
  if (kind === "band") return { ...base, goal: o.goal };
  return {
    ...base,
    appkey: toHex(kdf(nodeAes128, key, "LIOT-LORA-APPKEY", new Uint8Array(0))),
    deveui: devEuiOf(id),
    appeui: "0000000000000000",
    room: o.room ?? "",
    preset: o.preset ?? "default",
  };
}

/** The label's date: the local (Europe/Amsterdam) day of the enrolment, YYYY-MM-DD. */
export function labelDate(unixSeconds: number): string {
  return localDayIso(localDay(unixSeconds));
}
