// `watch [--url u] [--prefix p]`: subscribes to the gateway's topics and prints each envelope
// decoded, one line per message (and gateway status/health lines).
import {
  decodeEnvelope,
  readBandEnvelope,
  readClassroomEnvelope,
  topicFilters,
} from "@leiden-iot/protocol";
import mqtt from "mqtt";
import { loadConfig } from "../../config/load.js";
import { flagString, type Args } from "../args.js";

export function describeEnvelope(topic: string, payload: Uint8Array): string {
  const d = decodeEnvelope(payload, Date.now() / 1000);
  if (!d.ok) return `${topic}  (not a valid envelope: ${d.detail})`;
  if (topic.includes("/rewards/band/")) {
    const b = readBandEnvelope(d.value.records);
    if (!b.ok) return `${topic}  (${b.detail})`;
    const v = b.value as unknown as {
      pseudonym: string;
      messageId: string;
      days: { day: string; steps: number }[];
    };
    return `band ${v.pseudonym.slice(0, 8)}  ${v.days.map((x) => `${x.day}: ${x.steps} steps`).join(", ")}  [${v.messageId.split("/").slice(1).join("/")}]`;
  }
  const c = readClassroomEnvelope(d.value.records);
  if (!c.ok) return `${topic}  (${c.detail})`;
  const v = c.value as unknown as {
    pseudonym: string;
    messageId: string;
    readings?: { co2Ppm?: number; co2?: number; temperature?: number }[];
  };
  const recs = d.value.records;
  const co2 = recs.find((r) => r.name.endsWith(":co2"))?.value;
  const temp = recs.find((r) => r.name.endsWith(":temperature"))?.value;
  const signal = recs.find((r) => r.name.endsWith(":signal"))?.stringValue;
  return `classroom ${v.pseudonym.slice(0, 8)}  CO2 ${co2 ?? "-"} ppm  ${temp ?? "-"} °C  signal ${signal ?? "-"}  [${v.messageId.split("/").slice(1).join("/")}]`;
}

export async function watchCommand(args: Args): Promise<void> {
  const config = loadConfig(flagString(args, "config"));
  const url = flagString(args, "url") ?? config.broker.url;
  const prefix = flagString(args, "prefix") ?? config.topicPrefix;
  const f = topicFilters(prefix);
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    ...(config.broker.username ? { username: config.broker.username } : {}),
    ...(config.broker.password ? { password: config.broker.password } : {}),
  });
  client.on("connect", () => {
    process.stderr.write(
      `watching ${url}: ${f.bands}, ${f.classrooms}, ${f.gateways} (Ctrl-C to stop)\n`,
    );
    client.subscribe([f.bands, f.classrooms, f.gateways], { qos: 1 });
  });
  client.on("error", (e) =>
    process.stderr.write(`watch: ${e.message} (is the gateway or broker running at ${url}?)\n`),
  );
  client.on("message", (topic, payload) => {
    const ts = new Date().toISOString().slice(11, 19);
    if (topic.includes("/gateways/"))
      process.stdout.write(`${ts} ${topic}  ${payload.toString().slice(0, 200)}\n`);
    else process.stdout.write(`${ts} ${describeEnvelope(topic, payload)}\n`);
  });
  await new Promise<void>((resolve) =>
    process.once("SIGINT", () => client.end(true, {}, () => resolve())),
  );
}
