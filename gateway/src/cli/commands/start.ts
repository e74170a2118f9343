// `start [--config f]`: run the gateway until SIGINT/SIGTERM.
import { loadConfig } from "../../config/load.js";
import { startGateway } from "../../gateway.js";
import { flagString, type Args } from "../args.js";
import { createLogger } from "../logger.js";
import { redactUrl } from "../../config/redact-url.js";

export async function startCommand(args: Args): Promise<void> {
  const config = loadConfig(flagString(args, "config"));
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
