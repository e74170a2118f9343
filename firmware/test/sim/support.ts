// Shared helpers for the simulator tests: fresh bundles, and decoding the radio stream with the
// protocol package exactly as a gateway would.
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  cmacKey,
  decodeUplink,
  deviceKeys,
  fromHex,
  nodeAes128,
  openAdvert,
  type BandAdvert,
  type ClassroomAdvert,
  type ClassroomUplink,
} from "@leiden-iot/protocol";
import { buildBundle } from "../../src/build/build-bundle.js";
import { buildList } from "../../src/build/targets.js";
import { FIRMWARE_ROOT } from "../../src/sim/simulation.js";
import type { LoraLine, RadioLine } from "../../src/sim/ndjson-log.js";

let built: Promise<void> | null = null;

/** Builds every bundle into dist/ (atomically), so tests always run the current sources. */
export function ensureBundles(): Promise<void> {
  if (!built)
    built = (async () => {
      const dist = path.join(FIRMWARE_ROOT, "dist");
      mkdirSync(dist, { recursive: true });
      for (const t of buildList()) {
        const r = await buildBundle({
          entry: path.join(FIRMWARE_ROOT, t.entry),
          root: FIRMWARE_ROOT,
          scope: t.scope,
        });
        if (!r.ok) throw new Error(t.name + " does not build: " + JSON.stringify(r.findings));
        const tmp = path.join(dist, t.name + ".js." + process.pid + ".tmp");
        writeFileSync(tmp, r.code, "latin1");
        renameSync(tmp, path.join(dist, t.name + ".js"));
      }
      if (!existsSync(path.join(dist, "band-puckjs2.js"))) throw new Error("no bundle");
    })();
  return built;
}

export interface HeardBand extends BandAdvert {
  t: number;
  address: string;
}

/** Every band advert in the stream whose MAC verifies under the device key. */
export function bandAdverts(lines: RadioLine[], deviceKey: Uint8Array): HeardBand[] {
  const mk = cmacKey(nodeAes128, deviceKeys(nodeAes128, deviceKey).mac);
  const out: HeardBand[] = [];
  for (const l of lines) {
    if (l.channel !== "ble") continue;
    const r = openAdvert(fromHex(l.data)!, mk);
    if (r.ok && r.value.kind === "band") out.push({ ...r.value, t: l.t, address: l.address });
  }
  return out;
}

export function classroomAdverts(lines: RadioLine[], deviceKey: Uint8Array): ClassroomAdvert[] {
  const mk = cmacKey(nodeAes128, deviceKeys(nodeAes128, deviceKey).mac);
  const out: ClassroomAdvert[] = [];
  for (const l of lines) {
    if (l.channel !== "ble") continue;
    const r = openAdvert(fromHex(l.data)!, mk);
    if (r.ok && r.value.kind === "classroom") out.push(r.value);
  }
  return out;
}

/** Highest total the stream reported per local day (today frames and backlog frames). */
export function dayTotals(adverts: HeardBand[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const a of adverts) {
    out[a.day] = Math.max(out[a.day] ?? 0, a.steps);
    if (a.backlog) {
      const d = a.day - a.backlog.daysAgo;
      out[d] = Math.max(out[d] ?? 0, a.backlog.steps);
    }
  }
  return out;
}

export interface HeardUplink {
  line: LoraLine;
  uplink: ClassroomUplink;
}

export function uplinks(lines: RadioLine[]): HeardUplink[] {
  const out: HeardUplink[] = [];
  for (const l of lines) {
    if (l.channel !== "lora") continue;
    const r = decodeUplink(l.fPort, fromHex(l.payload)!);
    if (!r.ok) throw new Error("undecodable uplink " + JSON.stringify(l) + ": " + r.detail);
    out.push({ line: l, uplink: r.value });
  }
  return out;
}

export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;
