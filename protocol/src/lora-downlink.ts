// Classroom LoRaWAN downlinks (TTN fair use: <= 10 a day). One fPort per command.
import { isIntIn, readU16, readU32, writeU16, writeU32, type ByteSource } from "./bytes.js";
import { accept, reject, type Result } from "./result.js";
import { EPOCH_2020_UNIX } from "./epoch.js";

export const FPORT_SET_INTERVAL = 10;
export const FPORT_SET_THRESHOLDS = 11;
export const FPORT_CALIBRATION = 12;
export const FPORT_SET_TIME = 13;

export interface SetIntervalDownlink {
  kind: "set_interval";
  readingIntervalSeconds: number; // 10..3600
  uplinkIntervalMinutes: number; // 1..1440
}
export interface SetThresholdsDownlink {
  kind: "set_thresholds";
  orangePpm: number; // 400..5000, < redPpm
  redPpm: number; // 400..5000
  hysteresisPpm: number; // 0..200
}
export type CalibrationCommand =
  "forced_recalibration" | "auto_calibration_on" | "auto_calibration_off";
export interface CalibrationDownlink {
  kind: "calibration";
  command: CalibrationCommand;
  referencePpm: number; // 400..2000 for forced_recalibration, 0 otherwise
}
export interface SetTimeDownlink {
  kind: "set_time";
  unixSeconds: number; // uint32
}
export type ClassroomDownlink =
  SetIntervalDownlink | SetThresholdsDownlink | CalibrationDownlink | SetTimeDownlink;

/** Built per call: no table stays in a node's RAM. */
function calCommands(): CalibrationCommand[] {
  return ["forced_recalibration", "auto_calibration_on", "auto_calibration_off"];
}

function checkDownlink(d: ClassroomDownlink): string | null {
  if (d.kind === "set_interval") {
    if (!isIntIn(d.readingIntervalSeconds, 10, 3600))
      return "readingIntervalSeconds must be 10..3600";
    if (!isIntIn(d.uplinkIntervalMinutes, 1, 1440)) return "uplinkIntervalMinutes must be 1..1440";
    if (d.uplinkIntervalMinutes * 60 < d.readingIntervalSeconds)
      return "uplink interval must not be shorter than the reading interval";
    return null;
  }
  if (d.kind === "set_thresholds") {
    if (!isIntIn(d.orangePpm, 400, 5000) || !isIntIn(d.redPpm, 400, 5000))
      return "thresholds must be 400..5000 ppm";
    if (d.orangePpm >= d.redPpm) return "orangePpm must be below redPpm";
    if (!isIntIn(d.hysteresisPpm, 0, 200)) return "hysteresisPpm must be 0..200";
    return null;
  }
  if (d.kind === "calibration") {
    if (calCommands().indexOf(d.command) < 0)
      return "command must be one of " + calCommands().join(", ");
    if (d.command === "forced_recalibration" && !isIntIn(d.referencePpm, 400, 2000))
      return "referencePpm must be 400..2000";
    if (d.command !== "forced_recalibration" && d.referencePpm !== 0)
      return "referencePpm is only used with forced_recalibration";
    return null;
  }
  if (d.kind === "set_time") {
    if (!isIntIn(d.unixSeconds, EPOCH_2020_UNIX, 0xffffffff))
      return "unixSeconds must be after 2020-01-01";
    return null;
  }
  return "unknown downlink kind";
}

/** Encodes a downlink, or returns the validation error (for the LNS codec's errors[]). */
export function encodeDownlink(d: ClassroomDownlink): Result<{ fPort: number; bytes: Uint8Array }> {
  const err = checkDownlink(d);
  if (err) return reject("out_of_range", err);
  if (d.kind === "set_interval") {
    const b = new Uint8Array(4);
    writeU16(b, 0, d.readingIntervalSeconds);
    writeU16(b, 2, d.uplinkIntervalMinutes);
    return accept({ fPort: FPORT_SET_INTERVAL, bytes: b });
  }
  if (d.kind === "set_thresholds") {
    const b = new Uint8Array(5);
    writeU16(b, 0, d.orangePpm);
    writeU16(b, 2, d.redPpm);
    b[4] = d.hysteresisPpm;
    return accept({ fPort: FPORT_SET_THRESHOLDS, bytes: b });
  }
  if (d.kind === "calibration") {
    const b = new Uint8Array(3);
    b[0] = calCommands().indexOf(d.command) + 1;
    writeU16(b, 1, d.referencePpm);
    return accept({ fPort: FPORT_CALIBRATION, bytes: b });
  }
  const b = new Uint8Array(4);
  writeU32(b, 0, (d as SetTimeDownlink).unixSeconds);
  return accept({ fPort: FPORT_SET_TIME, bytes: b });
}

function exact(b: ByteSource, n: number, what: string): Result<null> {
  if (b.length < n) return reject("truncated", what + " has " + b.length + " of " + n + " bytes");
  if (b.length > n) return reject("too_long", what + " has " + b.length + " bytes, expected " + n);
  return accept(null);
}

/** Decodes a downlink (on the node, and in the LNS codec's decodeDownlink). Never throws. */
export function decodeDownlink(fPort: number, b: ByteSource): Result<ClassroomDownlink> {
  let d: ClassroomDownlink;
  let len: Result<null>;
  if (fPort === FPORT_SET_INTERVAL) {
    len = exact(b, 4, "set_interval");
    if (!len.ok) return len;
    d = {
      kind: "set_interval",
      readingIntervalSeconds: readU16(b, 0),
      uplinkIntervalMinutes: readU16(b, 2),
    };
  } else if (fPort === FPORT_SET_THRESHOLDS) {
    len = exact(b, 5, "set_thresholds");
    if (!len.ok) return len;
    d = {
      kind: "set_thresholds",
      orangePpm: readU16(b, 0),
      redPpm: readU16(b, 2),
      hysteresisPpm: b[4]!,
    };
  } else if (fPort === FPORT_CALIBRATION) {
    len = exact(b, 3, "calibration");
    if (!len.ok) return len;
    const cmd = calCommands()[b[0]! - 1];
    if (!cmd) return reject("out_of_range", "calibration command " + b[0] + " is not 1, 2 or 3");
    d = { kind: "calibration", command: cmd, referencePpm: readU16(b, 1) };
  } else if (fPort === FPORT_SET_TIME) {
    len = exact(b, 4, "set_time");
    if (!len.ok) return len;
    d = { kind: "set_time", unixSeconds: readU32(b, 0) };
  } else {
    return reject("unknown_type", "fPort " + fPort + " is not a classroom downlink (10..13)");
  }
  const err = checkDownlink(d);
  if (err) return reject("out_of_range", err);
  return accept(d);
}
