// Band advert: 24 bytes of BLE manufacturer data under company id 0x0590 (Espruino).
// Byte table and rationale: protocol/README.md#band-advert.
import {
  equalBytes,
  isIntIn,
  readU16,
  readU24,
  readU32,
  sliceBytes,
  toHex,
  writeU16,
  writeU24,
  writeU32,
  type ByteSource,
} from "./bytes.js";
import { ADVERT_EID_OFFSET, EID_BYTES } from "./ephemeral.js";
import { cmac, type CmacKey } from "./cmac.js";
import { accept, reject, type Result } from "./result.js";

export const COMPANY_ID = 0x0590;
export const BAND_FRAME_TYPE = 1;
export const BAND_FRAME_VERSION = 1;
export const BAND_ADVERT_BYTES = 24;
export const BAND_SIGNED_BYTES = 20;
export const MAC_BYTES = 4;
/** A day total above this is a sensor or memory fault, not a walk. */
export const MAX_DAY_STEPS = 200000;
/** Oldest backlog day a frame may carry. */
export const MAX_BACKLOG_DAYS = 31;

export const BAND_FLAG_GOAL_REACHED = 1;
export const BAND_FLAG_LOW_BATTERY = 2;
export const BAND_FLAG_CLOCK_NOT_SET = 4;
export const BAND_FLAG_STORAGE_FAULT = 8;
export const BAND_FLAG_SENSOR_FAULT = 16;
const BAND_FLAGS_DEFINED = 31;

export interface BandFlags {
  goalReached: boolean;
  lowBattery: boolean;
  clockNotSet: boolean;
  storageFault: boolean;
  sensorFault: boolean;
}

export interface BacklogDay {
  /** 1 = yesterday ... MAX_BACKLOG_DAYS. */
  daysAgo: number;
  steps: number;
}

/** The signed content of a band advert, as the band encodes it and a gateway decodes it. */
export interface BandReport {
  eid: string; // 8 hex characters
  counter: number; // uint32, strictly increasing per band
  day: number; // local day number (days since 2020-01-01, Europe/Amsterdam)
  steps: number; // steps on that day so far
  backlog: BacklogDay | null;
  batteryMv: number | null; // 1810..4340 mV in 10 mV steps; null = unknown
  flags: BandFlags;
}

export interface BandAdvert extends BandReport {
  kind: "band";
  version: number;
  mac: string; // 8 hex characters
}

export function bandFlagsByte(f: BandFlags): number {
  return (
    (f.goalReached ? BAND_FLAG_GOAL_REACHED : 0) |
    (f.lowBattery ? BAND_FLAG_LOW_BATTERY : 0) |
    (f.clockNotSet ? BAND_FLAG_CLOCK_NOT_SET : 0) |
    (f.storageFault ? BAND_FLAG_STORAGE_FAULT : 0) |
    (f.sensorFault ? BAND_FLAG_SENSOR_FAULT : 0)
  );
}

export function batteryByte(mv: number | null): number {
  if (mv === null) return 0xff;
  const v = Math.round((mv - 1800) / 10);
  return v < 1 ? 1 : v > 254 ? 254 : v;
}

export function batteryMvOf(b: number): number | null {
  return b === 0xff || b === 0 ? null : 1800 + b * 10;
}

/** The MAC covers the company id and the 20 signed bytes, so a frame cannot move between apps. */
export function frameMac(macKey: CmacKey, frame: ByteSource, signedBytes: number): Uint8Array {
  const msg = new Uint8Array(2 + signedBytes);
  msg[0] = COMPANY_ID & 0xff;
  msg[1] = COMPANY_ID >> 8;
  for (let i = 0; i < signedBytes; i++) msg[2 + i] = frame[i]!;
  return cmac(macKey, msg);
}

/**
 * Encodes and signs a band advert. eid: the 4 bytes of the current epoch. Throws only on a
 * programming error (a field out of range), never on radio input.
 */
export function encodeBandAdvert(r: BandReport, eid: ByteSource, macKey: CmacKey): Uint8Array {
  if (!isIntIn(r.counter, 0, 0xffffffff)) throw new Error("band counter out of range");
  if (!isIntIn(r.day, 0, 0xffff)) throw new Error("band day out of range");
  if (!isIntIn(r.steps, 0, MAX_DAY_STEPS)) throw new Error("band steps out of range");
  const f = new Uint8Array(BAND_ADVERT_BYTES);
  f[0] = (BAND_FRAME_TYPE << 4) | BAND_FRAME_VERSION;
  for (let i = 0; i < EID_BYTES; i++) f[ADVERT_EID_OFFSET + i] = eid[i]!;
  writeU32(f, 5, r.counter);
  writeU16(f, 9, r.day);
  writeU24(f, 11, r.steps);
  if (r.backlog) {
    if (!isIntIn(r.backlog.daysAgo, 1, MAX_BACKLOG_DAYS))
      throw new Error("backlog daysAgo out of range");
    if (!isIntIn(r.backlog.steps, 0, MAX_DAY_STEPS)) throw new Error("backlog steps out of range");
    f[14] = r.backlog.daysAgo;
    writeU24(f, 15, r.backlog.steps);
  }
  f[18] = batteryByte(r.batteryMv);
  f[19] = bandFlagsByte(r.flags);
  const mac = frameMac(macKey, f, BAND_SIGNED_BYTES);
  for (let i = 0; i < MAC_BYTES; i++) f[BAND_SIGNED_BYTES + i] = mac[i]!;
  return f;
}

/** Parses the structure of a band advert without checking its MAC (the key is not known yet). */
export function decodeBandAdvert(b: ByteSource): Result<BandAdvert> {
  if (b.length < 1) return reject("truncated", "empty frame");
  if (b[0]! >> 4 !== BAND_FRAME_TYPE)
    return reject("unknown_type", "frame type " + (b[0]! >> 4) + " is not a band advert");
  if ((b[0]! & 15) !== BAND_FRAME_VERSION)
    return reject("bad_version", "band advert version " + (b[0]! & 15) + " (this reader knows 1)");
  if (b.length < BAND_ADVERT_BYTES)
    return reject("truncated", "band advert has " + b.length + " of 24 bytes");
  if (b.length > BAND_ADVERT_BYTES)
    return reject("too_long", "band advert has " + b.length + " bytes, expected 24");
  const steps = readU24(b, 11);
  if (steps > MAX_DAY_STEPS)
    return reject("out_of_range", "steps " + steps + " > " + MAX_DAY_STEPS);
  const daysAgo = b[14]!;
  const backlogSteps = readU24(b, 15);
  if (daysAgo > MAX_BACKLOG_DAYS)
    return reject("out_of_range", "backlog daysAgo " + daysAgo + " > " + MAX_BACKLOG_DAYS);
  if (daysAgo === 0 && backlogSteps !== 0)
    return reject("out_of_range", "backlog steps without a backlog day");
  if (backlogSteps > MAX_DAY_STEPS)
    return reject("out_of_range", "backlog steps " + backlogSteps + " > " + MAX_DAY_STEPS);
  if (b[18] === 0) return reject("out_of_range", "battery byte 0 is not used");
  const fl = b[19]!;
  if ((fl & ~BAND_FLAGS_DEFINED & 0xff) !== 0)
    return reject("reserved_bits", "flag bits 5-7 must be zero");
  return accept({
    kind: "band",
    version: BAND_FRAME_VERSION,
    eid: toHex(sliceBytes(b, ADVERT_EID_OFFSET, ADVERT_EID_OFFSET + EID_BYTES)),
    counter: readU32(b, 5),
    day: readU16(b, 9),
    steps: steps,
    backlog: daysAgo === 0 ? null : { daysAgo: daysAgo, steps: backlogSteps },
    batteryMv: batteryMvOf(b[18]!),
    flags: {
      goalReached: (fl & BAND_FLAG_GOAL_REACHED) !== 0,
      lowBattery: (fl & BAND_FLAG_LOW_BATTERY) !== 0,
      clockNotSet: (fl & BAND_FLAG_CLOCK_NOT_SET) !== 0,
      storageFault: (fl & BAND_FLAG_STORAGE_FAULT) !== 0,
      sensorFault: (fl & BAND_FLAG_SENSOR_FAULT) !== 0,
    },
    mac: toHex(sliceBytes(b, 20, 24)),
  });
}

/** True when the frame's truncated MAC verifies under macKey. Constant time in the MAC bytes. */
export function verifyFrameMac(b: ByteSource, signedBytes: number, macKey: CmacKey): boolean {
  if (b.length !== signedBytes + MAC_BYTES) return false;
  const mac = frameMac(macKey, b, signedBytes);
  const got = new Uint8Array(MAC_BYTES);
  for (let i = 0; i < MAC_BYTES; i++) got[i] = b[signedBytes + i]!;
  return equalBytes(mac, got, MAC_BYTES);
}
