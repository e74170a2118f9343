// Gateway time beacon: gateways advertise the time, signed with the deployment's time key, so a
// band that listens for a few seconds once a day can keep its clock within a minute over a year.
// A band accepts a beacon only within a bounded step of its own clock (see firmware), so a leaked
// time key lets an attacker slew clocks slowly, never jump them.
import { readU32, sliceBytes, toHex, writeU32, type ByteSource } from "./bytes.js";
import { cmac, type CmacKey } from "./cmac.js";
import { equalBytes } from "./bytes.js";
import { COMPANY_ID } from "./band-advert.js";
import { accept, reject, type Result } from "./result.js";

export const TIME_BEACON_TYPE = 3;
export const TIME_BEACON_VERSION = 1;
export const TIME_BEACON_BYTES = 13;
const TIME_MAC_BYTES = 8;

function beaconMac(key: CmacKey, f: ByteSource): Uint8Array {
  const msg = new Uint8Array(7);
  msg[0] = COMPANY_ID & 0xff;
  msg[1] = COMPANY_ID >> 8;
  for (let i = 0; i < 5; i++) msg[2 + i] = f[i]!;
  return cmac(key, msg);
}

export function encodeTimeBeacon(unixSeconds: number, timeKey: CmacKey): Uint8Array {
  const f = new Uint8Array(TIME_BEACON_BYTES);
  f[0] = (TIME_BEACON_TYPE << 4) | TIME_BEACON_VERSION;
  writeU32(f, 1, Math.floor(unixSeconds));
  const mac = beaconMac(timeKey, f);
  for (let i = 0; i < TIME_MAC_BYTES; i++) f[5 + i] = mac[i]!;
  return f;
}

export interface TimeBeacon {
  kind: "time_beacon";
  version: number;
  unixSeconds: number; // the signed time
  mac: string; // 16 hex characters
}

/** Parses a time beacon without checking its MAC (a sniffer that has no time key). */
export function parseTimeBeacon(b: ByteSource): Result<TimeBeacon> {
  if (b.length < 1) return reject("truncated", "empty frame");
  if (b[0]! >> 4 !== TIME_BEACON_TYPE)
    return reject("unknown_type", "frame type " + (b[0]! >> 4) + " is not a time beacon");
  if ((b[0]! & 15) !== TIME_BEACON_VERSION)
    return reject("bad_version", "time beacon version " + (b[0]! & 15));
  if (b.length < TIME_BEACON_BYTES)
    return reject("truncated", "time beacon has " + b.length + " of 13 bytes");
  if (b.length > TIME_BEACON_BYTES)
    return reject("too_long", "time beacon has " + b.length + " bytes, expected 13");
  return accept({
    kind: "time_beacon",
    version: TIME_BEACON_VERSION,
    unixSeconds: readU32(b, 1),
    mac: toHex(sliceBytes(b, 5, 5 + TIME_MAC_BYTES)),
  });
}

/** Decodes and verifies a time beacon; the result is the signed unix time. */
export function decodeTimeBeacon(b: ByteSource, timeKey: CmacKey): Result<number> {
  const parsed = parseTimeBeacon(b);
  if (!parsed.ok) return parsed;
  const mac = beaconMac(timeKey, b);
  const got = new Uint8Array(TIME_MAC_BYTES);
  for (let i = 0; i < TIME_MAC_BYTES; i++) got[i] = b[5 + i]!;
  if (!equalBytes(mac, got, TIME_MAC_BYTES))
    return reject("bad_mac", "time beacon MAC does not verify");
  return accept(parsed.value.unixSeconds);
}
