// Classroom LoRaWAN uplinks: one fPort per message kind. LoRaWAN itself provides the device
// address, frame counter, encryption and MIC, so these payloads carry no MAC of their own.
// Byte tables: protocol/README.md#lorawan-uplinks. Also compiled into the ES5 LNS codec.
import { isIntIn, readU16, writeU16, type ByteSource } from "./bytes.js";
import {
  checkReading,
  isRejection,
  parsePower,
  parseStatus,
  powerByte,
  readReading,
  statusByte,
  writeReading,
  type ClassroomPower,
  type ClassroomStatus,
  type ClimateReading,
} from "./classroom-reading.js";
import { accept, reject, type Result } from "./result.js";

export const FPORT_READING = 1;
export const FPORT_BATCH = 2;
export const FPORT_DEVICE_STATUS = 3;

export const READING_BYTES = 9;
export const BATCH_HEADER_BYTES = 13;
export const DEVICE_STATUS_BYTES = 16;
export const MAX_BATCH_READINGS = 64;
/**
 * Bytes a batch needs per further reading for a planner's bound: CO2 delta up to +-8191 ppm in 2
 * varint bytes, temperature and humidity deltas in 1 each (a sender whose deltas need more starts
 * a new batch or must plan with the 3-bytes-per-field maximum).
 */
export const BATCH_DELTA_BYTES_BOUND = 4;

/** Upper bound of a batch of n readings: header with the first reading, then the deltas. */
export function batchBytesBound(n: number): number {
  return BATCH_HEADER_BYTES + (n - 1) * BATCH_DELTA_BYTES_BOUND;
}

/** fPort 1: one reading. */
export interface ReadingUplink {
  kind: "reading";
  seq: number; // uint16, +1 per reading, wraps
  reading: ClimateReading;
  power: ClassroomPower;
  status: ClassroomStatus;
}

/** fPort 2: consecutive readings at a fixed interval, the last one taken ageSeconds before sending. */
export interface BatchUplink {
  kind: "batch";
  seq: number; // seq of the first reading; reading i has seq + i
  intervalSeconds: number; // 10..3600
  ageSeconds: number; // 0..255, age of the last reading when the uplink was sent
  readings: ClimateReading[]; // 1..64
  power: ClassroomPower;
  status: ClassroomStatus; // of the last reading
}

/** fPort 3: configuration and health, sent at join, after a downlink and once a day. */
export interface DeviceStatusUplink {
  kind: "device_status";
  firmware: string; // "major.minor"
  readingIntervalSeconds: number;
  uplinkIntervalMinutes: number;
  thresholds: { orangePpm: number; redPpm: number; hysteresisPpm: number };
  status: ClassroomStatus;
  power: ClassroomPower;
  boots: number; // uint16 restart counter
}

export type ClassroomUplink = ReadingUplink | BatchUplink | DeviceStatusUplink;

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}
function unzigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function pushVarint(out: number[], v: number): void {
  while (v >= 128) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function toBytes(a: number[]): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  return out;
}

function header(u: { power: ClassroomPower; status: ClassroomStatus }): number[] {
  return [powerByte(u.power), statusByte(u.status)];
}

export function encodeUplink(u: ClassroomUplink): { fPort: number; bytes: Uint8Array } {
  const out: number[] = [];
  if (u.kind === "reading") {
    const err = checkReading(u.reading);
    if (err) throw new Error(err);
    writeU16(out, 0, u.seq & 0xffff);
    writeReading(out, 2, u.reading);
    const h = header(u);
    out.push(h[0]!, h[1]!);
    return { fPort: FPORT_READING, bytes: toBytes(out) };
  }
  if (u.kind === "batch") {
    const n = u.readings.length;
    if (n < 1 || n > MAX_BATCH_READINGS)
      throw new Error("batch needs 1.." + MAX_BATCH_READINGS + " readings");
    if (!isIntIn(u.intervalSeconds, 10, 3600)) throw new Error("batch interval out of range");
    writeU16(out, 0, u.seq & 0xffff);
    out[2] = n;
    writeU16(out, 3, u.intervalSeconds);
    out[5] = Math.max(0, Math.min(255, Math.round(u.ageSeconds)));
    const h = header(u);
    out[6] = h[0]!;
    out[7] = h[1]!;
    for (let i = 0; i < n; i++) {
      const err = checkReading(u.readings[i]!);
      if (err) throw new Error(err);
    }
    writeReading(out, 8, u.readings[0]!);
    for (let i = 1; i < n; i++) {
      const a = u.readings[i - 1]!;
      const b = u.readings[i]!;
      pushVarint(out, zigzag(b.co2Ppm - a.co2Ppm));
      pushVarint(out, zigzag(b.temperatureDeci - a.temperatureDeci));
      pushVarint(out, zigzag(b.humidityHalfPercent - a.humidityHalfPercent));
    }
    return { fPort: FPORT_BATCH, bytes: toBytes(out) };
  }
  const parts = u.firmware.split(".");
  out[0] = parseInt(parts[0] || "0", 10) & 0xff;
  out[1] = parseInt(parts[1] || "0", 10) & 0xff;
  writeU16(out, 2, u.readingIntervalSeconds);
  writeU16(out, 4, u.uplinkIntervalMinutes);
  writeU16(out, 6, u.thresholds.orangePpm);
  writeU16(out, 8, u.thresholds.redPpm);
  out[10] = Math.min(255, u.thresholds.hysteresisPpm);
  out[11] = statusByte(u.status);
  out[12] = powerByte(u.power);
  writeU16(out, 13, u.boots & 0xffff);
  out[15] = 0;
  return { fPort: FPORT_DEVICE_STATUS, bytes: toBytes(out) };
}

function readVarint(b: ByteSource, pos: number[]): number | null {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 3; i++) {
    const p = pos[0]!;
    if (p >= b.length) return null;
    const x = b[p]!;
    pos[0] = p + 1;
    v += (x & 127) * scale;
    if ((x & 128) === 0) return v;
    scale *= 128;
  }
  return null; // more than 3 bytes: no delta in range needs that many
}

function decodeReading(b: ByteSource): Result<ReadingUplink> {
  if (b.length < READING_BYTES)
    return reject("truncated", "reading uplink has " + b.length + " of 9 bytes");
  if (b.length > READING_BYTES)
    return reject("too_long", "reading uplink has " + b.length + " bytes, expected 9");
  const reading = readReading(b, 2);
  const err = checkReading(reading);
  if (err) return reject("out_of_range", err);
  const power = parsePower(b[7]!);
  if (isRejection(power)) return power;
  const status = parseStatus(b[8]!);
  return accept({
    kind: "reading",
    seq: readU16(b, 0),
    reading: reading,
    power: power,
    status: status,
  });
}

function decodeBatch(b: ByteSource): Result<BatchUplink> {
  if (b.length < BATCH_HEADER_BYTES)
    return reject("truncated", "batch uplink has " + b.length + " bytes, needs at least 13");
  const n = b[2]!;
  if (n < 1 || n > MAX_BATCH_READINGS)
    return reject("out_of_range", "batch count " + n + " outside 1.." + MAX_BATCH_READINGS);
  const interval = readU16(b, 3);
  if (interval < 10 || interval > 3600)
    return reject("out_of_range", "batch interval " + interval + " s outside 10..3600");
  const power = parsePower(b[6]!);
  if (isRejection(power)) return power;
  const status = parseStatus(b[7]!);
  const first = readReading(b, 8);
  const err0 = checkReading(first);
  if (err0) return reject("out_of_range", err0);
  const readings: ClimateReading[] = [first];
  const pos = [BATCH_HEADER_BYTES];
  for (let i = 1; i < n; i++) {
    const prev = readings[i - 1]!;
    const dc = readVarint(b, pos);
    const dt = readVarint(b, pos);
    const dh = readVarint(b, pos);
    if (dc === null || dt === null || dh === null) {
      return pos[0]! >= b.length
        ? reject("truncated", "batch ends inside reading " + (i + 1) + " of " + n)
        : reject("bad_encoding", "delta varint longer than 3 bytes in reading " + (i + 1));
    }
    const r = {
      co2Ppm: prev.co2Ppm + unzigzag(dc),
      temperatureDeci: prev.temperatureDeci + unzigzag(dt),
      humidityHalfPercent: prev.humidityHalfPercent + unzigzag(dh),
    };
    const err = checkReading(r);
    if (err) return reject("out_of_range", "reading " + (i + 1) + ": " + err);
    readings.push(r);
  }
  if (pos[0]! < b.length)
    return reject(
      "too_long",
      "batch has " + (b.length - pos[0]!) + " bytes after its last reading",
    );
  return accept({
    kind: "batch",
    seq: readU16(b, 0),
    intervalSeconds: interval,
    ageSeconds: b[5]!,
    readings: readings,
    power: power,
    status: status,
  });
}

function decodeDeviceStatus(b: ByteSource): Result<DeviceStatusUplink> {
  if (b.length < DEVICE_STATUS_BYTES)
    return reject("truncated", "device status has " + b.length + " of 16 bytes");
  if (b.length > DEVICE_STATUS_BYTES)
    return reject("too_long", "device status has " + b.length + " bytes, expected 16");
  const status = parseStatus(b[11]!);
  const power = parsePower(b[12]!);
  if (isRejection(power)) return power;
  if (b[15] !== 0) return reject("reserved_bits", "device status byte 15 must be zero");
  return accept({
    kind: "device_status",
    firmware: b[0] + "." + b[1],
    readingIntervalSeconds: readU16(b, 2),
    uplinkIntervalMinutes: readU16(b, 4),
    thresholds: { orangePpm: readU16(b, 6), redPpm: readU16(b, 8), hysteresisPpm: b[10]! },
    status: status,
    power: power,
    boots: readU16(b, 13),
  });
}

/** Decodes a classroom uplink by fPort. Never throws. */
export function decodeUplink(fPort: number, b: ByteSource): Result<ClassroomUplink> {
  if (fPort === FPORT_READING) return decodeReading(b);
  if (fPort === FPORT_BATCH) return decodeBatch(b);
  if (fPort === FPORT_DEVICE_STATUS) return decodeDeviceStatus(b);
  return reject("unknown_type", "fPort " + fPort + " is not a classroom uplink (1, 2 or 3)");
}
