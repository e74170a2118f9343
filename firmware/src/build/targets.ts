// The bundles we ship: one per device and board, and the budgets they are measured against.
import { MODULES, type Board, type Device } from "../storage-modules.js";

// The devices, boards and Storage modules are declared in storage-modules.ts (the simulator reads
// them too, without the build); re-exported here for the build's scripts.
export { MODULES, modulesOf } from "../storage-modules.js";
export type { Board, Device, StorageModule } from "../storage-modules.js";

export interface Target {
  device: Device;
  board: Board;
  name: string; // "band-puckjs2"
  entry: string; // relative to firmware/
  /** Code at global scope instead of one closure (build-bundle.ts BundleOptions.scope). */
  scope?: "global";
}

export const TARGETS: Target[] = [
  { device: "band", board: "puckjs2", name: "band-puckjs2", entry: "src/entries/band-puckjs2.ts" },
  {
    device: "band",
    board: "banglejs2",
    name: "band-banglejs2",
    entry: "src/entries/band-banglejs2.ts",
  },
  {
    device: "classroom",
    board: "puckjs2",
    name: "classroom-puckjs2",
    entry: "src/entries/classroom-puckjs2.ts",
    scope: "global",
  },
];

/** Everything `npm run build:firmware` builds: the boot bundles, then the Storage modules. */
export function buildList(): {
  device: Device;
  board: Board;
  name: string;
  entry: string;
  scope?: "global";
}[] {
  const out: { device: Device; board: Board; name: string; entry: string; scope?: "global" }[] =
    TARGETS.slice();
  for (const m of MODULES) out.push(m);
  return out;
}

export interface BoardBudget {
  /** Bytes of flash Storage (files like .bootcde live here). */
  storageBytes: number;
  /** JS variables (12-16 byte blocks) available to the interpreter. */
  ramVars: number;
  /** Bundle size we allow ourselves: a share of Storage, leaving room for state and history. */
  maxBundleBytes: number;
}

// Puck.js v2 (nRF52832): Storage is a ~40 kB area of internal flash; ~2630 variables.
// Bangle.js 2: 8 MB external flash for Storage; ~12000 variables.
// Puck.js bundle budget 26 kB (was 24): enrolment mode (src/enrol, ~3 kB) is in every bundle; that
// still leaves 14 kB of Storage for the liot.* state files (< 2 kB).
export const BUDGETS: Record<Board, BoardBudget> = {
  puckjs2: { storageBytes: 40 * 1024, ramVars: 2630, maxBundleBytes: 26 * 1024 },
  banglejs2: { storageBytes: 8 * 1024 * 1024, ramVars: 12000, maxBundleBytes: 64 * 1024 },
};

export function findTarget(device: string, board: string): Target | undefined {
  return TARGETS.find((t) => t.device === device && t.board === board);
}
