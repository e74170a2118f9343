// Band scenarios on the interpreter: provisioning with the real provisioning code (liot.cfg from
// provisionPlan), gateway time beacons signed in Node, and the captured adverts checked in Node
// as the gateway checks them (protocol's decoder, the frame MAC, the epoch's EID and address).
import {
  BAND_SIGNED_BYTES,
  cmacKey,
  decodeBandAdvert,
  deriveTimeKey,
  deviceKeys,
  encodeTimeBeacon,
  epochIdentity,
  epochOf,
  nodeAes128,
  toHex,
  type BandAdvert,
} from "@leiden-iot/protocol";
import { serialiseState, type BandState } from "../../src/band/band-store.js";
import { provisionPlan } from "../../src/build/provision-plan.js";
import { openAdvertPacket } from "./advert-packets.js";
import { runDeployed, type RunResult, type StandInConfig } from "./harness.js";
import type { InterpreterBoard } from "./interpreter.js";
import type { RunReport } from "./report.js";

export const MASTER_KEY = new Uint8Array([
  0x4c, 0x49, 0x4f, 0x54, 0x2d, 0x65, 0x73, 0x70, 0x72, 0x75, 0x69, 0x6e, 0x6f, 0x2d, 0x74, 0x31,
]);

export interface BandRun {
  board: InterpreterBoard;
  deviceId: number;
  goal?: number;
  config: StandInConfig;
  /** World times of the gateway's time beacons (signed with the deployment's time key). */
  beaconTimes?: number[];
  /** Band state already in flash (liot.s1, as the band's own store writes it): days, counters. */
  state?: BandState;
  dir?: string;
  flash: boolean;
  timeoutMs?: number;
}

/** liot.cfg as `npm run provision` writes it. */
export function bandConfigFile(deviceId: number, goal: number, board: string): string {
  const plan = provisionPlan({
    device: "band",
    board,
    port: "e7:11:22:33:44:55",
    deviceId,
    masterKey: MASTER_KEY,
    goal,
    registry: "registry.yaml",
    configFile: "liot.cfg.json",
    espruinoBin: "espruino",
    aes: nodeAes128,
  });
  return JSON.stringify(plan.config);
}

/** liot.tb: per beacon, 4 bytes big-endian world time then the 13-byte signed beacon frame. */
export function beaconFile(times: number[]): Uint8Array {
  const key = cmacKey(nodeAes128, deriveTimeKey(nodeAes128, MASTER_KEY));
  const out = new Uint8Array(times.length * 17);
  times.forEach((t, i) => {
    new DataView(out.buffer).setUint32(i * 17, t);
    out.set(encodeTimeBeacon(t, key), i * 17 + 4);
  });
  return out;
}

export async function runBand(b: BandRun): Promise<RunResult> {
  const times = b.beaconTimes ?? [];
  return runDeployed({
    board: b.board,
    bundle: "band-" + b.board,
    standIns: [b.board],
    config: { ...b.config, beacons: times.length },
    files: {
      "liot.cfg": bandConfigFile(b.deviceId, b.goal ?? 8000, b.board),
      "liot.tb": beaconFile(times),
      ...(b.state ? { "liot.s1": serialiseState(b.state), "liot.s0": "" } : {}),
    },
    ...(b.dir ? { dir: b.dir } : {}),
    flash: b.flash,
    timeoutMs: b.timeoutMs ?? 90_000,
  });
}

export interface CheckedAdvert {
  t: number;
  advert: BandAdvert;
  address: string;
}

export interface AdvertCheck {
  adverts: CheckedAdvert[];
  /** Why each rejected packet was rejected (empty when all verify). */
  problems: string[];
}

/**
 * Every non-connectable packet the band advertised, decoded and verified as the gateway does:
 * manufacturer data under 0x0590, protocol's band decoder, the truncated AES-CMAC under the
 * device's MAC key, and the EID and BLE address of the epoch the packet went on air in.
 */
export function checkBandAdverts(r: RunReport, deviceId: number): AdvertCheck {
  const plan = JSON.parse(bandConfigFile(deviceId, 8000, "puckjs2")) as { key: string };
  const deviceKey = new Uint8Array(Buffer.from(plan.key, "hex"));
  const keys = deviceKeys(nodeAes128, deviceKey);
  const mac = cmacKey(nodeAes128, keys.mac);
  const adverts: CheckedAdvert[] = [];
  const problems: string[] = [];
  let address = "";
  let ai = 0;
  for (const p of r.packets) {
    if (p.connectable) continue;
    while (ai < r.addresses.length && r.addresses[ai]!.t <= p.t)
      address = r.addresses[ai++]!.address;
    const where = "packet at t=" + p.t + " #" + p.index + " " + toHex(p.bytes);
    const o = openAdvertPacket(p.bytes, decodeBandAdvert, BAND_SIGNED_BYTES, mac);
    if (!o.ok) {
      problems.push(where + ": " + o.problem);
      continue;
    }
    adverts.push({ t: p.t, advert: o.value, address });
  }
  // The EID and address must be the epoch's: the gateway resolves the device by them.
  for (const a of adverts) {
    const id = epochIdentity(nodeAes128, keys.eid, epochOf(a.t));
    if (a.advert.eid !== toHex(id.eid) && !a.advert.flags.clockNotSet)
      problems.push("advert at t=" + a.t + ": EID " + a.advert.eid + " is not this epoch's");
    if (a.address.split(" ")[0] !== id.address && !a.advert.flags.clockNotSet)
      problems.push("advert at t=" + a.t + ": address " + a.address + " is not " + id.address);
  }
  return { adverts, problems };
}
