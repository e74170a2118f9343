// The lns-mqtt source: uplinks that a LoRaWAN network server (The Things Stack v3, ChirpStack v4)
// already verified and decrypted, taken from its MQTT integration. Thin adapter around the pure
// parser (uplink.ts). Messages are handled one at a time; with QoS 1 the PUBACK goes out only
// after the frame is stored, and a failed store drops the connection so a persistent session
// gets the message again.
import {} from "@leiden-iot/protocol";
import { readFileSync } from "node:fs";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { notStored, RejectionLog, silentLog, type SourceLog } from "../../lorawan/rejection-log.js";
import type { Disposition, Emit, Source, SourceHealth } from "../source.js";
import { lnsTopic, type LnsMqttSettings } from "./config.js";
import { parseLnsUplink } from "./uplink.js";
import { redactUrl } from "../../config/redact-url.js";

export interface LnsMqttSourceOptions {
  config: LnsMqttSettings;
  /** The gateway's logger (a child bound to this source's name: no "source" key of our own). */
  log?: SourceLog;
  /** Every rejection's reason, for the gateway's liot_frames_rejected_total{source,reason}. */
  onReject?: (reason: string) => void;
  now?: () => number;
  /** Reconnect delay in ms (mqtt.js reconnectPeriod). */
  reconnectMs?: number;
  /** Used for the default client id, so the LNS session persists across restarts. */
  gatewayId?: string;
}

export interface LnsMqttStats {
  messages: number;
  framesIn: number;
  dispositions: Record<Disposition["status"], number>;
  rejections: Record<string, number>;
  connects: number;
  storeFailures: number;
}

function readPem(path: string | undefined, what: string): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`lns-mqtt tls.${what}: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** What an MQTT connection error means for whoever configures the gateway. */
export function explainMqttError(err: Error & { code?: unknown }): string {
  const m = err.message;
  if (/not authori[sz]ed|bad user name or password|code 5|code 4/i.test(m))
    return `${m}: check lnsMqtt.username and password (TTS: <app>@<tenant> and an API key with "Read application traffic")`;
  if (/ECONNREFUSED/.test(m)) return `${m}: is the LNS MQTT server reachable on this URL and port?`;
  if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(m))
    return `${m}: set lnsMqtt.tls.ca to the server's CA file`;
  return m;
}

export class LnsMqttSource implements Source {
  readonly name = "lns-mqtt";
  private client: MqttClient | null = null;
  private emit: Emit | null = null;
  private state: SourceHealth["state"] = "stopped";
  private detail: string | undefined;
  private messages = 0;
  private framesIn = 0;
  private connects = 0;
  private storeFailures = 0;
  private lastFrameAt: number | undefined;
  private readonly dispositions = { accepted: 0, duplicate: 0, rejected: 0 };
  private readonly log: SourceLog;
  readonly rejections: RejectionLog;
  private readonly now: () => number;
  private subscribed: Promise<void> = new Promise(() => {});
  readonly topic: string;

  constructor(private readonly opts: LnsMqttSourceOptions) {
    this.log = opts.log ?? silentLog;
    this.rejections = new RejectionLog(this.log, this.name, undefined, opts.onReject);
    this.now = opts.now ?? Date.now;
    this.topic = lnsTopic(opts.config);
  }

  async start(emit: Emit): Promise<void> {
    if (this.client) throw new Error("lns-mqtt source already started");
    const c = this.opts.config;
    this.emit = emit;
    this.state = "starting";
    const tls = c.tls;
    const options: IClientOptions = {
      protocolVersion: 4, // TTS's MQTT server speaks 3.1.1 only; ChirpStack's Mosquitto both
      reconnectPeriod: this.opts.reconnectMs ?? 5000,
      connectTimeout: 15_000,
      // Always a persistent session with a stable client id: a frame whose store failed is
      // redelivered by the broker after the reconnect, and nothing sent while we were away is lost.
      clean: false,
      clientId: c.clientId ?? "liot-" + (this.opts.gatewayId ?? "gateway") + "-lns",
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
      ...(tls
        ? {
            ca: readPem(tls.ca, "ca"),
            cert: readPem(tls.cert, "cert"),
            key: readPem(tls.key, "key"),
            rejectUnauthorized: tls.rejectUnauthorized,
          }
        : {}),
    };
    const client = mqtt.connect(c.url, options);
    this.client = client;
    let resolveSubscribed: () => void = () => {};
    this.subscribed = new Promise((r) => (resolveSubscribed = r));

    // Messages are handed over one at a time; mqtt.js sends the PUBACK when done() is called.
    client.handleMessage = (packet, done) => {
      this.onMessage(packet.topic, packet.payload as Buffer).then(
        () => done(),
        (e: Error) => {
          // Not stored: no PUBACK. Drop the connection; the broker resends on reconnect.
          this.storeFailures++;
          this.state = "degraded";
          this.detail = `storing a frame failed: ${e.message}`;
          this.rejections.record("store_failed", e.message, { topic: packet.topic });
          client.stream?.destroy();
        },
      );
    };
    client.on("connect", () => {
      this.connects++;
      client.subscribe(
        this.topic,
        { qos: c.qos ?? (c.flavour === "ttn" ? 0 : 1) },
        (err, granted) => {
          if (err) {
            this.state = "degraded";
            this.detail = `subscribe ${this.topic} failed: ${err.message}`;
            this.log.error({ topic: this.topic, err: err.message }, this.detail);
            return;
          }
          const g = granted?.[0];
          if (g && g.qos === 128) {
            this.state = "degraded";
            this.detail = `the broker refused the subscription to ${this.topic}: check the topic and the API key's rights`;
            this.log.error({ topic: this.topic }, this.detail);
            return;
          }
          this.state = "running";
          this.detail = undefined;
          this.log.info(
            { url: redactUrl(c.url), topic: this.topic, qos: g?.qos },
            "lns-mqtt subscribed",
          );
          resolveSubscribed();
        },
      );
    });
    client.on("error", (e) => {
      this.state = "degraded";
      this.detail = explainMqttError(e);
      this.log.warn({ url: redactUrl(c.url), err: this.detail }, "lns-mqtt error");
    });
    client.on("offline", () => {
      if (this.state === "running") {
        this.state = "degraded";
        this.detail = `disconnected from ${redactUrl(c.url)}, reconnecting`;
      }
    });
  }

  /** Resolves once the subscription is in place (after the first successful connect). */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
    this.state = "stopped";
  }

  health(): SourceHealth {
    return {
      name: this.name,
      state: this.state,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      framesIn: this.framesIn,
      ...(this.lastFrameAt !== undefined ? { lastFrameAt: this.lastFrameAt } : {}),
    };
  }

  stats(): LnsMqttStats {
    return {
      messages: this.messages,
      framesIn: this.framesIn,
      dispositions: { ...this.dispositions },
      rejections: this.rejections.counts.toJSON(),
      connects: this.connects,
      storeFailures: this.storeFailures,
    };
  }

  private async onMessage(topic: string, payload: Buffer): Promise<void> {
    this.messages++;
    const parsed = parseLnsUplink(this.opts.config.flavour, topic, payload, this.now());
    if (!parsed.ok) {
      this.rejections.record(parsed.reason, parsed.detail, { topic });
      return;
    }
    this.framesIn++;
    this.lastFrameAt = parsed.value.receivedAt;
    if (!this.emit) throw new Error("lns-mqtt source is stopped");
    const d = await this.emit(parsed.value);
    // Storage failing (a throw, or store_failed): no PUBACK, the broker will send it again.
    if (notStored(d)) throw new Error("detail" in d ? d.detail : "not stored");
    this.dispositions[d.status]++;
    if (this.state === "degraded" && this.detail?.startsWith("storing")) {
      this.state = "running";
      this.detail = undefined;
    }
  }
}
