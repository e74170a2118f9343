// `doctor`: checks what the gateway needs on this machine and says what to do about each problem.
import { statfsSync, existsSync, readdirSync, readFileSync, mkdirSync } from "node:fs";
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { answers, hostPortOf } from "../../broker/embedded.js";
import { stateDirOf } from "../../state.js";
import { CONFIG_OPTION, ENVIRONMENT_NOTE, configOf } from "../options.js";
import { bluetoothAdvice } from "../../sources/ble/advice.js";

type Check = { name: string; ok: boolean | "warn"; detail: string };

function hasCapNetRaw(): boolean {
  try {
    const s = readFileSync("/proc/self/status", "utf8");
    const m = /CapEff:\s*([0-9a-f]+)/.exec(s);
    return !!m && (BigInt("0x" + m[1]) & (1n << 13n)) !== 0n;
  } catch {
    return false;
  }
}

export const DOCTOR = defineCommand({
  command: "npm run gateway -- doctor",
  summary:
    "Checks what the gateway needs on this machine and says what to do about each problem:\n" +
    "Bluetooth adapter, raw-HCI capability, noble module, broker, disk space, clock.\n" +
    "Exit 1 when a check fails (warnings do not).",
  options: { config: CONFIG_OPTION },
  notes: ENVIRONMENT_NOTE,
  examples: [
    "npm run gateway -- doctor",
    "npm run gateway -- doctor --config /etc/liot/gateway.yaml",
  ],
});

export async function doctorCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseOrExit(DOCTOR, argv);
  const config = configOf(values.config);
  const checks: Check[] = [];
  // Bluetooth
  const adapters = existsSync("/sys/class/bluetooth") ? readdirSync("/sys/class/bluetooth") : [];
  if (adapters.length === 0)
    checks.push({
      name: "bluetooth adapter",
      ok: "warn",
      detail: "none found in /sys/class/bluetooth; " + bluetoothAdvice("no_adapter"),
    });
  else checks.push({ name: "bluetooth adapter", ok: true, detail: adapters.join(", ") });
  const cap = hasCapNetRaw() || process.getuid?.() === 0;
  checks.push({
    name: "raw HCI capability",
    ok: cap ? true : "warn",
    detail: cap ? "this process may open HCI sockets" : bluetoothAdvice("no_permission"),
  });
  try {
    await import("@stoprocent/noble" as string);
    checks.push({ name: "noble module", ok: true, detail: "@stoprocent/noble loads" });
  } catch (e) {
    checks.push({
      name: "noble module",
      ok: "warn",
      detail: `cannot load @stoprocent/noble (${(e as Error).message.split("\n")[0]}); the ble source is disabled, other sources work`,
    });
  }
  // Broker
  const { host, port } = hostPortOf(config.broker.url);
  const up = await answers(host, port, 1500);
  checks.push({
    name: "broker",
    ok: up ? true : config.broker.mode === "external" ? false : "warn",
    detail: up
      ? `${host}:${port} answers`
      : config.broker.mode === "external"
        ? `nothing answers at ${config.broker.url}: start the broker or fix broker.url`
        : `nothing answers at ${config.broker.url}: broker.mode ${config.broker.mode} will start the embedded broker there`,
  });
  // Disk
  const dir = stateDirOf(config);
  try {
    mkdirSync(dir, { recursive: true });
    const s = statfsSync(dir);
    const freeMb = (s.bavail * s.bsize) / 1e6;
    const needMb = config.outbox.maxBytes / 1e6;
    checks.push({
      name: "disk",
      ok: freeMb > needMb * 1.2 ? true : "warn",
      detail: `${freeMb.toFixed(0)} MB free in ${dir}; outbox may use up to ${needMb.toFixed(0)} MB${freeMb > needMb * 1.2 ? "" : " - lower outbox.maxBytes or free space"}`,
    });
  } catch (e) {
    checks.push({
      name: "disk",
      ok: false,
      detail: `cannot use stateDir ${dir}: ${(e as Error).message}`,
    });
  }
  // Clock
  const year = new Date().getUTCFullYear();
  const clockOk = year >= 2025 && year < 2100;
  checks.push({
    name: "clock",
    ok: clockOk,
    detail: `${new Date().toISOString()}${clockOk ? "" : " looks wrong: ephemeral ids depend on it; enable NTP (timedatectl set-ntp true)"}`,
  });
  for (const c of checks)
    process.stdout.write(
      `${c.ok === true ? "ok  " : c.ok === "warn" ? "warn" : "FAIL"}  ${c.name}: ${c.detail}\n`,
    );
  return checks.some((c) => c.ok === false) ? 1 : 0;
}
