// Minute readings -> averaged batch entries -> fPort 2 uplinks that fit the current data rate.
import {
  encodeUplink,
  MAX_BATCH_READINGS,
  type ClassroomPower,
  type ClassroomStatus,
  type ClimateReading,
} from "@leiden-iot/protocol/device";

export interface BatchBuffer {
  /** seq of readings[0]; the seq the next entry gets when readings is empty (uint16, wraps). */
  seq: number;
  readings: ClimateReading[];
  /** seq of each entry in readings: consecutive except across a sensor-fault gap. */
  seqs: number[];
  /** Valid readings of the entry being averaged. */
  acc: ClimateReading[];
  /** Reading slots (valid or faulted) of the entry being averaged. */
  slots: number;
  /** seq of the next entry. */
  next: number;
  lastAt: number;
}

export function newBuffer(): BatchBuffer {
  return { seq: 0, readings: [], seqs: [], acc: [], slots: 0, next: 0, lastAt: 0 };
}

function average(rs: ClimateReading[]): ClimateReading {
  let c = 0;
  let t = 0;
  let h = 0;
  for (let i = 0; i < rs.length; i++) {
    c += rs[i]!.co2Ppm;
    t += rs[i]!.temperatureDeci;
    h += rs[i]!.humidityHalfPercent;
  }
  const n = rs.length;
  return {
    co2Ppm: Math.round(c / n),
    temperatureDeci: Math.round(t / n),
    humidityHalfPercent: Math.round(h / n),
  };
}

/**
 * Ends the entry being averaged once it spans `aggregate` reading slots: the average of its valid
 * readings, or (every slot faulted) a gap: its seq is skipped, so later entries keep their times.
 */
function closeSlot(b: BatchBuffer, aggregate: number, now: number): void {
  b.slots++;
  if (b.slots < aggregate) return;
  if (b.acc.length > 0) {
    b.readings.push(average(b.acc));
    b.seqs.push(b.next);
    b.lastAt = now;
  }
  b.next = (b.next + 1) & 0xffff;
  b.acc = [];
  b.slots = 0;
  while (b.readings.length > MAX_BATCH_READINGS) {
    b.readings.shift();
    b.seqs.shift();
  }
  b.seq = b.seqs.length > 0 ? b.seqs[0]! : b.next;
}

/** Adds a reading; every `aggregate` reading slots become one batch entry. Keeps the newest 64. */
export function addReading(
  b: BatchBuffer,
  r: ClimateReading,
  aggregate: number,
  now: number,
): void {
  b.acc.push(r);
  closeSlot(b, aggregate, now);
}

/**
 * A reading slot without a valid value (sensor fault). It always counts: a slot whose readings all
 * faulted advances seq with no entry, and prepareBatch never sends across such a gap, so the
 * readings after it keep their timestamps.
 */
export function skipReading(b: BatchBuffer, aggregate: number, now: number): void {
  closeSlot(b, aggregate, now);
}

export interface PreparedBatch {
  fPort: number;
  bytes: Uint8Array;
  count: number;
}

/** The largest prefix of the buffer whose encoding fits maxBytes; null when empty. */
export function prepareBatch(
  b: BatchBuffer,
  maxBytes: number,
  intervalSeconds: number,
  power: ClassroomPower,
  status: ClassroomStatus,
  now: number,
): PreparedBatch | null {
  const len = b.readings.length;
  // Only the entries before the first seq gap go in one batch (a batch's readings are consecutive).
  let n = len > 0 ? 1 : 0;
  while (n < len && b.seqs[n] === ((b.seqs[n - 1]! + 1) & 0xffff)) n++;
  while (n > 0) {
    const rs = b.readings.slice(0, n);
    const age =
      n === len ? now - b.lastAt : ((b.seqs[len - 1]! - b.seqs[n - 1]!) & 0xffff) * intervalSeconds;
    const u = encodeUplink({
      kind: "batch",
      seq: b.seq,
      intervalSeconds: intervalSeconds,
      ageSeconds: Math.max(0, Math.min(255, Math.round(age))),
      readings: rs,
      power: power,
      status: status,
    });
    if (u.bytes.length <= maxBytes) return { fPort: u.fPort, bytes: u.bytes, count: n };
    n = n > 8 ? Math.floor(n * 0.75) : n - 1;
  }
  return null;
}

export function dropSent(b: BatchBuffer, n: number): void {
  b.readings.splice(0, n);
  b.seqs.splice(0, n);
  b.seq = b.seqs.length > 0 ? b.seqs[0]! : b.next;
}
