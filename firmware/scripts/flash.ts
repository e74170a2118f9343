// npm run flash -- --device band|classroom --board puckjs2|banglejs2 --port <ble-address|tty> [--dry-run]
// Builds first if the bundle is missing, then writes it as .bootcde with the espruino CLI.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bluetoothProblem, hostFacts } from "../src/build/bluetooth-check.js";
import { flashCommand } from "../src/build/upload-plan.js";
import { FIRMWARE_ROOT } from "../src/sim/simulation.js";

const { values: a } = parseArgs({
  options: {
    device: { type: "string", default: "band" },
    board: { type: "string", default: "puckjs2" },
    port: { type: "string", default: "" },
    "dry-run": { type: "boolean", default: false },
  },
});
const dist = path.join(FIRMWARE_ROOT, "dist");
let c;
try {
  c = flashCommand({
    device: a.device!,
    board: a.board!,
    port: a.port!,
    distDir: dist,
    espruinoBin: path.join(FIRMWARE_ROOT, "..", "node_modules", ".bin", "espruino"),
  });
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
console.log(c.cmd + " " + c.args.map((x) => (/\s|\(/.test(x) ? JSON.stringify(x) : x)).join(" "));
if (a["dry-run"]) process.exit(0);
const noBluetooth = bluetoothProblem(a.port!, hostFacts());
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
