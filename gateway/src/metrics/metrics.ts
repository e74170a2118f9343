// Prometheus metrics (prom-client) for the gateway. Per-device series are labelled with the
// pseudonym only (never a device id), for at most maxDeviceLabels devices: the first ones seen
// keep their series, later ones are counted in liot_device_labels_dropped_total.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

interface DeviceState {
  kind: "band" | "classroom";
  lastSeen: number;
  counter: number;
  gaps: number;
  exportedGaps: number;
  rssi?: number;
  battery?: number;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly framesIn: Counter<"source">;
  readonly accepted: Counter<"source" | "kind">;
  readonly rejected: Counter<"source" | "reason">;
  readonly duplicates: Counter<"source">;
  readonly outboxDepth: Gauge;
  readonly outboxBytes: Gauge;
  readonly outboxOldest: Gauge;
  readonly outboxDropped: Counter<"reason">;
  readonly publishLatency: Histogram;
  readonly published: Counter;
  readonly brokerConnected: Gauge;
  readonly connectErrors: Counter<"problem">;
  readonly sourceUp: Gauge<"source">;
  readonly packetForwarders: Gauge<"state">;
  readonly deviceLastSeen: Gauge<"pseudonym" | "kind">;
  readonly deviceRssi: Gauge<"pseudonym" | "kind">;
  readonly deviceGaps: Counter<"pseudonym" | "kind">;
  readonly deviceBattery: Gauge<"pseudonym" | "kind">;
  readonly deviceCounter: Gauge<"pseudonym" | "kind">;
  readonly labelsDropped: Counter;
  private readonly devices = new Map<string, DeviceState>();

  constructor(private readonly maxDeviceLabels: number) {
    const r = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "liot_" });
    this.framesIn = new Counter({
      name: "liot_frames_in_total",
      help: "Frames heard, per source",
      labelNames: ["source"],
      registers: r,
    });
    this.accepted = new Counter({
      name: "liot_frames_accepted_total",
      help: "Frames accepted into the outbox",
      labelNames: ["source", "kind"],
      registers: r,
    });
    this.rejected = new Counter({
      name: "liot_frames_rejected_total",
      help: "Frames rejected by the pipeline or by a source (LoRaWAN MIC, counter, malformed JSON, ...), per source and reason",
      labelNames: ["source", "reason"],
      registers: r,
    });
    this.duplicates = new Counter({
      name: "liot_frames_duplicate_total",
      help: "Frames already accepted (dedup hits)",
      labelNames: ["source"],
      registers: r,
    });
    this.outboxDepth = new Gauge({
      name: "liot_outbox_depth",
      help: "Frames waiting in the outbox",
      registers: r,
    });
    this.outboxBytes = new Gauge({
      name: "liot_outbox_bytes",
      help: "Bytes waiting in the outbox",
      registers: r,
    });
    this.outboxOldest = new Gauge({
      name: "liot_outbox_oldest_age_seconds",
      help: "Age of the oldest frame in the outbox",
      registers: r,
    });
    this.outboxDropped = new Counter({
      name: "liot_outbox_dropped_total",
      help: "Frames dropped oldest-first from the outbox, per reason (full, age)",
      labelNames: ["reason"],
      registers: r,
    });
    this.publishLatency = new Histogram({
      name: "liot_publish_latency_seconds",
      help: "Time from reception to PUBACK",
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
      registers: r,
    });
    this.published = new Counter({
      name: "liot_published_total",
      help: "Frames acknowledged by the broker",
      registers: r,
    });
    this.brokerConnected = new Gauge({
      name: "liot_broker_connected",
      help: "1 when connected to the broker",
      registers: r,
    });
    this.connectErrors = new Counter({
      name: "liot_broker_connect_errors_total",
      help: "Broker connection errors, per problem",
      labelNames: ["problem"],
      registers: r,
    });
    this.sourceUp = new Gauge({
      name: "liot_source_up",
      help: "1 when a source is running",
      labelNames: ["source"],
      registers: r,
    });
    this.packetForwarders = new Gauge({
      name: "liot_packet_forwarders",
      help: "packet forwarders seen by semtech-udp: active and silent ones that forwarded a frame whose MIC verified, and unverified gateway ids (bounded)",
      labelNames: ["state"],
      registers: r,
    });
    const dev = ["pseudonym", "kind"] as const;
    this.deviceLastSeen = new Gauge({
      name: "liot_device_last_seen_seconds",
      help: "Unix time a device was last accepted",
      labelNames: dev,
      registers: r,
      collect: () => this.collectDevices(),
    });
    this.deviceRssi = new Gauge({
      name: "liot_device_rssi_dbm",
      help: "RSSI of a device's last accepted frame",
      labelNames: dev,
      registers: r,
    });
    this.deviceGaps = new Counter({
      name: "liot_device_counter_gaps_total",
      help: "Frame counters skipped (frames never heard)",
      labelNames: dev,
      registers: r,
    });
    this.deviceBattery = new Gauge({
      name: "liot_device_battery",
      help: "Battery: band volts, classroom percent",
      labelNames: dev,
      registers: r,
    });
    this.deviceCounter = new Gauge({
      name: "liot_device_counter",
      help: "Last accepted frame counter",
      labelNames: dev,
      registers: r,
    });
    this.labelsDropped = new Counter({
      name: "liot_device_labels_dropped_total",
      help: "Device updates not exported because of the label cap",
      registers: r,
    });
  }

  /**
   * Records a device's latest state; the per-device gauges are filled when /metrics is scraped
   * (collect), so the hot path pays one Map update per frame, not five label lookups.
   */
  device(
    pseudonym: string,
    kind: "band" | "classroom",
    info: { counter: number; gap: number; rssi?: number; battery?: number },
    at: number,
  ): void {
    let d = this.devices.get(pseudonym);
    if (!d) {
      if (this.devices.size >= this.maxDeviceLabels) {
        this.labelsDropped.inc();
        return;
      }
      d = { kind, lastSeen: at, counter: info.counter, gaps: 0, exportedGaps: 0 };
      this.devices.set(pseudonym, d);
    }
    d.lastSeen = at;
    d.counter = info.counter;
    d.gaps += info.gap;
    if (info.rssi !== undefined) d.rssi = info.rssi;
    if (info.battery !== undefined) d.battery = info.battery;
  }

  /** Copies the device states into their gauges (called by prom-client before a scrape). */
  collectDevices(): void {
    for (const [pseudonym, d] of this.devices) {
      const l = { pseudonym, kind: d.kind };
      this.deviceLastSeen.set(l, d.lastSeen);
      this.deviceCounter.set(l, d.counter);
      if (d.gaps > d.exportedGaps) {
        this.deviceGaps.inc(l, d.gaps - d.exportedGaps);
        d.exportedGaps = d.gaps;
      }
      if (d.rssi !== undefined) this.deviceRssi.set(l, d.rssi);
      if (d.battery !== undefined) this.deviceBattery.set(l, d.battery);
    }
  }
}
