// The classroom reading and its status/power bytes, shared by the BLE advert and LoRaWAN uplinks.
import { isIntIn, readI16, readU16, writeU16, type ByteSink, type ByteSource } from "./bytes.js";
import { reject, type Rejection } from "./result.js";

export type SignalLevel = "green" | "orange" | "red" | "none";
export type CalibrationState = "auto" | "fixed" | "recalibrating" | "recalibration_failed";
// The tables are built per call: held in RAM they would cost a Puck.js ~25 variables for good.
export function signalLevels(): SignalLevel[] {
  return ["green", "orange", "red", "none"];
}
export function calibrationStates(): CalibrationState[] {
  return ["auto", "fixed", "recalibrating", "recalibration_failed"];
}
export const SIGNAL_LEVELS: SignalLevel[] = /* @__PURE__ */ signalLevels();
export const CALIBRATION_STATES: CalibrationState[] = /* @__PURE__ */ calibrationStates();

export interface ClassroomStatus {
  signal: SignalLevel;
  calibration: CalibrationState;
  sensorFault: boolean;
  clockNotSet: boolean;
  restarted: boolean; // the node restarted (power loss, brown-out, watchdog) since its last report
  /** Storage or radio fault (settings rewritten from defaults, LoRa module errors); optional when encoding. */
  systemFault?: boolean;
}

export interface ClassroomPower {
  external: boolean; // mains or USB present
  batteryPercent: number | null; // null = no battery or unknown
}

export interface ClimateReading {
  co2Ppm: number; // 0..10000 (SCD4x range up to 40000 is clipped by the node)
  temperatureDeci: number; // 0.1 degC, -400..1000
  humidityHalfPercent: number; // 0.5 %RH, 0..200
}

export const MAX_CO2_PPM = 40000;

export function statusByte(s: ClassroomStatus): number {
  const levels = signalLevels();
  const states = calibrationStates();
  let v = 0;
  for (let i = 0; i < 4; i++) if (levels[i] === s.signal) v = i;
  for (let i = 0; i < 4; i++) if (states[i] === s.calibration) v |= i << 2;
  if (s.sensorFault) v |= 16;
  if (s.clockNotSet) v |= 32;
  if (s.restarted) v |= 64;
  if (s.systemFault) v |= 128;
  return v;
}

export function parseStatus(b: number): ClassroomStatus {
  return {
    signal: signalLevels()[b & 3]!,
    calibration: calibrationStates()[(b >> 2) & 3]!,
    sensorFault: (b & 16) !== 0,
    clockNotSet: (b & 32) !== 0,
    restarted: (b & 64) !== 0,
    systemFault: (b & 128) !== 0,
  };
}

export function powerByte(p: ClassroomPower): number {
  return (
    (p.external ? 128 : 0) |
    (p.batteryPercent === null ? 127 : Math.max(0, Math.min(100, Math.round(p.batteryPercent))))
  );
}

export function parsePower(b: number): ClassroomPower | Rejection {
  const pct = b & 127;
  if (pct > 100 && pct !== 127) return reject("out_of_range", "battery percent " + pct + " > 100");
  return { external: (b & 128) !== 0, batteryPercent: pct === 127 ? null : pct };
}

/**
 * The one rounding rule for classroom values (averages, sensor conversions): halves round up,
 * -2.5 -> -2 and 2.5 -> 3, as JavaScript's Math.round does on Node. Espruino's Math.round rounds
 * negative halves away from zero (-2.5 -> -3), so the firmware and every Node reference use this.
 */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

export function checkReading(r: ClimateReading): string | null {
  if (!isIntIn(r.co2Ppm, 0, MAX_CO2_PPM))
    return "co2 " + r.co2Ppm + " ppm outside 0.." + MAX_CO2_PPM;
  if (!isIntIn(r.temperatureDeci, -400, 1000))
    return "temperature " + r.temperatureDeci / 10 + " C outside -40..100";
  if (!isIntIn(r.humidityHalfPercent, 0, 200))
    return "humidity " + r.humidityHalfPercent / 2 + " % outside 0..100";
  return null;
}

/** Writes co2 (u16), temperature (i16), humidity (u8) at offset o: 5 bytes. */
export function writeReading(out: ByteSink, o: number, r: ClimateReading): void {
  writeU16(out, o, r.co2Ppm);
  writeU16(out, o + 2, r.temperatureDeci & 0xffff);
  out[o + 4] = r.humidityHalfPercent;
}

export function readReading(b: ByteSource, o: number): ClimateReading {
  return {
    co2Ppm: readU16(b, o),
    temperatureDeci: readI16(b, o + 2),
    humidityHalfPercent: b[o + 4]!,
  };
}

export function isRejection(x: unknown): x is Rejection {
  return typeof x === "object" && x !== null && (x as Rejection).ok === false;
}
