// Which broker the publisher talks to: broker.mode external uses the URL as it is, auto uses it
// when something answers there and otherwise starts the embedded broker, embedded always starts it.
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/schema.js";
import { redactUrl } from "../config/redact-url.js";
import { answers, hostPortOf, startEmbeddedBroker, type EmbeddedBroker } from "./embedded.js";

export interface ResolvedBroker {
  /** The URL the publisher uses (the embedded broker's when one was started). */
  url: string;
  embedded: EmbeddedBroker | null;
}

export async function resolveBroker(config: GatewayConfig, log: Logger): Promise<ResolvedBroker> {
  const { host, port, tls } = hostPortOf(config.broker.url);
  const mode = config.broker.mode;
  if (mode === "external") return { url: config.broker.url, embedded: null };
  if (mode === "auto" && (await answers(host, port))) {
    log.info({ url: redactUrl(config.broker.url) }, "broker.mode auto: a broker answers, using it");
    return { url: config.broker.url, embedded: null };
  }
  if (tls)
    throw new Error(
      `broker.url ${redactUrl(config.broker.url)} is mqtts://; the embedded broker speaks plain MQTT: use mqtt:// or broker.mode: external`,
    );
  const b = await startEmbeddedBroker(host, port);
  log.info(
    { url: `mqtt://${b.host}:${b.port}` },
    mode === "auto"
      ? "broker.mode auto: nothing answered, started the embedded broker (aedes, MQTT 3.1.1)"
      : "started the embedded broker (aedes, MQTT 3.1.1)",
  );
  return { url: `mqtt://${b.host}:${b.port}`, embedded: b };
}
