// A test consumer: subscribes to the gateway's topic tree and records every envelope's message id.
import { decodeEnvelope, parseGatewayTopic, topicFilters } from "@leiden-iot/protocol";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";

export interface Received {
  topic: string;
  mid: string;
  counter: number;
  contentType?: string;
  userProperties?: Record<string, string | string[]>;
}

export interface Consumer {
  client: MqttClient;
  received: Received[];
  status: Map<string, string>;
  close(): Promise<void>;
}

export async function startConsumer(
  url: string,
  prefix: string,
  opts: IClientOptions = {},
): Promise<Consumer> {
  const received: Received[] = [];
  const status = new Map<string, string>();
  const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 500, ...opts });
  const f = topicFilters(prefix);
  client.on("message", (topic, payload, packet) => {
    if (parseGatewayTopic(topic) !== null) {
      status.set(topic, payload.toString());
      return;
    }
    const d = decodeEnvelope(payload, Date.now() / 1000);
    if (!d.ok) throw new Error("consumer got an invalid envelope on " + topic + ": " + d.detail);
    const ext = d.value.records[0]!.ext;
    const r: Received = { topic, mid: String(ext.mid), counter: Number(ext.ctr) };
    if (packet.properties?.contentType) r.contentType = packet.properties.contentType;
    if (packet.properties?.userProperties) r.userProperties = packet.properties.userProperties;
    received.push(r);
  });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => {
      client.subscribe([f.bands, f.classrooms, f.gateways], { qos: 1 }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
    client.once("error", reject);
  });
  return {
    client,
    received,
    status,
    close: () => new Promise<void>((r) => client.end(true, {}, () => r())),
  };
}

/** Waits until cond() holds, polling; throws with the message after timeoutMs. */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Per device (pseudonym in the message id), first occurrences must have increasing counters. */
export function orderViolations(received: Received[]): string[] {
  const seen = new Set<string>();
  const last = new Map<string, number>();
  const bad: string[] = [];
  for (const r of received) {
    if (seen.has(r.mid)) continue;
    seen.add(r.mid);
    const dev = r.mid.split("/")[0]!;
    const prev = last.get(dev);
    if (prev !== undefined && r.counter <= prev) bad.push(`${r.mid} after counter ${prev}`);
    last.set(dev, r.counter);
  }
  return bad;
}
