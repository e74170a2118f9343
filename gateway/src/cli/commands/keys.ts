// `keys`: key management. Secrets are only ever written to files (mode 600) or printed when asked
// for one device key to provision a device.
//   keys                          a new random master key (printed)
//   keys init [--registry f]      a registry file with a new master key
//   keys derive <id> [--registry f]   the device key of id (for provisioning the firmware)
//   keys add --id N --kind band|classroom [--dev-eui E --dev-addr A] [--registry f]
//   keys reprovision <deveui> [--config f]   reset a re-keyed ABP node's counters (gateway stopped)
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { deriveDeviceKey, fromHex, nodeAes128, toHex } from "@leiden-iot/protocol";
import { parse, stringify } from "yaml";
import { loadConfig } from "../../config/load.js";
import { registryFromData } from "../../registry/load.js";
import { ensureRegistry } from "../../state.js";
import { flagString, type Args } from "../args.js";
import { keysReprovisionCommand } from "./keys-reprovision.js";

function registryPath(args: Args): string {
  const p = flagString(args, "registry");
  if (p) return p;
  const config = loadConfig(flagString(args, "config"));
  return config.registry ?? ensureRegistry(config).path;
}

export function keysCommand(args: Args): number {
  const sub = args.positional[0];
  if (!sub) {
    process.stdout.write(toHex(randomBytes(16)) + "\n");
    process.stderr.write(
      "a new 128-bit master key; keep it secret (put it in the registry file, mode 600)\n",
    );
    return 0;
  }
  if (sub === "init") {
    const path = flagString(args, "registry") ?? "registry.yaml";
    if (existsSync(path)) {
      process.stderr.write(
        `${path} exists; refusing to overwrite a master key. Remove it first if you mean it.\n`,
      );
      return 1;
    }
    writeFileSync(
      path,
      stringify({ masterKey: toHex(randomBytes(16)), pseudonymScope: "leiden-pilot", devices: [] }),
      { mode: 0o600 },
    );
    process.stdout.write(`wrote ${path} with a new master key; add devices with \`keys add\`\n`);
    return 0;
  }
  if (sub === "reprovision") return keysReprovisionCommand(args);
  const path = registryPath(args);
  const doc = (parse(readFileSync(path, "utf8")) ?? {}) as Record<string, unknown>;
  registryFromData(doc, path); // validates
  if (sub === "derive") {
    const id = Number(args.positional[1]);
    const master = typeof doc.masterKey === "string" ? fromHex(doc.masterKey.toLowerCase()) : null;
    if (!Number.isInteger(id) || !master) {
      process.stderr.write("usage: keys derive <device id> (the registry needs a masterKey)\n");
      return 2;
    }
    process.stdout.write(toHex(deriveDeviceKey(nodeAes128, master, id)) + "\n");
    return 0;
  }
  if (sub === "add") {
    const id = Number(flagString(args, "id"));
    const kind = flagString(args, "kind");
    if (!Number.isInteger(id) || (kind !== "band" && kind !== "classroom")) {
      process.stderr.write(
        "usage: keys add --id <n> --kind band|classroom [--dev-eui <16 hex>] [--dev-addr <8 hex>]\n",
      );
      return 2;
    }
    const dev: Record<string, unknown> = { id, kind };
    const eui = flagString(args, "dev-eui");
    if (eui)
      dev.lora = {
        devEui: eui,
        ...(flagString(args, "dev-addr") ? { devAddr: flagString(args, "dev-addr") } : {}),
      };
    const devices = (Array.isArray(doc.devices) ? doc.devices : []) as Record<string, unknown>[];
    doc.devices = devices.filter((d) => d.id !== id).concat([dev]);
    registryFromData(doc, path);
    writeFileSync(path, stringify(doc), { mode: 0o600 });
    process.stdout.write(
      `added ${kind} ${id} to ${path}; its key derives from the master key (\`keys derive ${id}\`)\n`,
    );
    return 0;
  }
  process.stderr.write(`unknown keys subcommand "${sub}": use init, derive, add or reprovision\n`);
  return 2;
}
