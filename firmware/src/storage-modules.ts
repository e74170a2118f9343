// What a device's flash holds besides its boot bundle: the Storage modules. Declared once, for the
// build (build/targets.ts builds them, build/upload-plan.ts flashes them) and for the simulator
// (sim/firmware-files.ts puts them in the simulated Storage). Plain data: no build tooling here.

export type Device = "band" | "classroom";
export type Board = "puckjs2" | "banglejs2";

/**
 * Code that is not in the boot bundle: written to Storage next to it (`npm run flash` adds
 * `--storage <storage>:dist/<name>.js`) and loaded with require("<storage>") when first needed,
 * so it costs no RAM until then. Built and checked like a bundle; its code sees `exports`.
 */
export interface StorageModule {
  device: Device;
  board: Board;
  name: string; // "classroom-live" -> dist/classroom-live.js
  storage: string; // Storage file name, the require() name
  entry: string;
}

export const MODULES: StorageModule[] = [
  {
    device: "classroom",
    board: "puckjs2",
    name: "classroom-live",
    storage: "liot.live",
    entry: "src/entries/classroom-live.ts",
  },
  {
    device: "classroom",
    board: "puckjs2",
    name: "classroom-enrol",
    storage: "liot.enrol",
    entry: "src/entries/classroom-enrol.ts",
  },
];

export function modulesOf(device: string, board: string): StorageModule[] {
  return MODULES.filter((m) => m.device === device && m.board === board);
}
