// Starts the MQTT publisher that drains the outbox to the resolved broker, with its metrics.
import type { Logger } from "pino";
import { gatewayStatusTopic } from "@leiden-iot/protocol";
import type { GatewayConfig } from "../config/schema.js";
import type { GatewayMetrics } from "../metrics/metrics.js";
import type { Outbox } from "../store/outbox.js";
import { MqttPublisher } from "./mqtt-publisher.js";

export function startPublisher(
  config: GatewayConfig,
  brokerUrl: string,
  outbox: Outbox,
  metrics: GatewayMetrics,
  log: Logger,
): MqttPublisher {
  const publisher = new MqttPublisher(outbox, {
    broker: config.broker,
    url: brokerUrl,
    clientId: config.broker.clientId ?? "liot-" + config.gatewayId,
    inFlight: config.outbox.inFlight,
    statusTopic: gatewayStatusTopic(config.topicPrefix, config.gatewayId),
    log,
    onPublished: (s) => {
      metrics.publishLatency.observe(s);
      metrics.published.inc();
    },
    onConnectError: (problem) => metrics.connectErrors.inc({ problem }),
    onState: (up) => metrics.brokerConnected.set(up ? 1 : 0),
  });
  publisher.start();
  return publisher;
}
