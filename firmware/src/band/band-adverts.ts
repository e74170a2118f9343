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
  return manufacturerAdvertPacket(data);
}

export interface FrameInput {
  today: number;
  days: DayTotal[]; // newest first
  batteryMv: number | null;
  flags: BandFlags;
  eid: Uint8Array;
  macKey: CmacKey;
}

/** Backlog entries (1 = yesterday ...) carried by the rotation, newest first. */
export function backlogOf(today: number, days: DayTotal[]): { daysAgo: number; steps: number }[] {
  const out: { daysAgo: number; steps: number }[] = [];
  for (let i = 0; i < days.length; i++) {
    const ago = today - days[i]!.day;
    if (ago >= 1 && ago <= MAX_BACKLOG_DAYS) out.push({ daysAgo: ago, steps: days[i]!.steps });
  }
  return out;
}

export function todaySteps(today: number, days: DayTotal[]): number {
  return days.length > 0 && days[0]!.day === today ? days[0]!.steps : 0;
}

/** Frame i (0 = today only, k = backlog entry k-1) with the given counter. */
export function buildFrame(f: FrameInput, index: number, counter: number): AdvertPacket {
  const backlog = index === 0 ? null : backlogOf(f.today, f.days)[index - 1] || null;
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

export function frameCount(f: FrameInput): number {
  return 1 + backlogOf(f.today, f.days).length;
}
