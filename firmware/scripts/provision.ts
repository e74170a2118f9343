// npm run provision: derives the device key from the deployment master key, writes liot.cfg to
// the device's Storage (and sets its clock) with the espruino CLI, and adds the device to the
// gateway's key registry (src/build/provision-plan.ts).
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CO2_PRESETS, fromHex, nodeAes128 } from "@leiden-iot/protocol";
import { defineCommand, parseOrExit, usageError, userPath } from "@leiden-iot/protocol/cli";
import { bluetoothProblem, hostFacts } from "../src/build/bluetooth-check.js";
import { DEVICE_OPTIONS, PORT_REQUIRED } from "../src/build/device-options.js";
import { provisionPlan } from "../src/build/provision-plan.js";
import { FIRMWARE_ROOT } from "../src/sim/simulation.js";

/**
 * The registry `npm run gateway -- start` reads without a config, found the way the gateway finds
 * it: LIOT_REGISTRY, else <LIOT_STATE_DIR>/registry.yaml, else gateway/.state/registry.yaml
 * (npm runs the gateway in gateway/, its default stateDir is .state).
 */
function gatewayRegistry(env: Record<string, string | undefined>): string {
  if (env.LIOT_REGISTRY) return userPath(env.LIOT_REGISTRY, env);
  const stateDir = env.LIOT_STATE_DIR
    ? userPath(env.LIOT_STATE_DIR, env)
    : path.join(FIRMWARE_ROOT, "..", "gateway", ".state");
  return path.join(stateDir, "registry.yaml");
}

const PROVISION = defineCommand({
  command: "npm run provision --",
  summary:
    "Derives the device key (classroom: also DevEUI and AppKey) from the deployment master key,\n" +
    "writes liot.cfg to the device's Storage with its clock set (espruino CLI), and adds the\n" +
    "device to the gateway's key registry (npm run gateway -- keys add).",
  options: {
    ...DEVICE_OPTIONS,
    id: { kind: "integer", min: 1, max: 0x7fffffff, help: "device id (default: a random one)" },
    registry: {
      value: "<file>",
      help: "the gateway's key registry, with the master key (default: the one `npm run gateway -- start` reads)",
    },
    "master-key": { value: "<32 hex>", help: "the master key instead of the registry's" },
    goal: { kind: "integer", min: 1, max: 100000, help: "band: daily step goal (default 8000)" },
    preset: {
      choices: CO2_PRESETS.flatMap((p) => [p.name, ...p.aliases]),
      help: "classroom: CO2 signal preset (default bouwbesluit)",
    },
    "dry-run": { kind: "boolean", help: "print the commands, do not run them" },
  },
  notes:
    "Environment: LIOT_MASTER_KEY (instead of --master-key); LIOT_REGISTRY, LIOT_STATE_DIR (where\n" +
    "the registry is, as for the gateway). Relative paths resolve from the directory you run npm in.",
  examples: [
    "npm run gateway -- keys init   # once: the registry with the master key",
    "npm run provision -- --device band --port e7:11:22:33:44:55 --dry-run",
    "npm run provision -- --device classroom --port /dev/ttyACM0 --preset B --id 131073",
  ],
});

const { values: a } = parseOrExit(PROVISION, process.argv.slice(2));
if (!a.port) usageError(PROVISION, PORT_REQUIRED);
const registry = a.registry !== undefined ? userPath(a.registry) : gatewayRegistry(process.env);
let masterHex = a["master-key"] ?? process.env.LIOT_MASTER_KEY;
const source = a["master-key"] ? "--master-key" : "LIOT_MASTER_KEY";
let masterProblem = "";
if (masterHex === undefined) {
  if (!existsSync(registry))
    masterProblem =
      "No master key: no key registry at " +
      registry +
      ". Create it with `npm run gateway -- keys init" +
      (a.registry !== undefined ? " --registry " + registry : "") +
      "`, point --registry at yours, or pass --master-key / set LIOT_MASTER_KEY.";
  else {
    const m = /masterKey:\s*"?([0-9a-fA-F]{32})/.exec(readFileSync(registry, "utf8"));
    if (m) masterHex = m[1];
    else
      masterProblem =
        "No master key: " +
        registry +
        " has no masterKey line (32 hex characters). `npm run gateway -- keys init --registry <new file>` creates a registry with one.";
  }
}
const master = masterHex !== undefined ? fromHex(masterHex.toLowerCase()) : null;
if (masterProblem) {
  console.error("provision: " + masterProblem);
  process.exit(1);
}
if (!master || master.length !== 16) {
  console.error("provision: the master key from " + source + " must be 32 hex characters");
  process.exit(2);
}
const noBluetooth = a["dry-run"] ? null : bluetoothProblem(a.port, hostFacts());
if (noBluetooth) {
  console.error(noBluetooth);
  process.exit(1);
}
const id = a.id ?? randomInt(1, 0x7fffffff);
const dir = mkdtempSync(path.join(os.tmpdir(), "liot-provision-"));
const configFile = path.join(dir, "liot.cfg.json");
const plan = provisionPlan({
  device: a.device,
  board: a.board,
  port: a.port,
  deviceId: id,
  masterKey: master,
  registry,
  configFile,
  espruinoBin: path.join(FIRMWARE_ROOT, "..", "node_modules", ".bin", "espruino"),
  aes: nodeAes128,
  ...(a.goal !== undefined ? { goal: a.goal } : {}),
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
