// Shared bench fixtures: a registry of N devices and pre-encoded frames from `active` of them.
import { fromHex } from "@leiden-iot/protocol";
import { registryFromData } from "../src/registry/load.js";
import { SimFleet } from "../src/sources/sim/fleet.js";
import type { RawFrame } from "../src/sources/source.js";

export const MASTER = "000102030405060708090a0b0c0d0e0f";

export function benchRegistry(bands: number, classrooms: number) {
  return registryFromData({
    masterKey: MASTER,
    pseudonymScope: "bench",
    ranges: [
      { kind: "band", first: 1, count: bands },
      ...(classrooms ? [{ kind: "classroom", first: 10_000_000, count: classrooms }] : []),
    ],
  });
}

/** `count` frames, round robin over the active devices, each with a fresh counter. */
export function benchFrames(
  activeBands: number,
  activeClassrooms: number,
  count: number,
  now: number,
): RawFrame[] {
  const fleet = new SimFleet({
    masterKey: fromHex(MASTER)!,
    bands: activeBands,
    classrooms: activeClassrooms,
    firstBandId: 1,
    firstClassroomId: 10_000_000,
  });
  const out: RawFrame[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = fleet.frame(now).frame;
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
