// Wires the parts: registry -> pipeline -> outbox -> publisher, the broker (embedded or not),
// the sources named in the config, metrics and health. The only place that knows all of them.
import type { Server } from "node:http";
import { epochOf, gatewayHealthTopic, gatewayStatusTopic } from "@leiden-iot/protocol";
import type { Logger } from "pino";
import type { GatewayConfig } from "./config/schema.js";
import {
  answers,
  hostPortOf,
  startEmbeddedBroker,
  type EmbeddedBroker,
} from "./broker/embedded.js";
import { GatewayMetrics } from "./metrics/metrics.js";
import { startMetricsServer } from "./metrics/http.js";
import { RateLimitedLog } from "./metrics/rate-limited-log.js";
import { Pipeline } from "./pipeline/pipeline.js";
import { MqttPublisher } from "./publisher/mqtt-publisher.js";
import { loadRegistry } from "./registry/load.js";
import type { KeyRegistry, MemoryRegistry } from "./registry/registry.js";
import { loadSourceFactory, SOURCE_FOLDERS, type SourceKey } from "./sources/plugins.js";
import type { Disposition, Emit, RawFrame, Source } from "./sources/source.js";
import { databasePath, ensureRegistry, ensureStateDir, stateDirOf } from "./state.js";
import { openDatabase, type Db } from "./store/database.js";
import { Outbox } from "./store/outbox.js";
import { redactUrl } from "./config/redact-url.js";
import { startEnrolServer, type EnrolServer } from "./enrol/enrol-server.js";
import { pageAssets } from "./enrol/page-assets.js";
import { ClassroomFeed } from "./kijk-mee/classroom-feed.js";
import { startKijkMeeServer, type KijkMeeServer } from "./kijk-mee/kijk-mee-server.js";

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

async function resolveBroker(
  config: GatewayConfig,
  log: Logger,
): Promise<{ url: string; embedded: EmbeddedBroker | null }> {
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

export interface StartOptions {
  /** Adjusts the loaded registry before the pipeline is built (simulate adds its fleet). */
  amendRegistry?: (r: MemoryRegistry) => void;
}

export async function startGateway(
  config: GatewayConfig,
  log: Logger,
  opts: StartOptions = {},
): Promise<RunningGateway> {
  const reg = ensureRegistry(config);
  if (reg.created)
    log.info(
      { registry: reg.path },
      "no key registry configured: generated a demo registry with a new master key",
    );
  const registry = loadRegistry(reg.path);
  opts.amendRegistry?.(registry);
  const metrics = new GatewayMetrics(config.metrics.maxDeviceLabels);
  const rlog = new RateLimitedLog(log);
  ensureStateDir(config);
  const db: Db = openDatabase(databasePath(config), config.outbox.synchronous);
  const outbox = new Outbox(db, {
    maxBytes: config.outbox.maxBytes,
    maxAgeSeconds: config.outbox.maxAgeSeconds,
    onDrop: (reason, rows, bytes) => {
      metrics.outboxDropped.inc({ reason }, rows);
      rlog.warn(
        "drop-" + reason,
        { reason, rows, bytes },
        reason === "full"
          ? "outbox full (outbox.maxBytes): dropped the oldest frames"
          : "frames older than outbox.maxAgeSeconds dropped",
      );
    },
    onMaintenanceError: (what, err) =>
      rlog.warn(
        "outbox-" + what,
        { err: err.message },
        "outbox maintenance failed (" +
          what +
          "): check disk space of stateDir; retried on the next write",
      ),
  });
  if (outbox.depth)
    log.info(
      { depth: outbox.depth },
      "outbox holds frames from before the restart: publishing them first",
    );
  const t0 = Date.now();
  const pipeline = new Pipeline(registry, outbox.counters, {
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

  const broker = await resolveBroker(config, log);
  const statusTopic = gatewayStatusTopic(config.topicPrefix, config.gatewayId);
  const publisher = new MqttPublisher(outbox, {
    broker: config.broker,
    url: broker.url,
    clientId: config.broker.clientId ?? "liot-" + config.gatewayId,
    inFlight: config.outbox.inFlight,
    statusTopic,
    log,
    onPublished: (s) => {
      metrics.publishLatency.observe(s);
      metrics.published.inc();
    },
    onConnectError: (problem) => metrics.connectErrors.inc({ problem }),
    onState: (up) => metrics.brokerConnected.set(up ? 1 : 0),
  });
  publisher.start();

  let enrol: EnrolServer | null = null;
  const pendingByMid = new Map<string, Promise<unknown>>();
  const emit: Emit = async (frame: RawFrame): Promise<Disposition> => {
    metrics.framesIn.inc({ source: frame.source });
    const out = await pipeline.processWhenIndexed(frame);
    if (out.status === "rejected") {
      metrics.rejected.inc({ source: frame.source, reason: out.reason });
      // The detail may name a DevEUI or an ephemeral id: debug only; internal_error is a bug.
      if (out.reason === "internal_error")
        log.error({ source: frame.source, detail: out.detail }, "a frame made the pipeline throw");
      else log.debug({ source: frame.source, reason: out.reason, detail: out.detail }, "rejected");
      rlog.warn(
        "reject-" + out.reason,
        { source: frame.source, reason: out.reason },
        "frame rejected (details at log level debug)",
      );
      return out;
    }
    if (out.status === "duplicate") {
      metrics.duplicates.inc({ source: frame.source });
      // "duplicate" promises the first copy is stored: when its write fails, this copy is not
      // acknowledged either (store_failed), so the sender repeats it and the repeat is accepted.
      const p = pendingByMid.get(out.messageId);
      if (p) {
        try {
          await p;
        } catch (e) {
          metrics.rejected.inc({ source: frame.source, reason: "store_failed" });
          return {
            status: "rejected",
            reason: "store_failed",
            detail: "the first copy of this frame could not be stored: " + (e as Error).message,
          };
        }
      }
      return out;
    }
    const p = outbox.enqueue({
      topic: out.topic,
      payload: out.payload,
      properties: out.userProperties,
      messageId: out.messageId,
      receivedAt: frame.receivedAt,
      counter: { stream: out.stream, state: out.counter },
    });
    pendingByMid.set(out.messageId, p);
    try {
      await p;
    } catch (e) {
      pipeline.rollback(out);
      metrics.rejected.inc({ source: frame.source, reason: "store_failed" });
      rlog.warn(
        "store_failed",
        { err: (e as Error).message },
        "could not store a frame in the outbox: check disk space and permissions of stateDir",
      );
      return { status: "rejected", reason: "store_failed", detail: (e as Error).message };
    } finally {
      pendingByMid.delete(out.messageId);
    }
    metrics.accepted.inc({ source: frame.source, kind: out.info.kind });
    enrol?.accepted(out.deviceId, frame.receivedAt);
    metrics.device(out.pseudonym, out.info.kind, out.info, frame.receivedAt);
    return { status: "accepted", messageId: out.messageId };
  };

  const sources: Source[] = [];
  for (const key of Object.keys(SOURCE_FOLDERS) as SourceKey[]) {
    const cfg = config.sources[key] as { enabled?: boolean } | undefined;
    if (!cfg || cfg.enabled === false) continue;
    try {
      const factory = await loadSourceFactory(key);
      const name = SOURCE_FOLDERS[key];
      const src = factory(cfg, {
        registry,
        counters: outbox.counters,
        log: log.child({ source: name }),
        gatewayId: config.gatewayId,
        // store_failed is counted by emit (the source only sees the emit's verdict).
        onReject: (reason) => {
          if (reason !== "store_failed") metrics.rejected.inc({ source: name, reason });
        },
      });
      await src.start(emit);
      sources.push(src);
      metrics.sourceUp.set({ source: src.name }, src.health().state === "running" ? 1 : 0);
      log.info(
        { source: name, state: src.health().state, detail: src.health().detail },
        "source started",
      );
    } catch (e) {
      log.error(
        { source: SOURCE_FOLDERS[key], err: (e as Error).message },
        `source ${key} could not start; the gateway runs without it`,
      );
    }
  }

  const timers: NodeJS.Timeout[] = [];
  timers.push(
    setInterval(() => {
      metrics.outboxDepth.set(outbox.depth);
      metrics.outboxBytes.set(outbox.bytes);
      metrics.outboxOldest.set(outbox.oldestAgeSeconds());
      for (const s of sources) {
        metrics.sourceUp.set({ source: s.name }, s.health().state === "running" ? 1 : 0);
        const f = s.forwarderCounts?.();
        if (f) {
          metrics.packetForwarders.set({ state: "active" }, f.verified - f.silent);
          metrics.packetForwarders.set({ state: "silent" }, f.silent);
          metrics.packetForwarders.set({ state: "unverified" }, f.unverified);
        }
      }
    }, 1000),
    setInterval(() => {
      outbox.maintain("expire", () => outbox.expire());
      void pipeline.resolver.prepare(epochOf(Date.now() / 1000) + 1);
    }, 30_000),
    setInterval(() => {
      publisher.publishDirect(
        gatewayHealthTopic(config.topicPrefix, config.gatewayId),
        JSON.stringify(healthOf()),
      );
    }, config.health.intervalSeconds * 1000),
  );
  for (const t of timers) t.unref();

  const healthOf = () => ({
    ok: publisher.isConnected,
    gatewayId: config.gatewayId,
    at: Date.now() / 1000,
    broker: {
      connected: publisher.isConnected,
      url: redactUrl(broker.url),
      mqtt: publisher.protocolVersion === 5 ? "5" : "3.1.1",
      error: publisher.lastError,
    },
    outbox: {
      depth: outbox.depth,
      bytes: outbox.bytes,
      oldestAgeSeconds: Math.round(outbox.oldestAgeSeconds()),
    },
    sources: sources.map((s) => s.health()),
    devices: registry.size,
  });

  let server: Server | null = null;
  let metricsUrl: string | null = null;
  if (config.metrics.enabled) {
    try {
      server = await startMetricsServer(
        config.metrics.host,
        config.metrics.port,
        metrics.registry,
        healthOf,
      );
      const a = server.address();
      metricsUrl = `http://${config.metrics.host}:${typeof a === "object" && a ? a.port : config.metrics.port}`;
    } catch (e) {
      log.error(
        { err: (e as Error).message },
        `metrics server could not listen on ${config.metrics.host}:${config.metrics.port}: set metrics.port (or LIOT_METRICS_PORT) to a free port`,
      );
    }
  }

  if (config.enrol.enabled) {
    enrol = await startEnrolServer({
      config: config.enrol,
      registry,
      registryPath: reg.path,
      registerEid: (id, key) => pipeline.resolver.register(id, key),
      stateDir: stateDirOf(config),
      assets: pageAssets(),
      log: log.child({ part: "enrol" }),
    });
    log.info(
      { link: enrol.adminLink },
      "enrolment page: open this link once (one-time admin token)",
    );
  }

  let kijkMee: KijkMeeServer | null = null;
  let feed: ClassroomFeed | null = null;
  if (config.kijkMee.enabled) {
    feed = new ClassroomFeed({
      url: broker.url,
      broker: config.broker,
      prefix: config.topicPrefix,
      clientId: "liot-kijk-mee-" + config.gatewayId,
      historyMinutes: config.kijkMee.historyMinutes,
      log: log.child({ part: "kijk-mee" }),
    });
    feed.start();
    kijkMee = await startKijkMeeServer({
      config: config.kijkMee,
      feed,
      assets: pageAssets(),
      log: log.child({ part: "kijk-mee" }),
    });
    log.info({ url: kijkMee.url }, "Kijk mee page for the classroom");
  }

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
    metricsUrl,
    enrol,
    kijkMee,
    emit,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      for (const s of sources) await s.stop().catch(() => undefined);
      await Promise.allSettled([...pendingByMid.values()]);
      outbox.flush();
      await publisher.stop();
      outbox.close();
      db.close();
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      if (enrol) await enrol.close();
      if (kijkMee) await kijkMee.close();
      if (feed) await feed.stop();
      if (broker.embedded) await broker.embedded.close();
    },
  };
}
