// Drains the outbox into the broker: QoS 1, in id order, at most `inFlight` unacknowledged, each
// row deleted on its PUBACK. MQTT 5 (content type + user properties) with a fallback to 3.1.1;
// TLS and username/password; a retained status topic with a last will; reconnect with backoff.
// Each connection is a fresh client: after a drop, the rows not acknowledged are published again
// from the oldest (at-least-once, still in order per device; consumers dedup by message id).
// The mqtt client connects, authenticates, keeps alive and publishes the status topic; the rows'
// PUBLISH packets are encoded here, a batch into one Buffer written to its socket, and their
// PUBACKs taken from its packetreceive event (packet identifiers split, packet-ids.ts): mqtt.js's
// publish() (option checks, a cloned packet in its store, mqtt-packet's encoder, ~10 debug calls)
// cost more gateway CPU per frame than the pipeline and the outbox together.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "pino";
import { brokerAuthOptions } from "../broker/client-auth.js";
import type { BrokerConfig } from "../config/schema.js";
import type { Outbox } from "../store/outbox.js";
import { backoffDelay } from "@leiden-iot/protocol";
import { adviceFor, classifyConnectError, type ConnectProblem } from "./connect-error.js";
import { redactUrl } from "../config/redact-url.js";
import { ClientPacketIds, ROW_IDS, RowPacketIds } from "./packet-ids.js";
import { encodePublishes } from "./publish-packet.js";

/** An outbox row waiting for its PUBACK, by packet identifier. */
interface InFlight {
  id: number;
  bytes: number;
  receivedAt: number;
}

/** What the publisher needs of the mqtt client's socket. */
interface Socket {
  write(b: Buffer): boolean;
  once(ev: "drain", cb: () => void): unknown;
}

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

/** PUBACK reason codes a broker refuses a publish with (MQTT 5, 3.4.2.1). */
const REASONS: Record<number, string> = {
  0x80: "Unspecified error",
  0x83: "Implementation specific error",
  0x87: "Not authorized",
  0x90: "Topic Name invalid",
  0x91: "Packet identifier in use",
  0x97: "Quota exceeded",
  0x99: "Payload format invalid",
};

export class MqttPublisher {
  private client: MqttClient | null = null;
  private generation = 0;
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
  /** Rows published and not acknowledged, by packet identifier. */
  private readonly inflight = new Map<number, InFlight>();
  /** Packet identifiers of a batch voided by a refusal, until their PUBACK comes in. */
  private readonly voided = new Set<number>();
  private readonly rowIds = new RowPacketIds(
    (pid) => this.inflight.has(pid) || this.voided.has(pid),
  );
  /** The socket's buffer is full: publish more once it drained. */
  private draining = false;
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
      messageIdProvider: new ClientPacketIds(),
    };
    return { ...o, ...brokerAuthOptions(b) };
  }

  private connect(): void {
    if (this.stopped) return;
    const gen = ++this.generation;
    this.gotConnack = false;
    this.transportFailed = false;
    let client: MqttClient;
    try {
      client = mqtt.connect(this.opts.url, this.clientOptions());
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
    this.resetInflight();
    this.inflight.clear();
    this.voided.clear();
    this.draining = false;
    client.on("packetreceive", (packet) => {
      if (gen === this.generation && packet.cmd === "puback" && packet.messageId !== undefined)
        this.onPuback(packet.messageId, packet.reasonCode ?? 0);
    });
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

  /** Forgets the rows in flight; the next pump publishes again from the oldest of them. */
  private resetInflight(): void {
    if (this.inflight.size) {
      let min = Infinity;
      for (const [pid, f] of this.inflight) {
        if (f.id < min) min = f.id;
        this.voided.add(pid);
      }
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
    if (!client || !this.connected || this.stopped || this.refusalPause || this.draining) return;
    const window = this.probing ? 1 : Math.min(this.opts.inFlight, this.receiveMaximum, ROW_IDS);
    // refill in batches (one outbox read and one socket write per half window), not per PUBACK
    if (this.inflight.size > 0 && this.inflight.size > window / 2) return;
    const rows = this.outbox.next(this.cursor, window - this.inflight.size);
    if (rows.length === 0) return;
    while (rows.length < window - this.inflight.size) {
      const more = this.outbox.next(
        rows[rows.length - 1]!.id,
        window - this.inflight.size - rows.length,
      );
      if (more.length === 0) break;
      rows.push(...more);
    }
    const pids = rows.map(() => this.rowIds.allocate());
    const packets = encodePublishes(
      this.protocol === 5 ? rows : rows.map((r) => ({ ...r, properties: {} })),
      pids,
      this.protocol,
    );
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      this.inflight.set(pids[i]!, { id: row.id, bytes: row.bytes, receivedAt: row.receivedAt });
    }
    this.cursor = rows[rows.length - 1]!.id;
    this.sent += rows.length;
    const socket = client.stream as unknown as Socket;
    if (!socket.write(packets)) {
      this.draining = true;
      const gen = this.generation;
      socket.once("drain", () => {
        if (gen !== this.generation) return;
        this.draining = false;
        this.pump();
      });
    }
  }

  private onPuback(pid: number, reasonCode: number): void {
    if (this.voided.delete(pid)) return; // its row is published again
    const f = this.inflight.get(pid);
    if (!f) return;
    this.inflight.delete(pid);
    if (reasonCode >= 0x80) {
      this.cursor = Math.min(this.cursor, f.id - 1);
      const reason = REASONS[reasonCode] ?? "reason code 0x" + reasonCode.toString(16);
      return this.onRefused(new Error("Publish error: " + reason));
    }
    this.refusalsInRow = 0;
    this.probing = false;
    this.outbox.ack(f.id, f.bytes);
    this.published++;
    this.opts.onPublished?.(Date.now() / 1000 - f.receivedAt);
    this.pump();
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
