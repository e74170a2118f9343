// npm run flash: builds first if the bundle is missing, then writes it as .bootcde with the
// espruino CLI (src/build/upload-plan.ts).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { defineCommand, parseOrExit, usageError } from "@leiden-iot/protocol/cli";
import { bluetoothProblem, hostFacts } from "../src/build/bluetooth-check.js";
import { DEVICE_OPTIONS, PORT_REQUIRED } from "../src/build/device-options.js";
import { flashCommand } from "../src/build/upload-plan.js";
import { FIRMWARE_ROOT } from "../src/sim/simulation.js";

const FLASH = defineCommand({
  command: "npm run flash --",
  summary:
    "Writes a firmware bundle (building it first when missing) to a device's Storage as .bootcde\n" +
    "with the espruino CLI, sets its clock and restarts it. Board data ships in firmware/boards/,\n" +
    "so no internet is needed.",
  options: {
    ...DEVICE_OPTIONS,
    "dry-run": { kind: "boolean", help: "print the espruino command, do not run it" },
  },
  examples: [
    "npm run flash -- --device band --board puckjs2 --port e7:11:22:33:44:55",
    "npm run flash -- --device classroom --port /dev/ttyACM0 --dry-run",
  ],
});

const { values: a } = parseOrExit(FLASH, process.argv.slice(2));
if (!a.port) usageError(FLASH, PORT_REQUIRED);
const dist = path.join(FIRMWARE_ROOT, "dist");
let c;
try {
  c = flashCommand({
    device: a.device,
    board: a.board,
    port: a.port,
    distDir: dist,
    espruinoBin: path.join(FIRMWARE_ROOT, "..", "node_modules", ".bin", "espruino"),
  });
} catch (e) {
  usageError(FLASH, (e as Error).message);
}
console.log(c.cmd + " " + c.args.map((x) => (/\s|\(/.test(x) ? JSON.stringify(x) : x)).join(" "));
if (a["dry-run"]) process.exit(0);
const noBluetooth = bluetoothProblem(a.port, hostFacts());
if (noBluetooth) {
  console.error(noBluetooth);
  process.exit(1);
}
const bundle = path.join(dist, a.device + "-" + a.board + ".js");
if (!existsSync(bundle)) {
  console.log("no " + bundle + ": building first");
  const b = spawnSync("npm", ["run", "build:firmware"], { cwd: FIRMWARE_ROOT, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(c.cmd, c.args, { stdio: "inherit" });
if (r.status !== 0)
  console.error(
    "espruino failed: is the device in range / plugged in, and not connected to another app (Web IDE)?",
  );
process.exit(r.status ?? 1);
