// Minute readings -> averaged batch entries -> fPort 2 uplinks that fit the current data rate.
import {
  encodeUplink,
  MAX_BATCH_READINGS,
  type ClassroomPower,
  type ClassroomStatus,
  type ClimateReading,
} from "@leiden-iot/protocol/device";

export interface BatchBuffer {
  /** seq of readings[0]; reading i has seq + i (uint16, wraps). */
  seq: number;
  readings: ClimateReading[];
  acc: ClimateReading[];
  lastAt: number;
}

export function newBuffer(): BatchBuffer {
  return { seq: 0, readings: [], acc: [], lastAt: 0 };
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

/** Adds a reading; every `aggregate` readings become one batch entry. Keeps the newest 64. */
export function addReading(
  b: BatchBuffer,
  r: ClimateReading,
  aggregate: number,
  now: number,
): void {
  b.acc.push(r);
  if (b.acc.length < aggregate) return;
  b.readings.push(average(b.acc));
  b.acc = [];
  b.lastAt = now;
  while (b.readings.length > MAX_BATCH_READINGS) {
    b.readings.shift();
    b.seq = (b.seq + 1) & 0xffff;
  }
}

/** A reading slot without a valid value (sensor fault) still advances seq, so gaps show. */
export function skipReading(b: BatchBuffer): void {
  if (b.readings.length === 0 && b.acc.length === 0) b.seq = (b.seq + 1) & 0xffff;
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
  let n = b.readings.length;
  while (n > 0) {
    const rs = b.readings.slice(0, n);
    const age =
      n === b.readings.length ? now - b.lastAt : (b.readings.length - n) * intervalSeconds;
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
  b.seq = (b.seq + n) & 0xffff;
}
