// `simulate --bands N --classrooms M [--rate r] [--config f]`: runs a simulated fleet through a
// gateway instance of its own (separate state under <stateDir>/simulate) into the configured
// broker, so a running gateway's consumers see the traffic. The fleet's device ids are added to
// the registry in memory; keys derive from the registry's master key.
import { join } from "node:path";
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { startGateway } from "../../gateway.js";
import { ensureRegistry } from "../../state.js";
import { CONFIG_OPTION, ENVIRONMENT_NOTE, configOf } from "../options.js";
import { createLogger } from "../logger.js";

export const SIMULATE = defineCommand({
  command: "npm run gateway -- simulate",
  summary:
    "Runs a simulated fleet (real signed frames) through a gateway instance of its own (state in\n" +
    "<stateDir>/simulate) into the configured broker, until Ctrl-C; keys derive from the\n" +
    "registry's master key.",
  options: {
    bands: { kind: "integer", min: 0, default: 20, help: "simulated bands (ids 1..)" },
    classrooms: {
      kind: "integer",
      min: 0,
      default: 5,
      help: "simulated classroom nodes (ids 100000..)",
    },
    rate: { kind: "number", min: 0.01, help: "frames per second (default bands + classrooms)" },
    repeats: { kind: "integer", min: 1, default: 1, help: "times each frame is heard" },
    config: CONFIG_OPTION,
  },
  notes: ENVIRONMENT_NOTE,
  examples: [
    "npm run gateway -- simulate --bands 100 --classrooms 10 --rate 50",
    "LIOT_BROKER_URL=mqtt://127.0.0.1:1883 npm run gateway -- simulate --repeats 3",
  ],
});

export async function simulateCommand(argv: readonly string[]): Promise<void> {
  const { values } = parseOrExit(SIMULATE, argv);
  const base = configOf(values.config);
  const bands = values.bands;
  const classrooms = values.classrooms;
  const rate = values.rate ?? bands + classrooms;
  const sim = {
    enabled: true,
    bands,
    classrooms,
    rate,
    firstBandId: 1,
    firstClassroomId: 100000,
    repeats: values.repeats,
  };
  const config = {
    ...base,
    gatewayId: base.gatewayId + "-sim",
    registry: ensureRegistry(base).path, // the demo registry is created when none is configured
    stateDir: join(base.stateDir, "simulate"),
    broker: { ...base.broker, mode: "external" as const },
    metrics: { ...base.metrics, enabled: false },
    sources: { sim },
  };
  const log = createLogger(base.log.level === "info" ? "warn" : base.log.level);
  const gw = await startGateway(config, log, {
    amendRegistry: (r) => {
      for (let i = 0; i < bands; i++) r.add({ id: 1 + i, kind: "band" });
      for (let i = 0; i < classrooms; i++) r.add({ id: 100000 + i, kind: "classroom" });
    },
  });
  process.stderr.write(
    `simulating ${bands} bands and ${classrooms} classrooms at ${rate} frames/s into ${gw.brokerUrl} (prefix ${config.topicPrefix}); Ctrl-C to stop\n`,
  );
  const timer = setInterval(() => {
    const s = gw.sources[0]?.health();
    process.stderr.write(
      `\r${s?.framesIn ?? 0} frames sent, ${gw.publisher.published} published, outbox ${gw.outbox.depth}, broker ${gw.publisher.isConnected ? "connected" : "DISCONNECTED"}   `,
    );
  }, 1000);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  clearInterval(timer);
  await gw.stop();
  process.stderr.write("\n");
}
