// npm run provision -- --device band|classroom --port <ble-address|tty> [--board puckjs2|banglejs2]
//   [--id N] [--registry registry.yaml] [--master-key hex] [--goal N] [--preset A|B|C] [--dry-run]
// Derives the device key from the deployment master key, writes liot.cfg to the device's Storage
// (and sets its clock) with the espruino CLI, and adds the device to the gateway's key registry.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fromHex, nodeAes128 } from "@leiden-iot/protocol";
import { bluetoothProblem, hostFacts } from "../src/build/bluetooth-check.js";
import { provisionPlan } from "../src/build/provision-plan.js";
import { FIRMWARE_ROOT } from "../src/sim/simulation.js";

const { values: a } = parseArgs({
  options: {
    device: { type: "string", default: "band" },
    board: { type: "string", default: "puckjs2" },
    port: { type: "string", default: "" },
    id: { type: "string" },
    registry: { type: "string", default: "registry.yaml" },
    "master-key": { type: "string" },
    goal: { type: "string" },
    preset: { type: "string" },
    "dry-run": { type: "boolean", default: false },
  },
});
const fail = (m: string): never => {
  console.error(m);
  process.exit(2);
};
if (a.device !== "band" && a.device !== "classroom") fail("--device must be band or classroom");
if (!a.port)
  fail("--port is required: the device's BLE address (aa:bb:cc:dd:ee:ff) or /dev/ttyACM0");
let masterHex = a["master-key"] ?? process.env.LIOT_MASTER_KEY;
if (!masterHex && existsSync(a.registry!)) {
  const m = /masterKey:\s*"?([0-9a-fA-F]{32})/.exec(readFileSync(a.registry!, "utf8"));
  if (m) masterHex = m[1];
}
const master = masterHex ? fromHex(masterHex) : null;
if (!master || master.length !== 16)
  fail(
    "no master key: pass --master-key, set LIOT_MASTER_KEY, or point --registry at a file with masterKey (npm run gateway -- keys init)",
  );
const noBluetooth = a["dry-run"] ? null : bluetoothProblem(a.port!, hostFacts());
if (noBluetooth) {
  console.error(noBluetooth);
  process.exit(1);
}
const id = a.id ? parseInt(a.id, 10) : randomInt(1, 0x7fffffff);
const dir = mkdtempSync(path.join(os.tmpdir(), "liot-provision-"));
const configFile = path.join(dir, "liot.cfg.json");
const plan = provisionPlan({
  device: a.device as "band" | "classroom",
  board: a.board!,
  port: a.port!,
  deviceId: id,
  masterKey: master!,
  registry: a.registry!,
  configFile,
  espruinoBin: path.join(FIRMWARE_ROOT, "..", "node_modules", ".bin", "espruino"),
  aes: nodeAes128,
  ...(a.goal ? { goal: parseInt(a.goal, 10) } : {}),
  ...(a.preset ? { preset: a.preset } : {}),
});
writeFileSync(configFile, JSON.stringify(plan.config), { mode: 0o600 });
console.log("device " + id + " (" + a.device + "): config in " + configFile);
for (const c of plan.commands) {
  console.log("$ " + c.cmd + " " + c.args.join(" "));
  if (a["dry-run"]) continue;
  const r = spawnSync(c.cmd, c.args, { stdio: "inherit", cwd: path.join(FIRMWARE_ROOT, "..") });
  if (r.status !== 0) {
    console.error(
      "step failed (exit " +
        r.status +
        "): fix the cause above and run provision again with --id " +
        id,
    );
    process.exit(1);
  }
}
