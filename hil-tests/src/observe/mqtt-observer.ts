// The gateway's output as a back end sees it: an MQTT subscriber on the band and classroom topic
// trees, keeping the envelopes of the device under test (by its pseudonym, given or learned from
// an envelope whose counter and steps match an advert heard on air). Rejections come from the
// gateway's Prometheus endpoint when one is configured.
import { topicFilters } from "@leiden-iot/protocol";
import mqtt, { type MqttClient } from "mqtt";
import type { AirObserver, GatewayMessage, GatewayObserver } from "../rig/context.js";
import { NotRunError } from "../scenario/types.js";
import { bleCounterOf, parseRejections, readGatewayMessage } from "./envelopes.js";

export interface MqttObserverOptions {
  url: string;
  username?: string;
  password?: string;
  topicPrefix: string;
  metricsUrl?: string;
  /** The device's pseudonym when the master key and scope are known. */
  pseudonym?: string;
  /** Used to learn the pseudonym when it is not given. */
  air: AirObserver;
  now: () => number;
}

export class MqttObserver implements GatewayObserver {
  private client: MqttClient | null = null;
  private readonly all: GatewayMessage[] = [];
  readonly problems: string[] = [];
  private pseudonym: string | undefined;

  constructor(private readonly o: MqttObserverOptions) {
    this.pseudonym = o.pseudonym;
  }

  async start(): Promise<void> {
    const f = topicFilters(this.o.topicPrefix);
    const client = mqtt.connect(this.o.url, {
      username: this.o.username,
      password: this.o.password,
      clientId: `hil-observer-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    // A broker that refuses or is absent makes mqtt.js retry quietly: give it a deadline.
    const problem = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve("no answer within 10 s"), 10_000);
      client.once("connect", () => {
        clearTimeout(timer);
        resolve(null);
      });
      client.once("error", (e) => {
        clearTimeout(timer);
        resolve(e.message);
      });
    });
    if (problem !== null) {
      await client.endAsync(true).catch(() => undefined);
      throw new NotRunError(
        `cannot reach the gateway's broker at ${this.o.url}: ${problem}`,
        "start the gateway (`npm run gateway -- start`) and check gateway.broker in the rig config",
      );
    }
    this.client = client;
    this.client.on("message", (topic, payload) => {
      const m = readGatewayMessage(topic, payload, this.o.now());
      if (typeof m === "string") this.problems.push(m);
      else this.all.push(m);
    });
    await this.client.subscribeAsync([f.bands, f.classrooms], { qos: 1 });
  }

  async stop(): Promise<void> {
    await this.client?.endAsync().catch(() => undefined);
    this.client = null;
  }

  private learn(): string | undefined {
    if (this.pseudonym) return this.pseudonym;
    const heard = this.o.air.heard();
    for (const m of this.all) {
      const ctr = bleCounterOf(m.messageId);
      if (ctr === null) continue;
      const h = heard.find((x) => x.advert.counter === ctr);
      if (!h) continue;
      const a = h.advert;
      const matches =
        a.kind === "band"
          ? m.band?.days.some((d) => d.steps === a.steps) === true
          : m.classroom?.readings.some((r) => r.co2Ppm === (a.reading?.co2Ppm ?? null)) === true;
      if (matches) return (this.pseudonym = m.pseudonym);
    }
    return undefined;
  }

  messages(): readonly GatewayMessage[] {
    const p = this.learn();
    return p ? this.all.filter((m) => m.pseudonym === p) : [];
  }

  /** Envelopes received for any device (and undecodable ones): the simulator waits on this. */
  received(): number {
    return this.all.length + this.problems.length;
  }

  async rejections(): Promise<Record<string, number> | null> {
    if (!this.o.metricsUrl) return null;
    const url =
      this.o.metricsUrl.replace(/\/$/, "") +
      (/\/metrics$/.test(this.o.metricsUrl) ? "" : "/metrics");
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return parseRejections(await res.text());
    } catch (e) {
      throw new NotRunError(
        `cannot read the gateway's metrics at ${url}: ${(e as Error).message}`,
        "enable metrics in the gateway config and set gateway.metricsUrl in the rig config",
      );
    }
  }
}
