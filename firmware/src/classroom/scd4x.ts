// Sensirion SCD4x (SCD40/41) over I2C at 0x62: pure word/CRC codec plus a small callback driver.
import { roundHalfUp, type ClimateReading } from "@leiden-iot/protocol/device";
import type { I2CBus, Timers } from "../hal/types.js";

export const SCD4X_ADDRESS = 0x62;
// const enums: esbuild inlines the numbers, so commands and waits cost no variables on the device.
export const enum SCD4X_CMD {
  START_PERIODIC = 0x21b1,
  STOP_PERIODIC = 0x3f86,
  READ_MEASUREMENT = 0xec05,
  DATA_READY = 0xe4b8,
  SET_ASC = 0x2416,
  FORCED_RECAL = 0x362f,
}
/** Execution times from the datasheet, in ms. */
export const enum SCD4X_WAIT {
  STOP = 500,
  READ = 1,
  // eslint-disable-next-line @typescript-eslint/no-duplicate-enum-values -- two commands, one wait
  SET = 1,
  FRC = 400,
}

/** CRC-8, polynomial 0x31, init 0xFF, over one 16-bit word (Sensirion). */
export function crc8(hi: number, lo: number): number {
  let crc = 0xff ^ (hi & 0xff);
  for (let i = 0; i < 16; i++) {
    if (i === 8) crc ^= lo & 0xff;
    crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
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

/** Driver phases: each I2C step is one call of the same function, after the datasheet's wait. */
// const enums: esbuild inlines the numbers, so the phases cost no variables on the device.
const enum Read {
  IDLE,
  READY,
  CHECK,
  MEASURE,
}
const enum Control {
  IDLE,
  STOPPED,
  SET,
  FRC,
}

/**
 * Memory (Puck.js): two step functions (readings; start/recalibration) made once, driven by a phase
 * number through timers, instead of a chain of closures per reading.
 */
export function createScd4x(i2c: I2CBus, timers: Timers): Scd4x {
  const A = SCD4X_ADDRESS;
  let rPhase: Read = Read.IDLE;
  let attempt = 0;
  let rDone: ((r: ClimateReading | null, fault: SensorFault) => void) | null = null;
  let cPhase: Control = Control.IDLE;
  let cArg = 0;
  let cOk = true;
  let cDone: ((ok: boolean) => void) | null = null;

  /** One failed attempt: retried (1 s later when not ready, else 20 ms), then reported. */
  const fail = (fault: SensorFault): void => {
    if (attempt < SCD4X_RETRIES) {
      attempt++;
      rPhase = Read.READY;
      timers.after(fault === "not_ready" ? 1000 : 20, readStep);
      return;
    }
    const d = rDone!;
    rDone = null;
    rPhase = Read.IDLE;
    d(null, fault);
  };
  const readStep = (): void => {
    if (rPhase === Read.READY) {
      if (!i2c.write(A, commandBytes(SCD4X_CMD.DATA_READY))) return fail("no_ack");
      rPhase = Read.CHECK;
      timers.after(SCD4X_WAIT.READ, readStep);
    } else if (rPhase === Read.CHECK) {
      const ready = parseWords(i2c.read(A, 3), 1);
      if (!ready) return fail("crc");
      if ((ready[0]! & 0x07ff) === 0) return fail("not_ready");
      if (!i2c.write(A, commandBytes(SCD4X_CMD.READ_MEASUREMENT))) return fail("no_ack");
      rPhase = Read.MEASURE;
      timers.after(SCD4X_WAIT.READ, readStep);
    } else if (rPhase === Read.MEASURE) {
      const raw = i2c.read(A, 9);
      if (!raw) return fail("no_ack");
      const words = parseWords(raw, 3);
      if (!words) return fail("crc");
      const r = toReading(words);
      if (!r) return fail("not_ready");
      const d = rDone!;
      rDone = null;
      rPhase = Read.IDLE;
      d(r, null);
    }
  };

  /** stop -> (set ASC | forced recalibration) -> start periodic measurement. */
  const controlStep = (): void => {
    if (cPhase === Control.STOPPED) {
      if (cArg < 0) {
        cOk = i2c.write(A, commandBytes(SCD4X_CMD.SET_ASC, cArg === -2 ? 1 : 0));
        cPhase = Control.SET;
        timers.after(SCD4X_WAIT.SET, controlStep);
      } else {
        i2c.write(A, commandBytes(SCD4X_CMD.FORCED_RECAL, cArg));
        cPhase = Control.FRC;
        timers.after(SCD4X_WAIT.FRC, controlStep);
      }
      return;
    }
    let ok: boolean;
    if (cPhase === Control.FRC) {
      const w = parseWords(i2c.read(A, 3), 1);
      ok = !!w && w[0] !== 0xffff;
      i2c.write(A, commandBytes(SCD4X_CMD.START_PERIODIC));
    } else {
      ok = i2c.write(A, commandBytes(SCD4X_CMD.START_PERIODIC)) && cOk;
    }
    cPhase = Control.IDLE;
    const d = cDone!;
    cDone = null;
    d(ok);
  };
  /** arg: -2 ASC on, -1 ASC off, else the forced-recalibration reference in ppm. */
  const control = (arg: number, done: (ok: boolean) => void): void => {
    cArg = arg;
    cDone = done;
    cPhase = Control.STOPPED;
    i2c.write(A, commandBytes(SCD4X_CMD.STOP_PERIODIC));
    timers.after(SCD4X_WAIT.STOP, controlStep);
  };

  return {
    start: (asc, done) => control(asc ? -2 : -1, done),
    read: (done) => {
      rDone = done;
      attempt = 0;
      rPhase = Read.READY;
      readStep();
    },
    recalibrate: control,
  };
}
