// Optional deployment keys: with the master key the dissector finds which device sent an advert
// (its ephemeral id, for the previous, current and next 15-minute epoch of every device id in the
// configured range) and checks the frame's MAC, exactly as the gateway does, with protocol's KDF,
// CMAC and EID code on a plain AES (Wireshark's Lua has none).
import { softAes128 } from "../../src/aes128.js";
import { openAdvert } from "../../src/frame.js";
import { fromHex, toHex } from "../../src/bytes.js";
import { cmacKey, type CmacKey } from "../../src/cmac.js";
import { epochIdentity, epochOf } from "../../src/ephemeral.js";
import { deriveDeviceKey, derivePseudonymKey, deriveTimeKey, deviceKeys } from "../../src/keys.js";
import { pseudonymOf } from "../../src/pseudonym.js";
import { decodeTimeBeacon } from "../../src/time-beacon.js";
import type { ByteSource } from "../../src/bytes.js";
import type { Rejection, Result } from "../../src/result.js";
import type { BleFrame } from "./frames.js";

/** Above this many device ids the per-epoch table would make every capture file slow to open. */
export const MAX_DEVICE_IDS = 20000;

export type MacStatus = "valid" | "invalid" | "no_key";

interface Device {
  id: number;
  macKey: CmacKey;
  eidKey: Uint8Array;
  pseudonym: string | undefined;
}

export interface Deployment {
  timeKey: CmacKey;
  pseudonymKey: Uint8Array | undefined;
  devices: Device[];
  /** eid hex -> device, per epoch; only the epochs seen recently are kept. */
  epochs: Record<number, Record<string, Device>>;
  epochCount: number;
}

export interface KeySettings {
  masterKey: string;
  pseudonymScope: string;
  deviceIds: string;
}

/** "257, 131072-131100" -> ids, or an error message naming the bad part. */
export function parseDeviceIds(text: string): number[] | string {
  const ids: number[] = [];
  for (const rawPart of text.split(",")) {
    const part = rawPart.trim();
    if (part === "") continue;
    const dash = part.indexOf("-");
    const lo = parseInt(dash < 0 ? part : part.substring(0, dash), 10);
    const hi = dash < 0 ? lo : parseInt(part.substring(dash + 1), 10);
    if (!(lo >= 0 && hi >= lo && hi <= 0xffffffff))
      return 'device ids: "' + part + '" is not an id or a range like 100-199';
    if (ids.length + hi - lo + 1 > MAX_DEVICE_IDS)
      return "device ids: more than " + MAX_DEVICE_IDS + " ids; narrow the ranges";
    for (let id = lo; id <= hi; id++) ids.push(id);
  }
  return ids;
}

/** The deployment for the key settings, undefined when no master key is set, or an error text. */
export function openDeployment(s: KeySettings): Deployment | undefined | string {
  const hex = s.masterKey.trim();
  if (hex === "") return undefined;
  const master = fromHex(hex);
  if (master === null || master.length !== 16)
    return "master key: expected 32 hex digits, got " + hex.length + " characters";
  const ids = parseDeviceIds(s.deviceIds);
  if (typeof ids === "string") return ids;
  const scope = s.pseudonymScope.trim();
  const pseudonymKey = scope === "" ? undefined : derivePseudonymKey(softAes128, master, scope);
  const devices: Device[] = [];
  for (const id of ids) {
    const keys = deviceKeys(softAes128, deriveDeviceKey(softAes128, master, id));
    devices.push({
      id: id,
      macKey: cmacKey(softAes128, keys.mac),
      eidKey: keys.eid,
      pseudonym: pseudonymKey === undefined ? undefined : pseudonymOf(softAes128, pseudonymKey, id),
    });
  }
  return {
    timeKey: cmacKey(softAes128, deriveTimeKey(softAes128, master)),
    pseudonymKey: pseudonymKey,
    devices: devices,
    epochs: {},
    epochCount: 0,
  };
}

function epochTable(d: Deployment, epoch: number): Record<string, Device> {
  const known = d.epochs[epoch];
  if (known !== undefined) return known;
  if (d.epochCount >= 64) {
    d.epochs = {};
    d.epochCount = 0;
  }
  const table: Record<string, Device> = {};
  for (const dev of d.devices) table[toHex(epochIdentity(softAes128, dev.eidKey, epoch).eid)] = dev;
  d.epochs[epoch] = table;
  d.epochCount++;
  return table;
}

/** The device whose ephemeral id this is around the capture time (epoch -1, 0, +1). */
export function findDevice(d: Deployment, eid: string, unixSeconds: number): Device | undefined {
  const epoch = epochOf(unixSeconds);
  for (let e = epoch - 1; e <= epoch + 1; e++) {
    const dev = epochTable(d, e)[eid];
    if (dev !== undefined) return dev;
  }
  return undefined;
}

export interface Identity {
  macStatus: MacStatus;
  deviceId: number | undefined;
  pseudonym: string | undefined;
  /** protocol's bad_mac rejection when the MAC does not verify. */
  rejection: Rejection | undefined;
  /** Why the MAC could not be checked, for the expert info. */
  note: string | undefined;
}

function checked(
  r: Result<unknown>,
  deviceId: number | undefined,
  pseudonym: string | undefined,
): Identity {
  return {
    macStatus: r.ok ? "valid" : r.reason === "bad_mac" ? "invalid" : "no_key",
    deviceId: deviceId,
    pseudonym: pseudonym,
    rejection: r.ok ? undefined : r,
    note: undefined,
  };
}

function unchecked(note: string): Identity {
  return {
    macStatus: "no_key",
    deviceId: undefined,
    pseudonym: undefined,
    rejection: undefined,
    note: note,
  };
}

/** Resolves the sender and checks the MAC of a structurally valid BLE frame. */
export function identify(
  d: Deployment | undefined,
  frame: BleFrame,
  bytes: ByteSource,
  unixSeconds: number,
): Identity {
  if (d === undefined)
    return unchecked("set the deployment master key in the LIOT preferences to check MACs");
  if (frame.kind === "time_beacon")
    return checked(decodeTimeBeacon(bytes, d.timeKey), undefined, undefined);
  const dev = findDevice(d, frame.eid, unixSeconds);
  if (dev === undefined)
    return unchecked(
      "ephemeral id " +
        frame.eid +
        " belongs to no device id in the preferences around this capture time",
    );
  return checked(openAdvert(bytes, dev.macKey), dev.id, dev.pseudonym);
}
