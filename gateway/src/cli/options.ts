// What every gateway command shares on the one command-line convention of the repository
// (@leiden-iot/protocol/cli): the --config option and how its file is found.
import { userPath } from "@leiden-iot/protocol/cli";
import { loadConfig } from "../config/load.js";
import type { GatewayConfig } from "../config/schema.js";

export const CONFIG_OPTION = {
  value: "<file>",
  help: "YAML configuration (gateway/README.md#configuration); default: built-in defaults",
} as const;

export const REGISTRY_OPTION = {
  value: "<file>",
  help: "key registry (default: registry of the config, else <stateDir>/registry.yaml)",
} as const;

export const ENVIRONMENT_NOTE =
  "Environment overrides: LIOT_BROKER_URL, LIOT_BROKER_MODE, LIOT_BROKER_USERNAME,\n" +
  "LIOT_BROKER_PASSWORD, LIOT_GATEWAY_ID, LIOT_TOPIC_PREFIX, LIOT_STATE_DIR, LIOT_REGISTRY,\n" +
  "LIOT_METRICS_PORT, LIOT_LOG_LEVEL, LIOT_LNS_PASSWORD. Relative paths (--config, --registry,\n" +
  "LIOT_STATE_DIR, LIOT_REGISTRY) resolve from the directory you run the command in.";

/** The configuration of --config (resolved from the user's directory), env and defaults. */
export function configOf(file: string | undefined): GatewayConfig {
  return loadConfig(file === undefined ? undefined : userPath(file));
}
