// Runs a shipped bundle on the real interpreter for a scenario: deploys it as `npm run flash` does,
// with the board's stand-ins as `.boot0` and the scenario's clock, walks and battery, and returns
// the parsed report. Runs of one device share a directory, so Storage persists across reboots.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  FIRMWARE_DIR,
  runInterpreter,
  writeStorage,
  type InterpreterBoard,
  type StorageFiles,
} from "./interpreter.js";
import { parseReport, type RunReport } from "./report.js";

const STAND_INS = path.join(FIRMWARE_DIR, "test", "espruino", "stand-ins");

/** What the stand-ins read (`__C` in stand-ins/*.js). Times in unix seconds unless named ms. */
export interface StandInConfig {
  /** World time at power-on. */
  startS: number;
  /** The device's RTC at power-on: = startS when the clock was set, small after a power loss. */
  rtcS: number;
  /** The run ends here (world time). */
  endS: number;
  /** Memory samples (after a collection) every sampleS of world time. */
  sampleS: number;
  /** Who walks when: [fromS, toS, steps per minute]. */
  walk: [number, number, number][];
  /** Cell voltage: [fromS, mV], piecewise constant. */
  battery: [number, number][];
  /** When the IMU powered up (Puck.js: its pedometer counts from then). */
  imuOnS: number;
  /** Time beacons in Storage file liot.tb; a scan hears one at most beaconFreshS old. */
  beacons: number;
  beaconFreshS: number;
  /** Device-specific scenario fields for the board's stand-ins (e.g. stand-ins/classroom.js). */
  device?: Record<string, unknown>;
}

export interface DeployedRun {
  board: InterpreterBoard;
  /** Bundle name in firmware/dist, e.g. "band-puckjs2". */
  bundle: string;
  /** Stand-in files (stand-ins/<name>.js), in load order after common.js and nrf.js. */
  standIns: string[];
  config: StandInConfig;
  /** Extra Storage files (liot.cfg, liot.tb, ...); written on every deploy. */
  files: StorageFiles;
  /** Reuse a directory (a reboot with persisted Storage); a new one when absent. */
  dir?: string;
  /** Write the bundle as .bootcde (a first flash); false on a reboot. */
  flash: boolean;
  timeoutMs: number;
}

export interface RunResult {
  dir: string;
  report: RunReport;
  lines: string[];
}

export function bundlePath(bundle: string): string {
  return path.join(FIRMWARE_DIR, "dist", bundle + ".js");
}

/** The `.boot0` text: scenario config, common stand-ins, NRF, the board's own. */
export function standInsScript(config: StandInConfig, names: string[]): string {
  const c = {
    startMs: config.startS * 1000,
    rtcMs: config.rtcS * 1000,
    endMs: config.endS * 1000,
    sampleMs: config.sampleS * 1000,
    walk: config.walk,
    battery: config.battery,
    imuOnS: config.imuOnS,
    beacons: config.beacons,
    beaconFreshS: config.beaconFreshS,
    batch: 50,
    ...config.device,
  };
  let s = "var __C=" + JSON.stringify(c) + ";\n";
  for (const n of ["common", "nrf"].concat(names))
    s += readFileSync(path.join(STAND_INS, n + ".js"), "latin1") + "\n";
  // The stand-ins' own share of memory, reported with the boot figures.
  s += "__H.base = process.memory().usage;\n";
  return s;
}

export async function runDeployed(r: DeployedRun): Promise<RunResult> {
  const dir = r.dir ?? mkdtempSync(path.join(os.tmpdir(), "liot-espruino-"));
  const files: StorageFiles = { ...r.files, ".boot0": standInsScript(r.config, r.standIns) };
  if (r.flash) {
    const b = bundlePath(r.bundle);
    if (!existsSync(b))
      throw new Error(
        "no " + b + ": run `npm run build:firmware` first (npm run test:espruino does)",
      );
    files[".bootcde"] = readFileSync(b, "latin1");
  }
  writeStorage(dir, files);
  const out = await runInterpreter(r.board, dir, "__run()", r.timeoutMs);
  const report = parseReport(out.lines);
  if (out.timedOut)
    report.errors.push("harness: the run did not finish within " + r.timeoutMs + " ms");
  return { dir, report, lines: out.lines };
}
