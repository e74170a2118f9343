// Drains the outbox into the broker: QoS 1, in id order, at most `inFlight` unacknowledged, each
// row deleted on its PUBACK. MQTT 5 (content type + user properties) with a fallback to 3.1.1;
// TLS and username/password; a retained status topic with a last will; reconnect with backoff.
// Each connection is a fresh client: after a drop, the rows not acknowledged are published again
// from the oldest (at-least-once, still in order per device; consumers dedup by message id).
import { readFileSync } from "node:fs";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { generate } from "mqtt-packet";
import type { Logger } from "pino";
import { ENVELOPE_CONTENT_TYPE } from "@leiden-iot/protocol";
import type { BrokerConfig } from "../config/schema.js";
import type { Outbox } from "../store/outbox.js";
import { backoffDelay } from "@leiden-iot/protocol";
import { adviceFor, classifyConnectError, type ConnectProblem } from "./connect-error.js";
import { redactUrl } from "../config/redact-url.js";

export interface PublisherOptions {
  broker: BrokerConfig;
  /** The URL actually used (may differ from broker.url when the embedded broker picked a port). */
  url: string;
  clientId: string;
  inFlight: number;
  statusTopic: string;
  log: Logger;
  onPublished?: (latencySeconds: number) => void;
  onConnectError?: (problem: ConnectProblem) => void;
  onState?: (connected: boolean) => void;
}

/**
 * mqtt-packet writes a PUBLISH to the socket as ~40 small chunks (one per length prefix, string
 * and property: six user properties here), each a Writable.write() and an iovec of a writev, which
 * costs more than the rest of publishing. Encode each PUBLISH into one Buffer with mqtt-packet's
 * own generate() (the same bytes) and write that. Other packets keep the client's own path.
 */
function writePacketsWhole(client: MqttClient): void {
  const c = client as unknown as {
    _writePacket?: (packet: mqtt.Packet, cb?: () => void) => void;
    stream: NodeJS.WritableStream & { once(ev: "drain", cb: () => void): unknown };
    options: IClientOptions;
    noop: () => void;
  };
  const own = c._writePacket;
  if (typeof own !== "function") return;
  c._writePacket = function (packet, cb) {
    if (packet.cmd !== "publish") return own.call(c, packet, cb);
    const ok = c.stream.write(generate(packet, c.options as never));
    if (!ok && cb && cb !== c.noop) c.stream.once("drain", cb);
    else if (cb) cb();
  };
}

export class MqttPublisher {
  private client: MqttClient | null = null;
  private generation = 0;
  /** Bumped when a refused publish voids the in-flight batch (connection handlers keep theirs). */
  private batchEpoch = 0;
  private refusalPause: NodeJS.Timeout | null = null;
  private refusalsInRow = 0;
  /**
   * After a refusal only the oldest row goes out until one is acknowledged: with a full window, a
   * broker whose ACL changes mid-window would refuse row n and accept row n+1, and n+1 would reach
   * consumers before n's retry (seen under load in publish-refused.test.ts).
   */
  private probing = false;
  /** Publishes the broker refused (PUBACK reason code >= 0x80), e.g. by ACL or quota. */
  refused = 0;
  private attempt = 0;
  private cursor = 0;
  private readonly inflight = new Map<number, number>(); // row id -> bytes
  private protocol: 5 | 4;
  private connected = false;
  private stopped = false;
  private gotConnack = false;
  private closesBeforeConnack = 0;
  /** The current attempt failed below MQTT (refused, unreachable, TLS): not a protocol signal. */
  private transportFailed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private receiveMaximum = Infinity;
  private unsubscribe: () => void;
  lastError: string | undefined;
  published = 0;
  /** PUBLISH packets sent for outbox rows, retries included. */
  sent = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly opts: PublisherOptions,
  ) {
    this.protocol = opts.broker.protocolVersion === 4 ? 4 : 5;
    this.unsubscribe = outbox.onAppend(() => this.pump());
  }

  get isConnected(): boolean {
    return this.connected;
  }
  get protocolVersion(): 5 | 4 {
    return this.protocol;
  }
  get inFlightCount(): number {
    return this.inflight.size;
  }

  start(): void {
    this.connect();
  }

  private clientOptions(): IClientOptions {
    const b = this.opts.broker;
    const o: IClientOptions = {
      protocolVersion: this.protocol,
      clientId: this.opts.clientId,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      keepalive: b.keepaliveSeconds,
      will: { topic: this.opts.statusTopic, payload: Buffer.from("offline"), qos: 1, retain: true },
    };
    if (b.username) o.username = b.username;
    if (b.password) o.password = b.password;
    if (b.tls) {
      if (b.tls.ca) o.ca = readFileSync(b.tls.ca);
      if (b.tls.cert) o.cert = readFileSync(b.tls.cert);
      if (b.tls.key) o.key = readFileSync(b.tls.key);
      o.rejectUnauthorized = b.tls.rejectUnauthorized;
    }
    return o;
  }

  private connect(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    this.gotConnack = false;
    this.transportFailed = false;
    let client: MqttClient;
    try {
      client = mqtt.connect(this.opts.url, this.clientOptions());
      writePacketsWhole(client);
    } catch (e) {
      this.lastError = (e as Error).message;
      this.opts.log.error(
        { err: this.lastError },
        "cannot create the MQTT client: check broker.url and broker.tls files",
      );
      this.scheduleRetry();
      return;
    }
    this.client = client;
    client.on("connect", (connack) => {
      if (gen !== this.generation) return;
      this.gotConnack = true;
      this.closesBeforeConnack = 0;
      this.attempt = 0;
      this.connected = true;
      this.lastError = undefined;
      this.receiveMaximum = connack.properties?.receiveMaximum ?? Infinity;
      this.opts.log.info(
        { url: redactUrl(this.opts.url), mqtt: this.protocol === 5 ? "5" : "3.1.1" },
        "connected to the broker",
      );
      this.opts.onState?.(true);
      client.publish(this.opts.statusTopic, "online", { qos: 1, retain: true });
      this.pump();
    });
    client.on("error", (err) => {
      if (gen !== this.generation) return;
      const problem = classifyConnectError(err as Error & { code?: unknown });
      if (problem === "unreachable" || problem === "tls") this.transportFailed = true;
      this.opts.onConnectError?.(problem);
      if (
        problem === "protocol" &&
        this.protocol === 5 &&
        this.opts.broker.protocolVersion === "auto"
      ) {
        this.opts.log.warn(
          { url: redactUrl(this.opts.url) },
          "the broker refused MQTT 5: falling back to MQTT 3.1.1 (no content type or user properties on the wire)",
        );
        this.protocol = 4;
        this.attempt = -1; // immediate retry
      } else {
        this.lastError = adviceFor(problem, redactUrl(this.opts.url));
        this.opts.log.error({ err: err.message, problem }, this.lastError);
      }
    });
    client.on("close", () => {
      if (gen !== this.generation) return;
      if (
        !this.gotConnack &&
        !this.transportFailed &&
        this.protocol === 5 &&
        this.opts.broker.protocolVersion === "auto"
      ) {
        // some v3-only brokers just drop a v5 CONNECT (a refused TCP connection is not that)
        if (++this.closesBeforeConnack >= 3) {
          this.opts.log.warn(
            "the broker closed three MQTT 5 connections before CONNACK: trying MQTT 3.1.1",
          );
          this.protocol = 4;
        }
      }
      const was = this.connected;
      this.connected = false;
      if (was) {
        this.opts.onState?.(false);
        this.opts.log.warn(
          { inFlight: this.inflight.size },
          "lost the broker connection; unacknowledged frames stay in the outbox",
        );
      }
      this.resetInflight();
      client.end(true);
      this.scheduleRetry();
    });
  }

  private resetInflight(): void {
    if (this.inflight.size) {
      let min = Infinity;
      for (const id of this.inflight.keys()) if (id < min) min = id;
      this.cursor = Math.min(this.cursor, min - 1);
      this.inflight.clear();
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const b = this.opts.broker;
    const delay =
      this.attempt < 0 ? 0 : backoffDelay(this.attempt, b.reconnectMinMs, b.reconnectMaxMs);
    this.attempt = Math.max(0, this.attempt) + 1;
    if (delay > 0)
      this.opts.log.info({ inMs: delay, attempt: this.attempt }, "reconnecting to the broker");
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  /** Publishes as many outbox rows as the in-flight window allows. */
  pump(): void {
    const client = this.client;
    if (!client || !this.connected || this.stopped || this.refusalPause) return;
    const gen = this.generation;
    const window = this.probing ? 1 : Math.min(this.opts.inFlight, this.receiveMaximum);
    // refill in batches (one outbox read per half window), not one read per PUBACK
    if (this.inflight.size > 0 && this.inflight.size > window / 2) return;
    // cork the socket so a batch of PUBLISH packets leaves in one write
    const stream = (client as unknown as { stream?: { cork?: () => void; uncork?: () => void } })
      .stream;
    stream?.cork?.();
    try {
      this.publishBatch(client, gen, window);
    } finally {
      if (stream?.uncork) process.nextTick(() => stream.uncork!());
    }
  }

  private publishBatch(client: MqttClient, gen: number, window: number): void {
    const epoch = this.batchEpoch;
    while (this.inflight.size < window) {
      const rows = this.outbox.next(this.cursor, window - this.inflight.size);
      if (rows.length === 0) return;
      for (const row of rows) {
        this.cursor = row.id;
        this.inflight.set(row.id, row.bytes);
        this.sent++;
        const opts: mqtt.IClientPublishOptions = { qos: 1 };
        if (this.protocol === 5)
          opts.properties = {
            contentType: ENVELOPE_CONTENT_TYPE,
            userProperties: row.properties,
          };
        client.publish(row.topic, row.payload, opts, (err) => {
          if (gen !== this.generation || epoch !== this.batchEpoch) return; // republished later
          if (err) return this.onRefused(err);
          this.refusalsInRow = 0;
          this.probing = false;
          if (!this.inflight.delete(row.id)) return;
          this.outbox.ack(row.id, row.bytes);
          this.published++;
          this.opts.onPublished?.(Date.now() / 1000 - row.receivedAt);
          this.pump();
        });
      }
    }
  }

  /**
   * The broker answered a PUBLISH with an error reason (MQTT 5 PUBACK >= 0x80: not authorised,
   * quota exceeded, ...). Nothing is dropped: the in-flight batch is voided and, after a backoff,
   * republished in order from the oldest unacknowledged row, as after a reconnect.
   */
  private onRefused(err: Error): void {
    this.refused++;
    this.refusalsInRow++;
    this.probing = true;
    this.batchEpoch++;
    this.resetInflight();
    const b = this.opts.broker;
    const delay = backoffDelay(this.refusalsInRow - 1, b.reconnectMinMs, b.reconnectMaxMs);
    if (this.refusalsInRow === 1)
      this.opts.log.error(
        { err: err.message, retryInMs: delay },
        "the broker refused a publish (check its ACL and quotas for the gateway's user); frames stay in the outbox and are retried in order",
      );
    if (this.refusalPause) clearTimeout(this.refusalPause);
    this.refusalPause = setTimeout(() => {
      this.refusalPause = null;
      this.pump();
    }, delay);
  }

  /** Publishes a message directly (health), QoS 0, dropped when offline. */
  publishDirect(topic: string, payload: string, retain = false): void {
    if (this.client && this.connected) this.client.publish(topic, payload, { qos: 0, retain });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.refusalPause) clearTimeout(this.refusalPause);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    if (!client) return;
    if (this.connected) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        client.publish(this.opts.statusTopic, "offline", { qos: 1, retain: true }, () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.generation++;
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
  }
}
