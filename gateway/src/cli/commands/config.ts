// `config [--config f]`: the effective configuration (file + LIOT_* env + defaults), secrets redacted.
import { stringify } from "yaml";
import { loadConfig, redact } from "../../config/load.js";
import { flagString, type Args } from "../args.js";

export function configCommand(args: Args): void {
  const config = loadConfig(flagString(args, "config"));
  process.stdout.write(
    "# effective gateway configuration (secrets shown as ***)\n" + stringify(redact(config)),
  );
}
