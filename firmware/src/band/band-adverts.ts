// The advert rotation: one frame for today plus one per backlog day, each with its own counter.
// The packets are views of one buffer allocated at boot and rewritten in place: a new 28-byte
// Uint8Array per frame per epoch held ~6 variables each, and weeks of them, allocated between
// the transient buffers of the signing, scattered the long-lived variables over the heap until
// the AES result (a flat string, which needs contiguous free blocks) found no room.
import {
  BAND_ADVERT_BYTES,
  MAX_BACKLOG_DAYS,
  manufacturerAdvertPacket,
  encodeBandAdvert,
  type BandFlags,
  type CmacKey,
} from "@leiden-iot/protocol/device";
import type { AdvertPacket } from "../hal/types.js";
import { HISTORY_DAYS, type DayLog } from "./step-ledger.js";

/** Raw advertising packet: one manufacturer-data AD structure (no flags: non-connectable). */
export function manufacturerPacket(data: Uint8Array): AdvertPacket {
  return new Uint8Array(manufacturerAdvertPacket(data));
}

export interface FrameInput {
  today: number;
  days: DayLog; // newest first
  batteryMv: number | null;
  flags: BandFlags;
  eid: Uint8Array;
  macKey: CmacKey;
}

/**
 * The packet buffer of the longest rotation (today + every kept backlog day), allocated once; a
 * rotation's packets are views of it (`rotationPacket`).
 */
export interface PacketPool {
  buffer: ArrayBuffer;
  /** Bytes per packet. */
  size: number;
  /** Where the band frame starts in a packet (after the AD header). */
  frameAt: number;
  slots: number;
}

export function packetPool(): PacketPool {
  // The AD structure for a band frame, from protocol's one definition of it: its header stays,
  // the frame bytes after it are rewritten for every frame.
  const template = manufacturerAdvertPacket(new Uint8Array(BAND_ADVERT_BYTES));
  const size = template.length;
  const all = new Uint8Array(size * HISTORY_DAYS);
  for (let i = 0; i < HISTORY_DAYS; i++) all.set(template, i * size);
  return { buffer: all.buffer, size: size, frameAt: size - BAND_ADVERT_BYTES, slots: HISTORY_DAYS };
}

/** Packet slot i of the pool (a view: 1 variable, no copy). */
export function rotationPacket(pool: PacketPool, i: number): AdvertPacket {
  return new Uint8Array(pool.buffer, i * pool.size, pool.size);
}

export function todaySteps(today: number, days: DayLog): number {
  return days[0] === today ? days[1]! : 0;
}

/**
 * Signs a frame into `packet` in place: today's steps, and the backlog day `daysAgo` (0: none)
 * with its steps.
 */
export function writeFrame(
  packet: AdvertPacket,
  frameAt: number,
  f: FrameInput,
  daysAgo: number,
  backlogSteps: number,
  counter: number,
): void {
  const frame = encodeBandAdvert(
    {
      eid: "",
      counter: counter,
      day: f.today,
      steps: todaySteps(f.today, f.days),
      backlog: daysAgo === 0 ? null : { daysAgo: daysAgo, steps: backlogSteps },
      batteryMv: f.batteryMv,
      flags: f.flags,
    },
    f.eid,
    f.macKey,
  );
  packet.set(frame, frameAt);
}

/**
 * Writes the whole rotation into `packets` (the array the radio holds: rewritten in place, grown
 * with pool slots, shortened to the frame count): frame 0 today only, then one per backlog day
 * (1 to MAX_BACKLOG_DAYS days ago), newest first, each with the next counter. At most the pool's
 * slots: a log whose newest day is before today, as after a long power loss, has one backlog day
 * more; its oldest waits for the tick that opens today. Returns the frame count.
 */
export function writeRotation(
  pool: PacketPool,
  packets: AdvertPacket[],
  f: FrameInput,
  nextCounter: () => number,
): number {
  let n = 0;
  for (let i = -1; i < HISTORY_DAYS && n < pool.slots; i++) {
    let ago = 0;
    if (i >= 0) {
      const day = f.days[2 * i]!;
      if (day === 0) break;
      ago = f.today - day;
      if (ago < 1 || ago > MAX_BACKLOG_DAYS) continue;
    }
    if (n >= packets.length) packets.push(rotationPacket(pool, n));
    writeFrame(packets[n]!, pool.frameAt, f, ago, i >= 0 ? f.days[2 * i + 1]! : 0, nextCounter());
    n++;
  }
  while (packets.length > n) packets.pop();
  return n;
}
