// Helpers for the many-gateways tests: gateway configs for real gateway processes, and MQTT
// clients that record what a consumer sees (device from the topic, counter from the envelope,
// message id from the envelope and the MQTT 5 user properties).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeEnvelope, parseEnvelopeTopic } from "@leiden-iot/protocol";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { stringify } from "yaml";

export interface Envelope {
  topic: string;
  /** The device (pseudonym) as the topic names it, independent of the message id. */
  device: string;
  counter: number;
  mid: string;
  /** The MQTT 5 user property `gateway` (which gateway published this copy). */
  gateway?: string;
  contentType?: string;
}

export interface Recorder {
  client: MqttClient;
  envelopes: Envelope[];
  /** Every retained or live message on non-envelope topics (status, bridge notifications). */
  other: Map<string, string[]>;
  close(): Promise<void>;
}

/** Connects, subscribes to `filters` at QoS 1 and decodes every envelope strictly. */
export async function startRecorder(
  url: string,
  filters: string[],
  opts: IClientOptions & { onEnvelope?: (e: Envelope) => void } = {},
): Promise<Recorder> {
  const envelopes: Envelope[] = [];
  const other = new Map<string, string[]>();
  const { onEnvelope, ...mqttOpts } = opts;
  const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 300, ...mqttOpts });
  client.on("message", (topic, payload, packet) => {
    const t = parseEnvelopeTopic(topic);
    if (!t) {
      other.set(topic, [...(other.get(topic) ?? []), payload.toString()]);
      return;
    }
    const d = decodeEnvelope(payload, Date.now() / 1000);
    if (!d.ok) throw new Error(`invalid envelope on ${topic}: ${d.detail}`);
    const ext = d.value.records[0]!.ext;
    const e: Envelope = {
      topic,
      device: t.pseudonym,
      counter: Number(ext.ctr),
      mid: String(ext.mid),
    };
    const gw = packet.properties?.userProperties?.gateway;
    if (gw !== undefined) e.gateway = String(gw);
    if (packet.properties?.contentType) e.contentType = packet.properties.contentType;
    envelopes.push(e);
    onEnvelope?.(e);
  });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () =>
      client.subscribe(filters, { qos: 1 }, (err) => (err ? reject(err) : resolve())),
    );
    client.once("error", reject);
  });
  return {
    client,
    envelopes,
    other,
    close: () => new Promise<void>((r) => client.end(true, {}, () => r())),
  };
}

/** A gateway config file for a real gateway process (CLI `start`). */
export function writeGatewayConfig(
  dir: string,
  gatewayId: string,
  opts: { prefix: string; brokerUrl: string; registry: string; sim: Record<string, unknown> },
): string {
  const path = join(dir, `${gatewayId}.yaml`);
  writeFileSync(
    path,
    stringify({
      gatewayId,
      topicPrefix: opts.prefix,
      stateDir: join(dir, gatewayId),
      registry: opts.registry,
      broker: { mode: "external", url: opts.brokerUrl, reconnectMinMs: 200, reconnectMaxMs: 2000 },
      metrics: { enabled: false },
      log: { level: "info" },
      sources: { sim: { enabled: true, ...opts.sim } },
    }),
  );
  return path;
}
