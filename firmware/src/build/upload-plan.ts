// The `espruino` CLI invocations for flashing a bundle and provisioning a device. Pure: the
// scripts run what these return, tests check it.
import { fileURLToPath } from "node:url";
import { findTarget, modulesOf, type Board } from "./targets.js";

export interface Command {
  cmd: string;
  args: string[];
}

/** EspruinoTools board ids. */
export const ESPRUINO_BOARD: Record<Board, string> = { puckjs2: "PUCKJS", banglejs2: "BANGLEJS2" };

/** The board data shipped in firmware/boards/: the CLI would download it for a board name. */
export function boardFile(board: Board): string {
  return fileURLToPath(new URL("../../boards/" + ESPRUINO_BOARD[board] + ".json", import.meta.url));
}

/** BLE address (aa:bb:cc:dd:ee:ff) or a serial device path. */
export function isBleAddress(port: string): boolean {
  return /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(port);
}

function portArgs(port: string): string[] {
  return isBleAddress(port) ? ["-p", port] : ["-p", port, "--no-ble"];
}

/**
 * Writes the bundle to Storage as `.bootcde` (runs at every boot, from flash, saving RAM), sets
 * the clock from the computer (-t), then restarts with load(). Bangle.js has no save(): Storage
 * is the only way, and the same command works for the Puck.
 */
export function flashCommand(o: {
  device: string;
  board: string;
  port: string;
  distDir: string;
  espruinoBin: string;
}): Command {
  const t = findTarget(o.device, o.board);
  if (!t)
    throw new Error(
      "no bundle for device " +
        o.device +
        " on board " +
        o.board +
        ": use --device band|classroom --board puckjs2|banglejs2 (classroom: puckjs2 only)",
    );
  if (!o.port)
    throw new Error("--port is required: a BLE address (aa:bb:cc:dd:ee:ff) or /dev/ttyACM0");
  return {
    cmd: o.espruinoBin,
    args: [
      ...portArgs(o.port),
      "--board",
      boardFile(t.board),
      "-t",
      "--storage",
      ".bootcde:" + o.distDir + "/" + t.name + ".js",
      // the Storage modules it loads on demand (targets.ts MODULES)
      ...modulesOf(t.device, t.board).flatMap((m) => [
        "--storage",
        m.storage + ":" + o.distDir + "/" + m.name + ".js",
      ]),
      "-e",
      "load()",
    ],
  };
}

/** Writes the provisioning file `liot.cfg` and sets the clock. */
export function provisionCommand(o: {
  port: string;
  board: string;
  configFile: string;
  espruinoBin: string;
}): Command {
  const b = o.board === "banglejs2" ? "banglejs2" : "puckjs2";
  return {
    cmd: o.espruinoBin,
    args: [
      ...portArgs(o.port),
      "--board",
      boardFile(b),
      "-t",
      "--storage",
      "liot.cfg:" + o.configFile,
      "-e",
      "load()",
    ],
  };
}
