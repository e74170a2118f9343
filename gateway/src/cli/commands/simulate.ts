// `simulate --bands N --classrooms M [--rate r] [--config f]`: runs a simulated fleet through a
// gateway instance of its own (separate state under <stateDir>/simulate) into the configured
// broker, so a running gateway's consumers see the traffic. The fleet's device ids are added to
// the registry in memory; keys derive from the registry's master key.
import { join } from "node:path";
import { loadConfig } from "../../config/load.js";
import { startGateway } from "../../gateway.js";
import { ensureRegistry } from "../../state.js";
import { flagInt, flagString, type Args } from "../args.js";
import { createLogger } from "../logger.js";

export async function simulateCommand(args: Args): Promise<void> {
  const base = loadConfig(flagString(args, "config"));
  const bands = flagInt(args, "bands", 20);
  const classrooms = flagInt(args, "classrooms", 5);
  const rate = Number(flagString(args, "rate") ?? bands + classrooms);
  const sim = {
    enabled: true,
    bands,
    classrooms,
    rate,
    firstBandId: 1,
    firstClassroomId: 100000,
    repeats: flagInt(args, "repeats", 1),
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
