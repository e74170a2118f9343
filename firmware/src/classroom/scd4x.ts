// Sensirion SCD4x (SCD40/41) over I2C at 0x62: pure word/CRC codec plus a small callback driver.
import { roundHalfUp, type ClimateReading } from "@leiden-iot/protocol/device";
import type { I2CBus, Timers } from "../hal/types.js";

export const SCD4X_ADDRESS = 0x62;
export const SCD4X_CMD = {
  START_PERIODIC: 0x21b1,
  STOP_PERIODIC: 0x3f86,
  READ_MEASUREMENT: 0xec05,
  DATA_READY: 0xe4b8,
  SET_ASC: 0x2416,
  FORCED_RECAL: 0x362f,
};
/** Execution times from the datasheet, in ms. */
export const SCD4X_WAIT = { STOP: 500, READ: 1, SET: 1, FRC: 400 };

/** CRC-8, polynomial 0x31, init 0xFF, over one 16-bit word (Sensirion). */
export function crc8(hi: number, lo: number): number {
  let crc = 0xff;
  const bytes = [hi & 0xff, lo & 0xff];
  for (let i = 0; i < 2; i++) {
    crc ^= bytes[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

export function commandBytes(cmd: number, arg?: number): number[] {
  const out = [(cmd >> 8) & 0xff, cmd & 0xff];
  if (arg !== undefined) {
    const hi = (arg >> 8) & 0xff;
    const lo = arg & 0xff;
    out.push(hi, lo, crc8(hi, lo));
  }
  return out;
}

/** Words from a reply of n x (2 bytes + CRC); null on any CRC mismatch or short reply. */
export function parseWords(buf: ArrayLike<number> | null, n: number): number[] | null {
  if (!buf || buf.length < n * 3) return null;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const hi = buf[3 * i]!;
    const lo = buf[3 * i + 1]!;
    if (crc8(hi, lo) !== buf[3 * i + 2]) return null;
    out.push((hi << 8) | lo);
  }
  return out;
}

/** Raw words -> protocol reading (CO2 clipped to 10000, T in 0.1 C, RH in 0.5 %). */
export function toReading(words: number[]): ClimateReading | null {
  const co2 = words[0]!;
  if (co2 === 0) return null; // the sensor reports 0 before its first valid sample
  const t = -45 + (175 * words[1]!) / 65535;
  const rh = (100 * words[2]!) / 65535;
  return {
    co2Ppm: Math.min(co2, 10000),
    temperatureDeci: Math.max(-400, Math.min(1000, roundHalfUp(t * 10))),
    humidityHalfPercent: Math.max(0, Math.min(200, roundHalfUp(rh * 2))),
  };
}

/** Inverse of toReading, for the simulator and tests. */
export function encodeMeasurement(co2: number, tempC: number, rh: number): number[] {
  const words = [
    co2 & 0xffff,
    Math.round(((tempC + 45) * 65535) / 175) & 0xffff,
    Math.round((rh * 65535) / 100) & 0xffff,
  ];
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    const hi = words[i]! >> 8;
    const lo = words[i]! & 0xff;
    out.push(hi, lo, crc8(hi, lo));
  }
  return out;
}

export type SensorFault = "no_ack" | "crc" | "not_ready" | null;

export interface Scd4x {
  start(autoCalibration: boolean, done: (ok: boolean) => void): void;
  read(done: (r: ClimateReading | null, fault: SensorFault) => void): void;
  recalibrate(ppm: number, done: (ok: boolean) => void): void;
}

export const SCD4X_RETRIES = 2;

export function createScd4x(i2c: I2CBus, timers: Timers): Scd4x {
  const A = SCD4X_ADDRESS;
  const C = SCD4X_CMD;
  const stopThen = (fn: () => void): void => {
    i2c.write(A, commandBytes(C.STOP_PERIODIC));
    timers.after(SCD4X_WAIT.STOP, fn);
  };
  const start = (asc: boolean, done: (ok: boolean) => void): void => {
    stopThen(() => {
      const ok1 = i2c.write(A, commandBytes(C.SET_ASC, asc ? 1 : 0));
      timers.after(SCD4X_WAIT.SET, () => {
        const ok2 = i2c.write(A, commandBytes(C.START_PERIODIC));
        done(ok1 && ok2);
      });
    });
  };
  const readOnce = (done: (r: ClimateReading | null, fault: SensorFault) => void): void => {
    if (!i2c.write(A, commandBytes(C.DATA_READY))) return done(null, "no_ack");
    timers.after(SCD4X_WAIT.READ, () => {
      const ready = parseWords(i2c.read(A, 3), 1);
      if (!ready) return done(null, "crc");
      if ((ready[0]! & 0x07ff) === 0) return done(null, "not_ready");
      if (!i2c.write(A, commandBytes(C.READ_MEASUREMENT))) return done(null, "no_ack");
      timers.after(SCD4X_WAIT.READ, () => {
        const raw = i2c.read(A, 9);
        if (!raw) return done(null, "no_ack");
        const words = parseWords(raw, 3);
        if (!words) return done(null, "crc");
        const r = toReading(words);
        done(r, r ? null : "not_ready");
      });
    });
  };
  const read = (done: (r: ClimateReading | null, fault: SensorFault) => void): void => {
    let attempt = 0;
    const go = (): void => {
      readOnce((r, fault) => {
        if (r || attempt >= SCD4X_RETRIES) return done(r, fault);
        attempt++;
        timers.after(fault === "not_ready" ? 1000 : 20, go);
      });
    };
    go();
  };
  const recalibrate = (ppm: number, done: (ok: boolean) => void): void => {
    stopThen(() => {
      i2c.write(A, commandBytes(C.FORCED_RECAL, ppm));
      timers.after(SCD4X_WAIT.FRC, () => {
        const w = parseWords(i2c.read(A, 3), 1);
        const ok = !!w && w[0] !== 0xffff;
        i2c.write(A, commandBytes(C.START_PERIODIC));
        done(ok);
      });
    });
  };
  return { start: start, read: read, recalibrate: recalibrate };
}
