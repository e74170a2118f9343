// The gateway's periodic work: gauges every second, outbox expiry and next-epoch ephemeral ids
// every 30 s, the health message every health.intervalSeconds. Timers are unref'd: they never
// keep the process alive. Returns the function that stops them.
import { epochOf, gatewayHealthTopic } from "@leiden-iot/protocol";
import type { GatewayConfig } from "./config/schema.js";
import type { GatewayHealth } from "./health.js";
import type { GatewayMetrics } from "./metrics/metrics.js";
import type { Pipeline } from "./pipeline/pipeline.js";
import type { MqttPublisher } from "./publisher/mqtt-publisher.js";
import type { Source } from "./sources/source.js";
import { reportSourceUp } from "./sources/start-sources.js";
import type { Outbox } from "./store/outbox.js";

export interface HousekeepingParts {
  config: GatewayConfig;
  metrics: GatewayMetrics;
  outbox: Outbox;
  pipeline: Pipeline;
  publisher: MqttPublisher;
  sources: Source[];
  health: () => GatewayHealth;
}

export function startHousekeeping(p: HousekeepingParts): () => void {
  const { config, metrics, outbox } = p;
  const timers = [
    setInterval(() => updateGauges(metrics, outbox, p.sources), 1000),
    setInterval(() => {
      outbox.maintain("expire", () => outbox.expire());
      void p.pipeline.resolver.prepare(epochOf(Date.now() / 1000) + 1);
    }, 30_000),
    setInterval(() => {
      p.publisher.publishDirect(
        gatewayHealthTopic(config.topicPrefix, config.gatewayId),
        JSON.stringify(p.health()),
      );
    }, config.health.intervalSeconds * 1000),
  ];
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearInterval(t);
  };
}

function updateGauges(metrics: GatewayMetrics, outbox: Outbox, sources: Source[]): void {
  metrics.outboxDepth.set(outbox.depth);
  metrics.outboxBytes.set(outbox.bytes);
  metrics.outboxOldest.set(outbox.oldestAgeSeconds());
  for (const s of sources) {
    reportSourceUp(metrics, s);
    const f = s.forwarderCounts?.();
    if (f) {
      metrics.packetForwarders.set({ state: "active" }, f.verified - f.silent);
      metrics.packetForwarders.set({ state: "silent" }, f.silent);
      metrics.packetForwarders.set({ state: "unverified" }, f.unverified);
    }
  }
}
