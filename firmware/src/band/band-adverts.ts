// The advert rotation: one frame for today plus one per backlog day, each with its own counter.
import {
  MAX_BACKLOG_DAYS,
  manufacturerAdvertPacket,
  encodeBandAdvert,
  type BandFlags,
  type CmacKey,
} from "@leiden-iot/protocol/device";
import type { AdvertPacket } from "../hal/types.js";
import type { DayTotal } from "./step-ledger.js";

/** Raw advertising packet: one manufacturer-data AD structure (no flags: non-connectable). */
export function manufacturerPacket(data: Uint8Array): AdvertPacket {
  return new Uint8Array(manufacturerAdvertPacket(data));
}

export interface FrameInput {
  today: number;
  days: DayTotal[]; // newest first
  batteryMv: number | null;
  flags: BandFlags;
  eid: Uint8Array;
  macKey: CmacKey;
}

/**
 * Backlog entry k (0 = the newest backlog day, 1 = yesterday or older ...) carried by the rotation,
 * or null. Found by scanning, not by building the list: a 14-entry list of objects held ~75
 * variables at each frame build on a Puck.js.
 */
export function backlogEntry(
  today: number,
  days: DayTotal[],
  k: number,
): { daysAgo: number; steps: number } | null {
  let n = 0;
  for (let i = 0; i < days.length; i++) {
    const ago = today - days[i]!.day;
    if (ago < 1 || ago > MAX_BACKLOG_DAYS) continue;
    if (n === k) return { daysAgo: ago, steps: days[i]!.steps };
    n++;
  }
  return null;
}

export function todaySteps(today: number, days: DayTotal[]): number {
  return days.length > 0 && days[0]!.day === today ? days[0]!.steps : 0;
}

/** Frame i (0 = today only, k = backlog entry k-1) with the given counter. */
export function buildFrame(f: FrameInput, index: number, counter: number): AdvertPacket {
  const backlog = index === 0 ? null : backlogEntry(f.today, f.days, index - 1);
  const frame = encodeBandAdvert(
    {
      eid: "",
      counter: counter,
      day: f.today,
      steps: todaySteps(f.today, f.days),
      backlog: backlog,
      batteryMv: f.batteryMv,
      flags: f.flags,
    },
    f.eid,
    f.macKey,
  );
  return manufacturerPacket(frame);
}

/** Frames in the rotation: today and each backlog day. */
export function frameCount(f: FrameInput): number {
  let n = 1;
  for (let i = 0; i < f.days.length; i++) {
    const ago = f.today - f.days[i]!.day;
    if (ago >= 1 && ago <= MAX_BACKLOG_DAYS) n++;
  }
  return n;
}
