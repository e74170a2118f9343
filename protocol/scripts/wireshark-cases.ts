// protocol/vectors as capture files for the dissector tests and the sample captures: every valid
// and invalid vector becomes one packet, plus a copy of each signed valid frame with one bit of
// its MAC flipped. Packet times fall inside each vector's epoch, so a key holder resolves its EID.
import { readFileSync } from "node:fs";
import { decodeAdvert } from "../src/frame.js";
import { TIME_BEACON_TYPE } from "../src/time-beacon.js";
import {
  bleAdvert,
  LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR,
  LINKTYPE_LORATAP,
  loraTapFrame,
  pcapFile,
  type LoraSession,
} from "./pcap.js";

interface Vector {
  name: string;
  hex: string;
  reason?: string;
  decoded?: Record<string, unknown>;
  deviceId?: number;
  epoch?: number;
  address?: string;
  unixSeconds?: number;
  fPort?: number;
  envelope?: { pseudonym: string };
}
interface VectorFile {
  masterKey?: string;
  pseudonymScope?: string;
  valid: Vector[];
  invalid: Vector[];
}

function vectors(name: string): VectorFile {
  return JSON.parse(
    readFileSync(new URL(`../vectors/${name}.json`, import.meta.url), "utf8"),
  ) as VectorFile;
}

export const band = vectors("band-advert");
export const classroom = vectors("classroom-advert");
export const timeBeacon = vectors("time-beacon");
export const uplink = vectors("lora-uplink");
export const downlink = vectors("lora-downlink");

/** The preference values that unlock the vectors (all vector files share one master key). */
export const vectorKeys = {
  masterKey: band.masterKey!,
  pseudonymScope: band.pseudonymScope!,
  deviceIds: [...new Set([...band.valid, ...classroom.valid].map((v) => v.deviceId!))].join(","),
};

/** A made-up ABP session for the LoRaWAN captures (the payload vectors carry no LoRaWAN keys). */
export const loraSession: LoraSession = {
  devAddr: "26011bda",
  nwkSKey: "2b7e151628aed2a6abf7158809cf4f3c",
  appSKey: "000102030405060708090a0b0c0d0e0f",
};

export interface BleCase {
  name: string;
  hex: string;
  time: number;
  address: string;
  /** The vector's decoded value (adverts) or null (time beacons, invalid frames). */
  decoded: Record<string, unknown> | null;
  reason: string | null;
  unixSeconds: number | null;
  deviceId: number | null;
  pseudonym: string | null;
  /** True for the copies with one MAC bit flipped. */
  tampered: boolean;
}

const FALLBACK_TIME = 1795425000;
const FALLBACK_ADDRESS = "c0:11:22:33:44:55";

function flipLastBit(hex: string): string {
  const last = parseInt(hex.slice(-2), 16) ^ 1;
  return hex.slice(0, -2) + last.toString(16).padStart(2, "0");
}

export function bleCases(): BleCase[] {
  const adverts = [...band.valid, ...classroom.valid];
  // An invalid advert that keeps a valid one's EID is sent in that one's epoch.
  const byEid = new Map(adverts.map((v) => [v.hex.slice(2, 10), v]));
  const cases: BleCase[] = [];
  const base = {
    decoded: null,
    reason: null,
    unixSeconds: null,
    deviceId: null,
    pseudonym: null,
    tampered: false,
  };
  for (const v of adverts) {
    const c = {
      ...base,
      name: v.name,
      hex: v.hex,
      time: v.epoch! * 900 + 450,
      address: v.address!,
      decoded: v.decoded!,
      deviceId: v.deviceId!,
      pseudonym: v.envelope!.pseudonym,
    };
    cases.push(c, {
      ...c,
      name: c.name + " (MAC bit flipped)",
      hex: flipLastBit(v.hex),
      tampered: true,
    });
  }
  for (const v of timeBeacon.valid) {
    const c = {
      ...base,
      name: v.name,
      hex: v.hex,
      time: v.unixSeconds!,
      address: FALLBACK_ADDRESS,
      unixSeconds: v.unixSeconds!,
    };
    cases.push(c, {
      ...c,
      name: c.name + " (MAC bit flipped)",
      hex: flipLastBit(v.hex),
      tampered: true,
    });
  }
  for (const v of [...band.invalid, ...classroom.invalid, ...timeBeacon.invalid]) {
    const twin = byEid.get(v.hex.slice(2, 10));
    cases.push({
      ...base,
      name: v.name,
      hex: v.hex,
      time: twin ? twin.epoch! * 900 + 450 : FALLBACK_TIME,
      address: twin ? twin.address! : FALLBACK_ADDRESS,
      reason: reasonUnder0590(v),
    });
  }
  return cases;
}

/**
 * The reason a reader of everything under 0x0590 gives. The same as the vector's except for a
 * time-beacon vector that is another frame type ("band frame type"): the time-beacon reader says
 * unknown_type, a dissector hands it to that type's reader (protocol's decodeAdvert).
 */
function reasonUnder0590(v: Vector): string {
  const bytes = Buffer.from(v.hex, "hex");
  if (bytes.length === 0 || bytes[0]! >> 4 === TIME_BEACON_TYPE || !timeBeacon.invalid.includes(v))
    return v.reason!;
  const r = decodeAdvert(bytes);
  if (r.ok) throw new Error(`vector "${v.name}" decodes as an advert`);
  return r.reason;
}

export interface LoraCase {
  name: string;
  direction: "up" | "down";
  fPort: number;
  hex: string;
  decoded: Record<string, unknown> | null;
  reason: string | null;
}

export function loraCases(): LoraCase[] {
  const cases: LoraCase[] = [];
  for (const [file, direction] of [
    [uplink, "up"],
    [downlink, "down"],
  ] as const) {
    for (const v of file.valid)
      cases.push({
        name: v.name,
        direction,
        fPort: v.fPort!,
        hex: v.hex,
        decoded: v.decoded!,
        reason: null,
      });
    for (const v of file.invalid)
      cases.push({
        name: v.name,
        direction,
        fPort: v.fPort!,
        hex: v.hex,
        decoded: null,
        reason: v.reason!,
      });
  }
  return cases;
}

export function blePcap(cases: BleCase[]): Buffer {
  return pcapFile(
    LINKTYPE_BLUETOOTH_LE_LL_WITH_PHDR,
    cases.map((c) => ({ time: c.time, data: bleAdvert(c.address, Buffer.from(c.hex, "hex")) })),
  );
}

export function loraPcap(cases: LoraCase[], start = FALLBACK_TIME): Buffer {
  return pcapFile(
    LINKTYPE_LORATAP,
    cases.map((c, i) => ({
      time: start + i,
      data: loraTapFrame(loraSession, c.direction, i + 1, c.fPort, Buffer.from(c.hex, "hex")),
    })),
  );
}
