// Starts /metrics and /healthz when metrics.enabled. A port that is taken is logged with the fix
// and the gateway runs on without the endpoint.
import type { Server } from "node:http";
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/schema.js";
import type { GatewayHealth } from "../health.js";
import { startMetricsServer } from "./http.js";
import type { GatewayMetrics } from "./metrics.js";

export interface MetricsEndpoint {
  server: Server;
  url: string;
}

export async function serveMetrics(
  config: GatewayConfig,
  metrics: GatewayMetrics,
  health: () => GatewayHealth,
  log: Logger,
): Promise<MetricsEndpoint | null> {
  if (!config.metrics.enabled) return null;
  const { host, port } = config.metrics;
  try {
    const server = await startMetricsServer(host, port, metrics.registry, health);
    const a = server.address();
    return { server, url: `http://${host}:${typeof a === "object" && a ? a.port : port}` };
  } catch (e) {
    log.error(
      { err: (e as Error).message },
      `metrics server could not listen on ${host}:${port}: set metrics.port (or LIOT_METRICS_PORT) to a free port`,
    );
    return null;
  }
}
