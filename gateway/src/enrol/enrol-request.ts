// What the page writes to a device (firmware/src/enrol/enrol-request.ts checks it on the device):
// id, its derived key, the time-beacon key, the clock and the goal; a classroom node also gets its
// LoRaWAN identity, room and preset. Keys derive from the master key here, in the gateway; the
// master key itself never leaves it.
import { deviceConfig, localDayIso, localDay, nodeAes128 } from "@leiden-iot/protocol";
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

/**
 * The request for one device: protocol's liot.cfg fields (deviceConfig, the same writer as
 * `npm run provision`) plus the clock, the reset flag and, for a classroom node, its room.
 */
export function enrolRequest(
  master: Uint8Array,
  kind: EnrolKind,
  id: number,
  o: { t: number; goal: number; reset: boolean; room?: string; preset?: string },
): BandRequest | ClassroomRequest {
  const config = deviceConfig({
    device: kind,
    deviceId: id,
    masterKey: master,
    goal: o.goal,
    preset: o.preset,
    aes: nodeAes128,
  });
  const request = {
    ...config,
    t: Math.floor(o.t),
    ...(o.reset ? { reset: true as const } : {}),
  };
  return kind === "band"
    ? (request as unknown as BandRequest)
    : ({ ...request, room: o.room ?? "" } as unknown as ClassroomRequest);
}

/** The label's date: the local (Europe/Amsterdam) day of the enrolment, YYYY-MM-DD. */
export function labelDate(unixSeconds: number): string {
  return localDayIso(localDay(unixSeconds));
}
