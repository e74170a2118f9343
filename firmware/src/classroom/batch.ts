// Minute readings -> averaged batch entries -> fPort 2 uplinks that fit the current data rate.
// Memory (Puck.js: ~2630 variables): the entries live in fixed typed-array rings (one block of
// bytes each, whatever the fill), the entry being averaged in three running sums; reading objects
// exist only for the few entries of the uplink being encoded (at most BATCH_ENCODE_MAX).
import {
  encodeUplink,
  MAX_BATCH_READINGS,
  roundHalfUp,
  type ClassroomPower,
  type ClassroomStatus,
  type ClimateReading,
} from "@leiden-iot/protocol/device";

/**
 * Most entries one uplink carries: encodeUplink takes reading objects, ~7 variables each plus
 * ~5 per encoded byte while it runs, so the batch is bounded to keep the peak low. A backlog
 * (after a LoRa outage) goes out in several uplinks. The largest fair-use plan at 60 s readings
 * carries 13 (DR4).
 */
export const BATCH_ENCODE_MAX = 16;

export interface BatchBuffer {
  /** seq of the oldest entry; the seq the next entry gets when the buffer is empty (uint16). */
  seq: number;
  /** Entries buffered (0..MAX_BATCH_READINGS). */
  count: number;
  /** Ring position of the oldest entry. */
  head: number;
  co2: Uint16Array;
  temp: Int16Array;
  hum: Uint8Array;
  /** seq of each entry: consecutive except across a sensor-fault gap. */
  seqs: Uint16Array;
  /** Running sums and count of the valid readings of the entry being averaged. */
  sumCo2: number;
  sumTemp: number;
  sumHum: number;
  valid: number;
  /** Reading slots (valid or faulted) of the entry being averaged. */
  slots: number;
  /** seq of the next entry. */
  next: number;
  lastAt: number;
}

export function newBuffer(): BatchBuffer {
  const n = MAX_BATCH_READINGS;
  return {
    seq: 0,
    count: 0,
    head: 0,
    co2: new Uint16Array(n),
    temp: new Int16Array(n),
    hum: new Uint8Array(n),
    seqs: new Uint16Array(n),
    sumCo2: 0,
    sumTemp: 0,
    sumHum: 0,
    valid: 0,
    slots: 0,
    next: 0,
    lastAt: 0,
  };
}

/** Ring position of entry i (0 = oldest). */
function at(b: BatchBuffer, i: number): number {
  return (b.head + i) % MAX_BATCH_READINGS;
}

/** Entry i (0 = oldest) as a protocol reading. */
export function entryAt(b: BatchBuffer, i: number): ClimateReading {
  const k = at(b, i);
  return { co2Ppm: b.co2[k]!, temperatureDeci: b.temp[k]!, humidityHalfPercent: b.hum[k]! };
}

/**
 * Ends the entry being averaged once it spans `aggregate` reading slots: the average of its valid
 * readings (protocol's roundHalfUp, the same on Espruino and Node), or (every slot faulted) a gap:
 * its seq is skipped, so later entries keep their times. Keeps the newest MAX_BATCH_READINGS.
 */
function closeSlot(b: BatchBuffer, aggregate: number, now: number): void {
  b.slots++;
  if (b.slots < aggregate) return;
  const v = b.valid;
  if (v > 0) {
    if (b.count === MAX_BATCH_READINGS) {
      b.head = at(b, 1);
      b.count--;
    }
    const k = at(b, b.count);
    b.co2[k] = roundHalfUp(b.sumCo2 / v);
    b.temp[k] = roundHalfUp(b.sumTemp / v);
    b.hum[k] = roundHalfUp(b.sumHum / v);
    b.seqs[k] = b.next;
    b.count++;
    b.lastAt = now;
  }
  b.next = (b.next + 1) & 0xffff;
  b.sumCo2 = 0;
  b.sumTemp = 0;
  b.sumHum = 0;
  b.valid = 0;
  b.slots = 0;
  b.seq = b.count > 0 ? b.seqs[b.head]! : b.next;
}

/** Adds a reading; every `aggregate` reading slots become one batch entry. Keeps the newest 64. */
export function addReading(
  b: BatchBuffer,
  r: ClimateReading,
  aggregate: number,
  now: number,
): void {
  b.sumCo2 += r.co2Ppm;
  b.sumTemp += r.temperatureDeci;
  b.sumHum += r.humidityHalfPercent;
  b.valid++;
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

/**
 * The largest prefix of the buffer (at most BATCH_ENCODE_MAX entries, never across a seq gap)
 * whose encoding fits maxBytes; null when empty.
 */
export function prepareBatch(
  b: BatchBuffer,
  maxBytes: number,
  intervalSeconds: number,
  power: ClassroomPower,
  status: ClassroomStatus,
  now: number,
): PreparedBatch | null {
  const len = b.count;
  let n = len > 0 ? 1 : 0;
  while (
    n < len &&
    n < BATCH_ENCODE_MAX &&
    b.seqs[at(b, n)] === ((b.seqs[at(b, n - 1)]! + 1) & 0xffff)
  )
    n++;
  while (n > 0) {
    const rs: ClimateReading[] = [];
    for (let i = 0; i < n; i++) rs.push(entryAt(b, i));
    const age =
      n === len
        ? now - b.lastAt
        : ((b.seqs[at(b, len - 1)]! - b.seqs[at(b, n - 1)]!) & 0xffff) * intervalSeconds;
    const u = encodeUplink({
      kind: "batch",
      seq: b.seq,
      intervalSeconds: intervalSeconds,
      ageSeconds: Math.max(0, Math.min(255, roundHalfUp(age))),
      readings: rs,
      power: power,
      status: status,
    });
    if (u.bytes.length <= maxBytes) return { fPort: u.fPort, bytes: u.bytes, count: n };
    n = n > 8 ? Math.floor(n * 0.75) : n - 1;
  }
  return null;
}

/** Drops the n oldest entries (they were sent). */
export function dropSent(b: BatchBuffer, n: number): void {
  const k = n < b.count ? n : b.count;
  b.head = at(b, k);
  b.count -= k;
  b.seq = b.count > 0 ? b.seqs[b.head]! : b.next;
}
