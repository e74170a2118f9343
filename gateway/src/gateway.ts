// The composition root: registry -> pipeline -> ingest -> outbox -> publisher, the broker
// (embedded or not), the sources named in the config, housekeeping timers, metrics and health,
// the enrolment page, and the order they stop in. The only place that knows all of them; each
// part lives in its own file.
import { epochOf } from "@leiden-iot/protocol";
import type { Logger } from "pino";
import type { GatewayConfig } from "./config/schema.js";
import type { EmbeddedBroker } from "./broker/embedded.js";
import { resolveBroker } from "./broker/resolve.js";
import { startEnrolServer, type EnrolServer } from "./enrol/enrol-server.js";
import { pageAssets } from "./pages/page-assets.js";
import { ClassroomFeed } from "./kijk-mee/classroom-feed.js";
import { roomNameLookup } from "./kijk-mee/room-names.js";
import { startKijkMeeServer, type KijkMeeServer } from "./kijk-mee/kijk-mee-server.js";
import { healthReporter } from "./health.js";
import { startHousekeeping } from "./housekeeping.js";
import { createIngest } from "./ingest.js";
import { GatewayMetrics } from "./metrics/metrics.js";
import { RateLimitedLog } from "./metrics/rate-limited-log.js";
import { serveMetrics } from "./metrics/serve-metrics.js";
import { Pipeline } from "./pipeline/pipeline.js";
import type { MqttPublisher } from "./publisher/mqtt-publisher.js";
import { startPublisher } from "./publisher/start-publisher.js";
import { loadRegistry } from "./registry/load.js";
import type { KeyRegistry, MemoryRegistry } from "./registry/registry.js";
import type { Emit, Source } from "./sources/source.js";
import { startSources } from "./sources/start-sources.js";
import { ensureRegistry, stateDirOf } from "./state.js";
import { openOutbox } from "./store/open-outbox.js";
import type { FrameCounterStore } from "./store/frame-counters.js";
import type { Outbox } from "./store/outbox.js";

export interface RunningGateway {
  config: GatewayConfig;
  registry: KeyRegistry;
  pipeline: Pipeline;
  outbox: Outbox;
  publisher: MqttPublisher;
  metrics: GatewayMetrics;
  sources: Source[];
  /** The URL the publisher uses (the embedded broker's when one was started). */
  brokerUrl: string;
  embeddedBroker: EmbeddedBroker | null;
  metricsUrl: string | null;
  /** The enrolment page (enrol.enabled), with its one-time admin link. */
  enrol: EnrolServer | null;
  /** The classroom "Kijk mee" page and feed (kijkMee.enabled). */
  kijkMee: KijkMeeServer | null;
  emit: Emit;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Adjusts the loaded registry before the pipeline is built (simulate adds its fleet). */
  amendRegistry?: (r: MemoryRegistry) => void;
}

export async function startGateway(
  config: GatewayConfig,
  log: Logger,
  opts: StartOptions = {},
): Promise<RunningGateway> {
  const { registry, registryPath } = openRegistry(config, log, opts);
  const metrics = new GatewayMetrics(config.metrics.maxDeviceLabels);
  const rlog = new RateLimitedLog(log);
  const { db, outbox } = openOutbox(config, metrics, rlog, log);
  const pipeline = createPipeline(config, registry, outbox.counters, log);
  const broker = await resolveBroker(config, log);
  const publisher = startPublisher(config, broker.url, outbox, metrics, log);

  let enrol: EnrolServer | null = null;
  const ingest = createIngest({
    pipeline,
    outbox,
    metrics,
    log,
    rlog,
    onAccepted: (deviceId, at) => enrol?.accepted(deviceId, at),
  });
  const { emit } = ingest;
  const counters = outbox.counters;
  const sources = await startSources({ config, registry, counters, metrics, log, emit });
  const health = healthReporter({
    config,
    brokerUrl: broker.url,
    publisher,
    outbox,
    sources,
    registry,
  });
  const stopHousekeeping = startHousekeeping({
    config,
    metrics,
    outbox,
    pipeline,
    publisher,
    sources,
    health,
  });
  const metricsEndpoint = await serveMetrics(config, metrics, health, log);
  if (config.enrol.enabled) enrol = await startEnrol(config, registry, registryPath, pipeline, log);
  const kijkMee = config.kijkMee.enabled
    ? await startKijkMee(config, broker.url, registry, log)
    : null;

  let stopped = false;
  return {
    config,
    registry,
    pipeline,
    outbox,
    publisher,
    metrics,
    sources,
    brokerUrl: broker.url,
    embeddedBroker: broker.embedded,
    metricsUrl: metricsEndpoint?.url ?? null,
    enrol,
    kijkMee: kijkMee?.server ?? null,
    emit,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopHousekeeping();
      for (const s of sources) await s.stop().catch(() => undefined);
      await ingest.settle();
      outbox.flush();
      await publisher.stop();
      outbox.close();
      db.close();
      const server = metricsEndpoint?.server;
      if (server) await new Promise<void>((r) => server.close(() => r()));
      if (enrol) await enrol.close();
      if (kijkMee) await kijkMee.server.close();
      if (kijkMee) await kijkMee.feed.stop();
      if (broker.embedded) await broker.embedded.close();
    },
  };
}

/** The key registry (a demo one with a new master key when none is configured), amended. */
function openRegistry(
  config: GatewayConfig,
  log: Logger,
  opts: StartOptions,
): { registry: MemoryRegistry; registryPath: string } {
  const reg = ensureRegistry(config);
  if (reg.created)
    log.info(
      { registry: reg.path },
      "no key registry configured: generated a demo registry with a new master key",
    );
  const registry = loadRegistry(reg.path);
  opts.amendRegistry?.(registry);
  return { registry, registryPath: reg.path };
}

/** The pipeline; the ephemeral-id tables of this epoch and its neighbours build in the background. */
function createPipeline(
  config: GatewayConfig,
  registry: KeyRegistry,
  counters: FrameCounterStore,
  log: Logger,
): Pipeline {
  const t0 = Date.now();
  const pipeline = new Pipeline(registry, counters, {
    gatewayId: config.gatewayId,
    topicPrefix: config.topicPrefix,
    replayWindow: config.pipeline.replayWindow,
    clockNotSetEpochs: config.pipeline.clockNotSetEpochs,
    maxFcntGap: config.pipeline.maxFcntGap,
  });
  const epoch = epochOf(Date.now() / 1000);
  // built in the background for a large registry: frames are taken meanwhile (processWhenIndexed)
  void pipeline.resolver
    .build([epoch - 1, epoch, epoch + 1])
    .then(() =>
      log.info({ devices: registry.size, ms: Date.now() - t0 }, "ephemeral id tables ready"),
    );
  return pipeline;
}

async function startEnrol(
  config: GatewayConfig,
  registry: MemoryRegistry,
  registryPath: string,
  pipeline: Pipeline,
  log: Logger,
): Promise<EnrolServer> {
  const enrol = await startEnrolServer({
    config: config.enrol,
    registry,
    registryPath,
    registerEid: (id, key) => pipeline.resolver.register(id, key),
    stateDir: stateDirOf(config),
    assets: pageAssets(),
    log: log.child({ part: "enrol" }),
  });
  log.info({ link: enrol.adminLink }, "enrolment page: open this link once (one-time admin token)");
  return enrol;
}

/** The classroom "Kijk mee" page, fed by its own MQTT subscription to the classroom readings. */
async function startKijkMee(
  config: GatewayConfig,
  brokerUrl: string,
  registry: MemoryRegistry,
  log: Logger,
): Promise<{ server: KijkMeeServer; feed: ClassroomFeed }> {
  const feed = new ClassroomFeed({
    url: brokerUrl,
    broker: config.broker,
    prefix: config.topicPrefix,
    clientId: "liot-kijk-mee-" + config.gatewayId,
    historyMinutes: config.kijkMee.historyMinutes,
    roomName: roomNameLookup(registry),
    log: log.child({ part: "kijk-mee" }),
  });
  feed.start();
  const server = await startKijkMeeServer({
    config: config.kijkMee,
    feed,
    assets: pageAssets(),
    log: log.child({ part: "kijk-mee" }),
  });
  log.info({ url: server.url }, "Kijk mee page for the classroom");
  return { server, feed };
}
