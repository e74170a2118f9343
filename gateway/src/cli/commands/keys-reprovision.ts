// `keys reprovision <deveui> [--config f]`: after an ABP classroom node got new keys (and counts
// from 1 again, possibly with the same DevAddr), reset every counter the gateway keeps for it and
// start a new message-id session (src/store/reprovision.ts). Run it while the gateway is stopped.
import { existsSync } from "node:fs";
import { defineCommand, parseOrExit, usageError } from "@leiden-iot/protocol/cli";
import { loadRegistry } from "../../registry/load.js";
import { databasePath, registryPathOf } from "../../state.js";
import { openDatabase } from "../../store/database.js";
import { reprovisionLora } from "../../store/reprovision.js";
import { CONFIG_OPTION, configOf } from "../options.js";

export const KEYS_REPROVISION = defineCommand({
  command: "npm run gateway -- keys reprovision",
  summary:
    "After an ABP classroom node got new keys (it counts from 1 again): resets every counter the\n" +
    "gateway keeps for it (FCntUp, dedup windows, FCntDown) and starts a new message-id session.\n" +
    "Run it while the gateway is stopped (gateway/docs/lora-sources.md).",
  positionals: [{ name: "deveui", required: true, help: "the node's DevEUI, 16 hex characters" }],
  options: { config: CONFIG_OPTION },
  examples: ["npm run gateway -- keys reprovision 70b3d57ed0000001 --config gw.yaml"],
});

export function keysReprovisionCommand(argv: readonly string[]): number {
  const { values, positionals } = parseOrExit(KEYS_REPROVISION, argv);
  const eui = positionals[0]!.toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(eui))
    usageError(KEYS_REPROVISION, `<deveui> must be 16 hex characters, not "${positionals[0]}"`);
  const config = configOf(values.config);
  const registryPath = registryPathOf(config);
  if (!existsSync(registryPath)) {
    process.stderr.write(
      `no key registry at ${registryPath}: nothing to reprovision (\`npm run gateway -- keys init\` creates one)\n`,
    );
    return 1;
  }
  const registry = loadRegistry(registryPath);
  if (!registry.byDevEui(eui)) {
    process.stderr.write(
      `DevEUI ${eui} is not in the key registry: add the device with its new keys first (see gateway/docs/lora-sources.md)\n`,
    );
    return 1;
  }
  const path = databasePath(config);
  if (!existsSync(path)) {
    process.stdout.write(`no state file at ${path} yet: nothing to reset\n`);
    return 0;
  }
  const db = openDatabase(path);
  try {
    const r = reprovisionLora(db, eui);
    process.stdout.write(
      `${eui}: reset ${r.rows} counter rows (FCntUp, dedup windows, FCntDown); new message-id session ${r.session}. ` +
        "Start the gateway; the node may count from 1 again.\n",
    );
  } finally {
    db.close();
  }
  return 0;
}
