// `watch [--url u] [--prefix p]`: subscribes to the gateway's topics and prints each envelope
// decoded, one line per message (and gateway status/health lines).
import {
  decodeEnvelope,
  parseEnvelopeTopic,
  parseGatewayTopic,
  parseMessageId,
  readBandEnvelope,
  readClassroomEnvelope,
  topicFilters,
} from "@leiden-iot/protocol";
import { defineCommand, parseOrExit, usageError } from "@leiden-iot/protocol/cli";
import mqtt from "mqtt";
import { brokerAuthOptions } from "../../broker/client-auth.js";
import { CONFIG_OPTION, ENVIRONMENT_NOTE, configOf } from "../options.js";

export const WATCH = defineCommand({
  command: "npm run gateway -- watch",
  summary:
    "Subscribes to the gateway's topics and prints every envelope decoded, one line per message\n" +
    "(and the gateways' status and health lines), until Ctrl-C.",
  options: {
    url: { value: "<mqtt://host:port>", help: "broker (default broker.url of the config)" },
    prefix: { value: "<prefix>", help: "topic prefix (default topicPrefix of the config)" },
    config: CONFIG_OPTION,
  },
  notes: ENVIRONMENT_NOTE,
  examples: [
    "npm run gateway -- watch --url mqtt://127.0.0.1:1883 --prefix leiden/demo",
    "npm run gateway -- watch --config /etc/liot/gateway.yaml",
  ],
});

/** A message id without its pseudonym (the line names the device already): "b/12", "l/<tag>/12". */
function counterPart(id: string): string {
  const m = parseMessageId(id);
  return m === null ? id : id.slice(m.pseudonym.length + 1);
}

export function describeEnvelope(topic: string, payload: Uint8Array): string {
  const d = decodeEnvelope(payload, Date.now() / 1000);
  if (!d.ok) return `${topic}  (not a valid envelope: ${d.detail})`;
  if (parseEnvelopeTopic(topic)?.kind === "band_report") {
    const b = readBandEnvelope(d.value.records);
    if (!b.ok) return `${topic}  (${b.detail})`;
    const v = b.value;
    const days = v.days
      .map((x) => `${x.date}: ${x.steps} steps${x.final ? " (final)" : ""}`)
      .join(", ");
    const battery = v.batteryVolts === null ? "" : `  ${v.batteryVolts.toFixed(2)} V`;
    return `band      ${v.pseudonym.slice(0, 8)}  ${days}${battery}${v.flags.goalReached ? "  goal reached" : ""}  [${counterPart(v.messageId)}]`;
  }
  const c = readClassroomEnvelope(d.value.records);
  if (!c.ok) return `${topic}  (${c.detail})`;
  const v = c.value;
  const r = v.readings[v.readings.length - 1];
  const reading = r
    ? `CO2 ${r.co2Ppm ?? "-"} ppm  ${r.temperature ?? "-"} °C  ${r.humidity ?? "-"} %RH`
    : "no reading";
  return `classroom ${v.pseudonym.slice(0, 8)}  ${reading}  signal ${v.signal ?? "-"}${v.readings.length > 1 ? `  (${v.readings.length} readings)` : ""}  [${counterPart(v.messageId)}]`;
}

export async function watchCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseOrExit(WATCH, argv);
  if (values.url !== undefined && !/^mqtts?:\/\/[^/]/.test(values.url))
    usageError(WATCH, `--url must be mqtt://host:port or mqtts://host:port, not "${values.url}"`);
  const config = configOf(values.config);
  const url = values.url ?? config.broker.url;
  const prefix = values.prefix ?? config.topicPrefix;
  const f = topicFilters(prefix);
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    ...brokerAuthOptions(config.broker),
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
    if (parseGatewayTopic(topic) !== null)
      process.stdout.write(`${ts} ${topic}  ${payload.toString().slice(0, 200)}\n`);
    else process.stdout.write(`${ts} ${describeEnvelope(topic, payload)}\n`);
  });
  await new Promise<void>((resolve) =>
    process.once("SIGINT", () => client.end(true, {}, () => resolve())),
  );
}
