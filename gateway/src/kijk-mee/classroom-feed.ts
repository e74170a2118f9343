// The classroom readings the teacher dashboard shows, from the broker (protocol's topics and
// SenML-CBOR envelopes), for the "Kijk mee" page without Web Bluetooth. feedReadings is the pure
// part (one MQTT message -> readings); ClassroomFeed subscribes, keeps a short history per
// classroom and tells listeners.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "pino";
import {
  decodeEnvelope,
  parseEnvelopeTopic,
  readClassroomEnvelope,
  topicFilters,
} from "@leiden-iot/protocol";
import { brokerAuthOptions } from "../broker/client-auth.js";
import type { BrokerConfig } from "../config/schema.js";
import type { FeedReading } from "./feed-reading.js";

export type { FeedReading } from "./feed-reading.js";

/** The readings in one MQTT message, or [] for anything that is not a classroom reading. */
export function feedReadings(topic: string, payload: Uint8Array, now: number): FeedReading[] {
  const where = parseEnvelopeTopic(topic);
  if (!where || where.kind !== "classroom_reading") return [];
  const d = decodeEnvelope(payload, now);
  if (!d.ok) return [];
  const c = readClassroomEnvelope(d.value.records);
  if (!c.ok) return [];
  return c.value.readings.map((r) => ({
    room: where.pseudonym,
    name: null,
    t: r.time,
    co2: r.co2Ppm,
    temperature: r.temperature,
    humidity: r.humidity,
    signal: c.value.signal,
  }));
}

export interface ClassroomFeedOptions {
  url: string;
  broker: BrokerConfig;
  prefix: string;
  clientId: string;
  historyMinutes: number;
  /** The room name of a classroom pseudonym (the registry's), if it has one. */
  roomName?: (pseudonym: string) => string | undefined;
  log: Logger;
  now?: () => number;
}

export class ClassroomFeed {
  private client: MqttClient | null = null;
  private readonly history = new Map<string, FeedReading[]>();
  private readonly listeners = new Set<(r: FeedReading) => void>();
  private readonly now: () => number;
  connected = false;

  constructor(private readonly o: ClassroomFeedOptions) {
    this.now = o.now ?? (() => Date.now() / 1000);
  }

  start(): void {
    const b = this.o.broker;
    const opts: IClientOptions = {
      clientId: this.o.clientId,
      clean: true,
      reconnectPeriod: 2000,
      protocolVersion: 4,
    };
    Object.assign(opts, brokerAuthOptions(b));
    const client = mqtt.connect(this.o.url, opts);
    this.client = client;
    client.on("connect", () => {
      this.connected = true;
      client.subscribe(topicFilters(this.o.prefix).classrooms, { qos: 0 });
    });
    client.on("close", () => (this.connected = false));
    client.on("error", (e) =>
      this.o.log.warn({ err: e.message }, "kijk mee feed: broker error (retrying)"),
    );
    client.on("message", (topic, payload) => {
      for (const r of feedReadings(topic, payload, this.now())) {
        r.name = this.o.roomName?.(r.room) ?? null;
        this.add(r);
      }
    });
  }

  /** Readings of the last historyMinutes, oldest first (every classroom). */
  recent(): FeedReading[] {
    const out: FeedReading[] = [];
    for (const list of this.history.values()) out.push(...list);
    return out.sort((a, b) => a.t - b.t);
  }

  onReading(fn: (r: FeedReading) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private add(r: FeedReading): void {
    const list = this.history.get(r.room) ?? [];
    if (list.some((x) => x.t === r.t)) return; // a copy (BLE and LoRa, or two gateways)
    list.push(r);
    list.sort((a, b) => a.t - b.t);
    const from = this.now() - this.o.historyMinutes * 60;
    while (list.length > 0 && list[0]!.t < from) list.shift();
    this.history.set(r.room, list);
    for (const fn of this.listeners) fn(r);
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.endAsync(true).catch(() => undefined);
  }
}
