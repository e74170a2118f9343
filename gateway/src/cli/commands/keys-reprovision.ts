// `keys reprovision <deveui> [--config f]`: after an ABP classroom node got new keys (and counts
// from 1 again, possibly with the same DevAddr), reset every counter the gateway keeps for it and
// start a new message-id session (src/store/reprovision.ts). Run it while the gateway is stopped.
import { existsSync } from "node:fs";
import { loadConfig } from "../../config/load.js";
import { loadRegistry } from "../../registry/load.js";
import { databasePath, ensureRegistry } from "../../state.js";
import { openDatabase } from "../../store/database.js";
import { reprovisionLora } from "../../store/reprovision.js";
import { flagString, type Args } from "../args.js";

export function keysReprovisionCommand(args: Args): number {
  const eui = args.positional[1]?.toLowerCase();
  if (!eui || !/^[0-9a-f]{16}$/.test(eui)) {
    process.stderr.write(
      "usage: keys reprovision <deveui> [--config f]: the DevEUI as 16 hex characters\n",
    );
    return 2;
  }
  const config = loadConfig(flagString(args, "config"));
  const registry = loadRegistry(config.registry ?? ensureRegistry(config).path);
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
