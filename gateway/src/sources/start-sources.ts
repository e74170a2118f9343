// Starts every source enabled under the config's `sources:` section and hands it the ingest's
// emit. A source that cannot start is logged and left out: the gateway runs without it.
import type { Logger } from "pino";
import type { GatewayConfig } from "../config/schema.js";
import type { GatewayMetrics } from "../metrics/metrics.js";
import type { KeyRegistry } from "../registry/registry.js";
import type { FrameCounterStore } from "../store/frame-counters.js";
import { loadSourceFactory, SOURCE_FOLDERS, type SourceKey } from "./plugins.js";
import type { Emit, Source } from "./source.js";

export interface StartSourcesDeps {
  config: GatewayConfig;
  registry: KeyRegistry;
  counters: FrameCounterStore;
  metrics: GatewayMetrics;
  log: Logger;
  emit: Emit;
}

/** liot_source_up{source}: 1 while the source reports "running". */
export function reportSourceUp(metrics: GatewayMetrics, s: Source): void {
  metrics.sourceUp.set({ source: s.name }, s.health().state === "running" ? 1 : 0);
}

export async function startSources(deps: StartSourcesDeps): Promise<Source[]> {
  const { config, metrics, log } = deps;
  const sources: Source[] = [];
  for (const key of Object.keys(SOURCE_FOLDERS) as SourceKey[]) {
    const cfg = config.sources[key] as { enabled?: boolean } | undefined;
    if (!cfg || cfg.enabled === false) continue;
    const name = SOURCE_FOLDERS[key];
    try {
      const factory = await loadSourceFactory(key);
      const src = factory(cfg, {
        registry: deps.registry,
        counters: deps.counters,
        log: log.child({ source: name }),
        gatewayId: config.gatewayId,
        // store_failed is counted by emit (the source only sees the emit's verdict).
        onReject: (reason) => {
          if (reason !== "store_failed") metrics.rejected.inc({ source: name, reason });
        },
      });
      await src.start(deps.emit);
      sources.push(src);
      reportSourceUp(metrics, src);
      log.info(
        { source: name, state: src.health().state, detail: src.health().detail },
        "source started",
      );
    } catch (e) {
      log.error(
        { source: name, err: (e as Error).message },
        `source ${key} could not start; the gateway runs without it`,
      );
    }
  }
  return sources;
}
