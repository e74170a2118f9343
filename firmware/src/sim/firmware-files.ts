// The simulator's file input: the exact bundle `npm run build:firmware` wrote to firmware/dist and
// the Storage modules `npm run flash` writes next to it (storage-modules.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { modulesOf } from "../storage-modules.js";

export const FIRMWARE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface FirmwareImage {
  /** The boot bundle's code. */
  code: string;
  /** The name errors and stack traces give the bundle: "<device>-<board>.js". */
  filename: string;
  /** Storage file name -> code, for each Storage module of the device and board. */
  modules: { storage: string; code: string }[];
}

/** Reads a device's bundle (default firmware/dist/<device>-<board>.js) and its Storage modules. */
export function readFirmwareImage(device: string, board: string, bundle?: string): FirmwareImage {
  const file = bundle ?? path.join(FIRMWARE_ROOT, "dist", device + "-" + board + ".js");
  const image: FirmwareImage = {
    code: readBuilt(file, "bundle"),
    filename: device + "-" + board + ".js",
    modules: [],
  };
  for (const m of modulesOf(device, board))
    image.modules.push({
      storage: m.storage,
      code: readBuilt(path.join(path.dirname(file), m.name + ".js"), "module"),
    });
  return image;
}

function readBuilt(file: string, what: "bundle" | "module"): string {
  try {
    return readFileSync(file, "latin1");
  } catch {
    throw new Error(
      "simulator: no " + what + " at " + file + ": run `npm run build:firmware` first",
    );
  }
}
