// Band state in flash. Two slots written alternately ("liot.s0"/"liot.s1"), each with a sequence
// number and a checksum, so a write cut short by a battery swap leaves the other slot intact.
//
// Flash writes (see BAND_TIMING in band-app.ts): at most one per SAVE_INTERVAL_S (1 h) while
// steps change, one at each local midnight, one when the goal is reached, one per counter block
// (COUNTER_BLOCK values, ~1 per day): <= 28 writes/day of ~300 bytes, ~8.4 kB/day.
// Battery swap: loses the steps taken since the last write, <= 1 hour of walking.
import { MAX_DAY_STEPS, isIntIn } from "@leiden-iot/protocol/device";
import type { FileStore } from "../hal/types.js";
import { dayLogOf, HISTORY_DAYS, newDayLog, type DayLog, type DayTotal } from "./step-ledger.js";

export const STATE_VERSION = 1;
export const SLOTS = ["liot.s0", "liot.s1"];

export interface BandState {
  seq: number; // write sequence, newest slot wins
  /** Kept days, newest first (in flash: a JSON list of {day, steps}). */
  days: DayLog;
  /** Frame counters below this may have been used: after a restart, continue from here. */
  counterCeil: number;
  /** Unix seconds at the last write: restores the clock after power loss. */
  time: number;
  /** Local day on which the goal signal was last given. */
  goalDay: number;
  /** Unix seconds of the last accepted time beacon. */
  syncedAt: number;
}

export function emptyState(): BandState {
  return { seq: 0, days: newDayLog(), counterCeil: 0, time: 0, goalDay: -1, syncedAt: 0 };
}

/** Simple 32-bit FNV-1a over the JSON text: enough to catch a half-written slot. */
export function checksum(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = (h * 16777619) >>> 0;
    h = h >>> 0;
  }
  return h >>> 0;
}

function validDays(d: unknown): d is DayTotal[] {
  if (!Array.isArray(d) || d.length > HISTORY_DAYS) return false;
  for (let i = 0; i < d.length; i++) {
    const e = d[i] as DayTotal;
    if (!e || !isIntIn(e.day, 1, 0xffff) || !isIntIn(e.steps, 0, MAX_DAY_STEPS)) return false;
    if (i > 0 && e.day >= (d[i - 1] as DayTotal).day) return false;
  }
  return true;
}

/** Parses one slot; null when missing, truncated, corrupt or of another version. */
export function parseSlot(text: string | undefined): BandState | null {
  if (text === undefined) return null;
  const bar = text.indexOf("|");
  if (bar < 0) return null;
  const sum = parseInt(text.substring(0, bar), 16);
  const body = text.substring(bar + 1);
  if (!(sum === checksum(body))) return null;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(body);
  } catch {
    return null;
  }
  if (!o || o.v !== STATE_VERSION) return null;
  if (!validDays(o.days)) return null;
  const s: BandState = {
    seq: o.seq as number,
    days: dayLogOf(o.days),
    counterCeil: o.ctr as number,
    time: o.time as number,
    goalDay: o.goal as number,
    syncedAt: o.sync as number,
  };
  if (!isIntIn(s.seq, 0, 0xffffffff) || !isIntIn(s.counterCeil, 0, 0xffffffff)) return null;
  if (typeof s.time !== "number" || typeof s.goalDay !== "number") return null;
  if (typeof s.syncedAt !== "number") return null;
  return s;
}

/**
 * The slot text: `checksum|json`. The JSON is written as text (what JSON.stringify of the state
 * with days as {day, steps} objects gives), so a save builds no objects on the board.
 */
export function serialiseState(s: BandState): string {
  let days = "";
  for (let i = 0; i < HISTORY_DAYS && s.days[2 * i] !== 0; i++)
    days += (i > 0 ? "," : "") + '{"day":' + s.days[2 * i] + ',"steps":' + s.days[2 * i + 1] + "}";
  const body =
    '{"v":' +
    STATE_VERSION +
    ',"seq":' +
    s.seq +
    ',"days":[' +
    days +
    '],"ctr":' +
    s.counterCeil +
    ',"time":' +
    Math.floor(s.time) +
    ',"goal":' +
    s.goalDay +
    ',"sync":' +
    Math.floor(s.syncedAt) +
    "}";
  return checksum(body).toString(16) + "|" + body;
}

export interface LoadResult {
  state: BandState;
  /** A slot existed but was unreadable (corrupt, half-written, wrong version). */
  fault: boolean;
  /** No slot was readable: history and counter floor are lost. */
  fresh: boolean;
}

export function loadState(store: FileStore): LoadResult {
  let best: BandState | null = null;
  let fault = false;
  for (let i = 0; i < SLOTS.length; i++) {
    const text = store.read(SLOTS[i]!);
    const s = parseSlot(text);
    if (text !== undefined && s === null) fault = true;
    if (s && (!best || s.seq > best.seq)) best = s;
  }
  return { state: best || emptyState(), fault: fault, fresh: best === null };
}

/** Writes the next slot; returns false when the flash write failed. */
export function saveState(store: FileStore, s: BandState): boolean {
  s.seq = s.seq + 1;
  return store.write(SLOTS[s.seq % 2]!, serialiseState(s));
}
