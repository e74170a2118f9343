// `start [--config f]`: run the gateway until SIGINT/SIGTERM.
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { startGateway } from "../../gateway.js";
import { CONFIG_OPTION, ENVIRONMENT_NOTE, configOf } from "../options.js";
import { createLogger } from "../logger.js";
import { redactUrl } from "../../config/redact-url.js";

export const START = defineCommand({
  command: "npm run gateway -- start",
  summary:
    "Runs the gateway until SIGINT/SIGTERM: its sources (BLE, LoRa, simulator), the pipeline, the\n" +
    "SQLite outbox in <stateDir> and the MQTT publisher; then flushes, publishes offline, closes.",
  options: { config: CONFIG_OPTION },
  notes: ENVIRONMENT_NOTE,
  examples: [
    "npm run gateway -- start --config /etc/liot/gateway.yaml",
    "LIOT_BROKER_URL=mqtt://broker:1883 npm run gateway -- start",
  ],
});

export async function startCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseOrExit(START, argv);
  const config = configOf(values.config);
  const log = createLogger(config.log.level);
  const gw = await startGateway(config, log);
  log.info(
    { broker: redactUrl(gw.brokerUrl), metrics: gw.metricsUrl, prefix: config.topicPrefix },
    "gateway running",
  );
  const shutdown = (sig: string) => {
    log.info({ signal: sig }, "stopping: flushing the outbox and saying offline");
    void gw.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}
