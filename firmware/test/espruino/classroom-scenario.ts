// Classroom node scenarios on the interpreter: deployed as `npm run flash` deploys it (the bundle
// as .bootcde, its Storage modules, liot.cfg from the real provisioning code), the SCD4x and
// RN2483 stand-ins (stand-ins/classroom.js), and every advert and uplink checked in Node with
// protocol's decoders: the advert's MAC, EID and address, and each uplink's readings against the
// measurements the sensor stand-in served.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  CLASSROOM_SIGNED_BYTES,
  cmacKey,
  decodeClassroomAdvert,
  decodeUplink,
  deviceKeys,
  epochIdentity,
  epochOf,
  nodeAes128,
  roundHalfUp,
  toHex,
  type ClassroomAdvert,
  type ClassroomUplink,
  type ClimateReading,
} from "@leiden-iot/protocol";
import { provisionPlan } from "../../src/build/provision-plan.js";
import { modulesOf } from "../../src/build/targets.js";
import { MASTER_KEY } from "./band-scenario.js";
import { openAdvertPacket } from "./advert-packets.js";
import { runDeployed, type RunResult, type StandInConfig } from "./harness.js";
import { FIRMWARE_DIR, type StorageFiles } from "./interpreter.js";
import type { RunReport } from "./report.js";

/** What stand-ins/classroom.js reads from the scenario (times in unix seconds). */
export interface ClassroomWorld {
  /** The room: [tS, ppm, tempC, rh %], piecewise linear. */
  co2: [number, number, number, number][];
  /** Every SCD4x reply has a bad CRC in [fromS, toS). */
  scdFault?: [number, number];
  /** No uplink gets out in [fromS, toS); the session is lost after it. */
  outage?: [number, number];
  /** Downlinks [fromS, port, hex]: each rides on the first uplink at or after fromS. */
  downlinks?: [number, number, string][];
}

export interface ClassroomRun {
  deviceId: number;
  startS: number;
  endS: number;
  sampleS: number;
  world: ClassroomWorld;
  preset?: string;
  timeoutMs: number;
}

/** liot.cfg as `npm run provision -- --device classroom` writes it. */
export function classroomConfigFile(deviceId: number, preset: string): string {
  const plan = provisionPlan({
    device: "classroom",
    board: "puckjs2",
    port: "e7:11:22:33:44:55",
    deviceId,
    masterKey: MASTER_KEY,
    preset,
    registry: "registry.yaml",
    configFile: "liot.cfg.json",
    espruinoBin: "espruino",
    aes: nodeAes128,
  });
  return JSON.stringify(plan.config);
}

/** liot.room: per point 4 bytes tS, 2 ppm, 2 (tempC + 50) * 100, 2 rh * 100 (big-endian). */
export function roomFile(points: ClassroomWorld["co2"]): Uint8Array {
  const out = new Uint8Array(points.length * 10);
  const v = new DataView(out.buffer);
  points.forEach(([t, ppm, c, rh], i) => {
    v.setUint32(i * 10, t);
    v.setUint16(i * 10 + 4, ppm);
    v.setUint16(i * 10 + 6, Math.round((c + 50) * 100));
    v.setUint16(i * 10 + 8, Math.round(rh * 100));
  });
  return out;
}

export async function runClassroom(c: ClassroomRun): Promise<RunResult> {
  const files: StorageFiles = {
    "liot.cfg": classroomConfigFile(c.deviceId, c.preset ?? "bouwbesluit"),
  };
  files["liot.room"] = roomFile(c.world.co2);
  for (const m of modulesOf("classroom", "puckjs2"))
    files[m.storage] = readFileSync(path.join(FIRMWARE_DIR, "dist", m.name + ".js"), "latin1");
  const config: StandInConfig = {
    startS: c.startS,
    rtcS: c.startS,
    endS: c.endS,
    sampleS: c.sampleS,
    walk: [],
    battery: [[0, 3300]],
    imuOnS: c.startS,
    beacons: 0,
    beaconFreshS: 30,
    device: {
      roomRecords: c.world.co2.length,
      scdFault: c.world.scdFault,
      outage: c.world.outage,
      downlinks: c.world.downlinks,
    },
  };
  return runDeployed({
    board: "puckjs2",
    bundle: "classroom-puckjs2",
    standIns: ["classroom"],
    config,
    files,
    flash: true,
    timeoutMs: c.timeoutMs,
  });
}

/** A measurement the SCD4x stand-in served ("LIOT M"), as the datasheet converts its words. */
export interface ServedReading {
  t: number;
  reading: ClimateReading;
}

export interface CheckedUplink {
  t: number;
  fPort: number;
  fCnt: number;
  dr: number;
  bytes: number;
  uplink: ClassroomUplink;
}

export interface ClassroomCheck {
  adverts: { t: number; advert: ClassroomAdvert; address: string }[];
  uplinks: CheckedUplink[];
  served: ServedReading[];
  joins: number[];
  /** Commands the stand-ins refused ("LIOT X"): I2C NACKs, unknown RN2483 commands, FRC. */
  refused: string[];
  problems: string[];
}

/** The report's lines of one stand-in kind ("LIOT <tag> ..."), split after the tag. */
function tagged(r: RunReport, tag: string): string[][] {
  const out: string[][] = [];
  for (const l of r.console) {
    const at = l.indexOf("LIOT " + tag + " ");
    if (at >= 0) out.push(l.slice(at + 6 + tag.length).split(" "));
  }
  return out;
}

/** SCD4x words -> reading (datasheet: T = -45 + 175 w / 65535, RH = 100 w / 65535). */
function fromWords(co2: number, tw: number, rw: number): ClimateReading {
  return {
    co2Ppm: Math.min(co2, 10000),
    temperatureDeci: roundHalfUp((-45 + (175 * tw) / 65535) * 10),
    humidityHalfPercent: roundHalfUp(((100 * rw) / 65535) * 2),
  };
}

/** The device's clock at world time t: the world's until a clock set ("LIOT T"), then moved. */
function deviceTimeAt(r: RunReport, t: number): number {
  let off = 0;
  for (const c of r.clockSets) if (c.t <= t) off = c.to - c.t;
  return t + off;
}

export function checkClassroom(r: RunReport, deviceId: number): ClassroomCheck {
  const cfg = JSON.parse(classroomConfigFile(deviceId, "bouwbesluit")) as { key: string };
  const keys = deviceKeys(nodeAes128, new Uint8Array(Buffer.from(cfg.key, "hex")));
  const mac = cmacKey(nodeAes128, keys.mac);
  const problems: string[] = [];
  const adverts: ClassroomCheck["adverts"] = [];
  let address = "";
  let ai = 0;
  for (const p of r.packets) {
    const where = "advert at t=" + p.t + " " + toHex(p.bytes);
    if (p.connectable) {
      problems.push(where + ": connectable (the node never asked for it in this scenario)");
      continue;
    }
    while (ai < r.addresses.length && r.addresses[ai]!.t <= p.t)
      address = r.addresses[ai++]!.address;
    const d = openAdvertPacket(p.bytes, decodeClassroomAdvert, CLASSROOM_SIGNED_BYTES, mac);
    if (!d.ok) {
      problems.push(where + ": " + d.problem);
      continue;
    }
    // The EID is the epoch of the device's clock (a set_time downlink may move it).
    const id = epochIdentity(nodeAes128, keys.eid, epochOf(deviceTimeAt(r, p.t)));
    if (d.value.eid !== toHex(id.eid)) problems.push(where + ": EID is not this epoch's");
    if (address.split(" ")[0] !== id.address)
      problems.push(where + ": address " + address + " is not the epoch's " + id.address);
    adverts.push({ t: p.t, advert: d.value, address });
  }
  const uplinks: CheckedUplink[] = [];
  // "U t dr fcnt mac tx uncnf <port> <hex>": the command the module put on air.
  for (const f of tagged(r, "U")) {
    const bytes = new Uint8Array(Buffer.from(f[7] ?? "", "hex"));
    const d = decodeUplink(Number(f[6]), bytes);
    if (!d.ok) {
      problems.push("uplink at t=" + f[0] + " port " + f[6] + ": " + d.reason + " " + d.detail);
      continue;
    }
    uplinks.push({
      t: Number(f[0]),
      fPort: Number(f[6]),
      dr: Number(f[1]),
      fCnt: Number(f[2]),
      bytes: bytes.length,
      uplink: d.value,
    });
  }
  const served = tagged(r, "M").map((f) => ({
    t: Number(f[0]),
    reading: fromWords(Number(f[1]), Number(f[2]), Number(f[3])),
  }));
  const joins = tagged(r, "J").map((f) => Number(f[0]));
  const refused = tagged(r, "X").map((f) => f.join(" "));
  return { adverts, uplinks, served, joins, refused, problems };
}
