// `config [--config f]`: the effective configuration (file + LIOT_* env + defaults), secrets redacted.
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { stringify } from "yaml";
import { redact } from "../../config/load.js";
import { CONFIG_OPTION, ENVIRONMENT_NOTE, configOf } from "../options.js";

export const CONFIG = defineCommand({
  command: "npm run gateway -- config",
  summary:
    "Prints the effective configuration (file + LIOT_* environment + defaults) as YAML, every\n" +
    "secret shown as ***. An invalid configuration is an error naming the field and the fix.",
  options: { config: CONFIG_OPTION },
  notes: ENVIRONMENT_NOTE,
  examples: [
    "npm run gateway -- config --config gw.yaml",
    "LIOT_STATE_DIR=/tmp/s npm run gateway -- config",
  ],
});

export function configCommand(argv: readonly string[]): number {
  const { values } = parseOrExit(CONFIG, argv);
  const config = configOf(values.config);
  process.stdout.write(
    "# effective gateway configuration (secrets shown as ***)\n" + stringify(redact(config)),
  );
  return 0;
}
