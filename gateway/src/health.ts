// The gateway's health report: published on the health topic every health.intervalSeconds and
// served at /healthz. ok while the publisher is connected to the broker.
import type { GatewayConfig } from "./config/schema.js";
import { redactUrl } from "./config/redact-url.js";
import type { MqttPublisher } from "./publisher/mqtt-publisher.js";
import type { KeyRegistry } from "./registry/registry.js";
import type { Source, SourceHealth } from "./sources/source.js";
import type { Outbox } from "./store/outbox.js";

// A type, not an interface: /healthz takes any object with ok (an index signature).
export type GatewayHealth = {
  ok: boolean;
  gatewayId: string;
  at: number;
  broker: { connected: boolean; url: string; mqtt: "5" | "3.1.1"; error: string | undefined };
  outbox: { depth: number; bytes: number; oldestAgeSeconds: number };
  sources: SourceHealth[];
  devices: number;
};

export interface HealthParts {
  config: GatewayConfig;
  brokerUrl: string;
  publisher: MqttPublisher;
  outbox: Outbox;
  sources: Source[];
  registry: KeyRegistry;
}

export function healthReporter(p: HealthParts): () => GatewayHealth {
  return () => ({
    ok: p.publisher.isConnected,
    gatewayId: p.config.gatewayId,
    at: Date.now() / 1000,
    broker: {
      connected: p.publisher.isConnected,
      url: redactUrl(p.brokerUrl),
      mqtt: p.publisher.protocolVersion === 5 ? "5" : "3.1.1",
      error: p.publisher.lastError,
    },
    outbox: {
      depth: p.outbox.depth,
      bytes: p.outbox.bytes,
      oldestAgeSeconds: Math.round(p.outbox.oldestAgeSeconds()),
    },
    sources: p.sources.map((s) => s.health()),
    devices: p.registry.size,
  });
}
