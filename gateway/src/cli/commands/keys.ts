// `keys`: key management. Secrets are only ever written to files (mode 0600, in a 0700 directory
// when it is new) or printed when asked for one device key to provision a device.
//   keys                          a new random master key (printed)
//   keys init [--registry f]      a registry file with a new master key, where `start` reads it
//   keys derive <id>              the device key of id (for provisioning the firmware)
//   keys add --id N --kind band|classroom [--dev-eui E --dev-addr A]
//   keys reprovision <deveui>     reset a re-keyed ABP node's counters (gateway stopped)
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deriveDeviceKey, fromHex, nodeAes128, toHex } from "@leiden-iot/protocol";
import {
  defineCommand,
  didYouMean,
  parseOrExit,
  usageError,
  userPath,
} from "@leiden-iot/protocol/cli";
import { parse, stringify } from "yaml";
import { registryFromData } from "../../registry/load.js";
import { ensurePrivateDir, ensureStateDir, registryPathOf, stateDirOf } from "../../state.js";
import { CONFIG_OPTION, REGISTRY_OPTION, configOf } from "../options.js";
import { keysReprovisionCommand } from "./keys-reprovision.js";

export const KEYS = defineCommand({
  command: "npm run gateway -- keys",
  summary:
    "Key management. Without a subcommand: prints a new random 128-bit master key (nothing is\n" +
    "written). Subcommands (each has --help):\n" +
    "  init          a key registry with a new master key, where `start` reads it\n" +
    "  derive <id>   the device key of a device id, for provisioning\n" +
    "  add           a device entry in the registry\n" +
    "  reprovision   reset a re-keyed ABP classroom node's counters (gateway stopped)",
  positionals: [{ name: "subcommand", help: "init, derive, add or reprovision" }],
  options: {},
  examples: [
    "npm run gateway -- keys init",
    "npm run gateway -- keys derive 257",
    "npm run gateway -- keys add --id 257 --kind band",
  ],
});

export const KEYS_INIT = defineCommand({
  command: "npm run gateway -- keys init",
  summary:
    "Writes a key registry with a new master key (mode 0600) where `start` reads it: --registry,\n" +
    "else the config's registry (LIOT_REGISTRY), else <stateDir>/registry.yaml (LIOT_STATE_DIR;\n" +
    "the directory is created 0700 and git-ignored). Never overwrites an existing registry, and\n" +
    "refuses a path inside a git work tree that git does not ignore (one `git add .` would\n" +
    "publish every device key) unless --force.",
  options: {
    registry: REGISTRY_OPTION,
    config: CONFIG_OPTION,
    force: { kind: "boolean", help: "write inside a git work tree even where git would track it" },
  },
  examples: [
    "npm run gateway -- keys init",
    "LIOT_STATE_DIR=/var/lib/liot npm run gateway -- keys init",
    "npm run gateway -- keys init --registry /etc/liot/registry.yaml",
  ],
});

export const KEYS_DERIVE = defineCommand({
  command: "npm run gateway -- keys derive",
  summary: "Prints the device key of <id>, derived from the registry's master key.",
  positionals: [{ name: "id", required: true, help: "the device id" }],
  options: { registry: REGISTRY_OPTION, config: CONFIG_OPTION },
  examples: ["npm run gateway -- keys derive 257"],
});

export const KEYS_ADD = defineCommand({
  command: "npm run gateway -- keys add",
  summary:
    "Adds a device to the key registry (replacing an entry with the same id); its key derives\n" +
    "from the master key (`keys derive <id>`).",
  options: {
    id: { kind: "integer", min: 0, max: 0xffffffff, help: "device id (required)" },
    kind: { choices: ["band", "classroom"], help: "what the device is (required)" },
    "dev-eui": { value: "<16 hex>", help: "classroom on LoRaWAN: its DevEUI" },
    "dev-addr": { value: "<8 hex>", help: "classroom on LoRaWAN ABP: its DevAddr" },
    registry: REGISTRY_OPTION,
    config: CONFIG_OPTION,
  },
  examples: [
    "npm run gateway -- keys add --id 257 --kind band",
    "npm run gateway -- keys add --id 131073 --kind classroom --dev-eui 70b3d57ed0000001",
  ],
});

const SUBCOMMANDS = ["init", "derive", "add", "reprovision"];

/** The registry a keys subcommand works on: --registry, else the one `start` reads. */
function registryPath(values: { registry?: string | undefined; config?: string | undefined }) {
  return values.registry !== undefined
    ? userPath(values.registry)
    : registryPathOf(configOf(values.config));
}

/** The root of the git work tree holding `path`, when git would track a file there. */
function trackedInWorkTree(path: string): string | null {
  let dir = dirname(path);
  for (;;) {
    if (existsSync(join(dir, ".git"))) break;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  const r = spawnSync("git", ["-C", dir, "check-ignore", "-q", "--no-index", path], {
    stdio: "ignore",
  });
  return r.status === 0 ? null : dir; // 0: ignored; 1 (or no git): it would be tracked
}

function existingRegistry(path: string): Record<string, unknown> {
  if (!existsSync(path))
    throw new Error(
      `no key registry at ${path}: create one with \`npm run gateway -- keys init\` (or pass --registry)`,
    );
  const doc = (parse(readFileSync(path, "utf8")) ?? {}) as Record<string, unknown>;
  registryFromData(doc, path); // validates
  return doc;
}

function initCommand(argv: readonly string[]): number {
  const { values } = parseOrExit(KEYS_INIT, argv);
  const config = values.registry === undefined ? configOf(values.config) : null;
  const path = registryPath(values);
  if (existsSync(path)) {
    process.stderr.write(
      `${path} exists; refusing to overwrite a master key. Remove it first if you mean it.\n`,
    );
    return 1;
  }
  // the state directory carries its own .gitignore; make it before asking git
  const inStateDir = config !== null && dirname(path) === stateDirOf(config);
  if (inStateDir) ensureStateDir(config);
  const tree = values.force ? null : trackedInWorkTree(path);
  if (tree !== null) {
    process.stderr.write(
      `${path} is inside the git work tree ${tree} and not git-ignored: one \`git add .\` would publish the master key. ` +
        "Choose a path outside it (--registry, LIOT_STATE_DIR), git-ignore it, or pass --force.\n",
    );
    return 1;
  }
  if (!inStateDir) ensurePrivateDir(dirname(path), false);
  writeFileSync(
    path,
    stringify({ masterKey: toHex(randomBytes(16)), pseudonymScope: "leiden-pilot", devices: [] }),
    { mode: 0o600, flag: "wx" },
  );
  process.stdout.write(`wrote ${path} with a new master key; add devices with \`keys add\`\n`);
  return 0;
}

function deriveCommand(argv: readonly string[]): number {
  const { values, positionals } = parseOrExit(KEYS_DERIVE, argv);
  const id = Number(positionals[0]);
  if (!/^\d+$/.test(positionals[0]!) || id > 0xffffffff)
    usageError(KEYS_DERIVE, `<id> must be a device id (a whole number), not "${positionals[0]}"`);
  const path = registryPath(values);
  const doc = existingRegistry(path);
  const master = typeof doc.masterKey === "string" ? fromHex(doc.masterKey.toLowerCase()) : null;
  if (!master) {
    process.stderr.write(`${path} has no masterKey: device keys cannot be derived from it\n`);
    return 1;
  }
  process.stdout.write(toHex(deriveDeviceKey(nodeAes128, master, id)) + "\n");
  return 0;
}

function addCommand(argv: readonly string[]): number {
  const { values } = parseOrExit(KEYS_ADD, argv);
  if (values.id === undefined) usageError(KEYS_ADD, "--id <n> is required");
  if (values.kind === undefined) usageError(KEYS_ADD, "--kind band|classroom is required");
  const { id, kind } = values;
  const path = registryPath(values);
  const doc = existingRegistry(path);
  const dev: Record<string, unknown> = { id, kind };
  const eui = values["dev-eui"];
  const addr = values["dev-addr"];
  if (eui) dev.lora = { devEui: eui, ...(addr ? { devAddr: addr } : {}) };
  const devices = (Array.isArray(doc.devices) ? doc.devices : []) as Record<string, unknown>[];
  doc.devices = devices.filter((d) => d.id !== id).concat([dev]);
  registryFromData(doc, path);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  process.stdout.write(
    `added ${kind} ${id} to ${path}; its key derives from the master key (\`keys derive ${id}\`)\n`,
  );
  return 0;
}

export function keysCommand(argv: readonly string[]): number {
  const sub = argv[0];
  if (sub === "init") return initCommand(argv.slice(1));
  if (sub === "derive") return deriveCommand(argv.slice(1));
  if (sub === "add") return addCommand(argv.slice(1));
  if (sub === "reprovision") return keysReprovisionCommand(argv.slice(1));
  const { positionals } = parseOrExit(KEYS, argv);
  if (positionals.length > 0)
    usageError(
      KEYS,
      `unknown keys subcommand "${positionals[0]}"${didYouMean(positionals[0]!, SUBCOMMANDS)}: use ${SUBCOMMANDS.join(", ")}`,
    );
  process.stdout.write(toHex(randomBytes(16)) + "\n");
  process.stderr.write(
    "a new 128-bit master key; keep it secret (`keys init` writes a registry with one, mode 0600)\n",
  );
  return 0;
}
