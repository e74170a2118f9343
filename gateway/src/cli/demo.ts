// `npm start` (root): the demo. Gateway in broker.mode auto (embedded broker unless one already
// runs on 1883), a simulated fleet of 20 bands and 5 classrooms, metrics, and a live status line.
// The classroom "Kijk mee" page listens on 127.0.0.1:8471 (LIOT_KIJK_MEE_PORT) and shows the
// simulated classrooms from the feed (a real classroom node over Web Bluetooth works there too).
// Works on a fresh clone: no config file needed; a demo master key is generated into
// gateway/.state/ (git-ignored).
import { fileURLToPath } from "node:url";
import { topicFilters } from "@leiden-iot/protocol";
import { loadConfig, resolveConfig } from "../config/load.js";
import { startGateway } from "../gateway.js";
import { defineCommand, parseOrExit, userPath } from "@leiden-iot/protocol/cli";
import { createLogger } from "./logger.js";
import { redactUrl } from "../config/redact-url.js";

const STATE_DIR = fileURLToPath(new URL("../../.state", import.meta.url));

async function counter(c: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await c.get()).values.reduce((a, v) => a + v.value, 0);
}

const DEMO = defineCommand({
  command: "npm start --",
  summary:
    "The demo: the gateway (embedded broker unless one answers on 1883), a simulated fleet of 20\n" +
    "bands and 5 classrooms, metrics, and Node-RED with the example flows and dashboards.",
  options: {
    config: { value: "<file>", help: "gateway configuration instead of the demo defaults" },
    "no-dashboard": { kind: "boolean", help: "the gateway only, no Node-RED" },
  },
  examples: ["npm start", "npm start -- --no-dashboard"],
});

async function main(): Promise<void> {
  const { values } = parseOrExit(DEMO, process.argv.slice(2));
  const file = values.config;
  const config = file
    ? loadConfig(userPath(file))
    : resolveConfig(
        {
          gatewayId: "gw-demo",
          topicPrefix: "leiden",
          stateDir: STATE_DIR,
          log: { level: "warn" },
          kijkMee: { enabled: true },
          // demo profile: a long lesson that raises the CO2 alert, bands with a week of backlog,
          // 8 hours of classroom history; held until scripts/demo.mjs says the dashboard listens
          sources: {
            sim: {
              bands: 20,
              classrooms: 5,
              rate: 5,
              repeats: 2,
              profile: "demo",
              backfillHours: 8,
              hold: typeof process.send === "function",
            },
          },
        },
        process.env,
        "demo defaults",
      );
  const log = createLogger(config.log.level);
  process.stdout.write(
    "Leiden IoT gateway demo: starting (simulated bands and classrooms, no radio needed)\n",
  );
  const gw = await startGateway(config, log).catch((e: Error) => {
    throw /^Kijk mee page could not listen/.test(e.message) && !file
      ? new Error(e.message + " (npm start: LIOT_KIJK_MEE_PORT=<port>)")
      : e;
  });
  // scripts/demo.mjs (npm start) sends "sim:release" over IPC once Node-RED is subscribed
  process.on("message", (m) => {
    if (m === "sim:release")
      for (const s of gw.sources) (s as { release?: () => void }).release?.();
  });
  const f = topicFilters(config.topicPrefix);
  const lines = [
    "",
    `  broker     ${redactUrl(gw.brokerUrl)}${gw.embeddedBroker ? "  (embedded aedes broker, started because nothing answered)" : "  (existing broker)"}`,
    `  topics     ${f.bands}`,
    `             ${f.classrooms}`,
    `             ${f.gateways}`,
    `  metrics    ${gw.metricsUrl ? gw.metricsUrl + "/metrics   health: " + gw.metricsUrl + "/healthz" : "(metrics port busy: set LIOT_METRICS_PORT)"}`,
    `  kijk mee   ${gw.kijkMee ? gw.kijkMee.url + "   (classroom live page for the digiboard: the simulated classrooms' feed)" : "(off in this config)"}`,
    `  live view  npm run gateway -- watch --url ${redactUrl(gw.brokerUrl)} --prefix ${config.topicPrefix}`,
    `  fleet      ${gw.registry.size} registered devices; state and demo key in ${config.stateDir}`,
    "  stop       Ctrl-C",
    "",
  ];
  process.stdout.write(lines.join("\n") + "\n");
  const tty = process.stdout.isTTY;
  const timer = setInterval(
    () => {
      void (async () => {
        const m = gw.metrics;
        const line =
          `frames ${await counter(m.framesIn)}  accepted ${await counter(m.accepted)}  duplicates ${await counter(m.duplicates)}  ` +
          `rejected ${await counter(m.rejected)}  published ${gw.publisher.published}  outbox ${gw.outbox.depth}  ` +
          `broker ${gw.publisher.isConnected ? "connected" : "DISCONNECTED"}`;
        process.stdout.write(tty ? `\r${line}   ` : line + "\n");
      })();
    },
    tty ? 1000 : 10_000,
  );
  const stop = () => {
    clearInterval(timer);
    process.stdout.write("\nstopping...\n");
    void gw.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exit(1);
});
