#!/usr/bin/env node
// `npm run gateway -- <command>`: start, config, simulate, decode, keys, doctor, watch.
import { ConfigError } from "../config/issues.js";
import { parseArgs } from "./args.js";

const USAGE = `usage: npm run gateway -- <command> [options]

  start [--config f]                      run the gateway (sources, pipeline, outbox, MQTT)
  config [--config f]                     print the effective configuration, secrets redacted
  simulate --bands N --classrooms M       run a simulated fleet into the configured broker
           [--rate r] [--repeats k] [--config f]
  decode <hex> [--key k] [--id n]         a frame in human terms and the envelope it would publish
         [--fport p] [--at unix] [--config f]
  keys [init|derive <id>|add ...]         master key, device keys, registry entries
  keys reprovision <deveui> [--config f]  after new ABP keys: reset the node's counters (gateway stopped)
  doctor [--config f]                     Bluetooth, capability, broker, disk space, clock
  watch [--url u] [--prefix p]            print decoded envelopes live

environment overrides: LIOT_BROKER_URL, LIOT_BROKER_MODE, LIOT_BROKER_USERNAME, LIOT_BROKER_PASSWORD,
LIOT_GATEWAY_ID, LIOT_TOPIC_PREFIX, LIOT_STATE_DIR, LIOT_REGISTRY, LIOT_METRICS_PORT, LIOT_LOG_LEVEL
`;

async function main(argv: string[]): Promise<number | undefined> {
  const [cmd, ...rest] = argv;
  const args = parseArgs(rest);
  switch (cmd) {
    case "start":
      await (await import("./commands/start.js")).startCommand(args);
      return undefined;
    case "config":
      (await import("./commands/config.js")).configCommand(args);
      return 0;
    case "simulate":
      await (await import("./commands/simulate.js")).simulateCommand(args);
      return 0;
    case "decode":
      return (await import("./commands/decode.js")).decodeCommand(args);
    case "keys":
      return (await import("./commands/keys.js")).keysCommand(args);
    case "doctor":
      return (await import("./commands/doctor.js")).doctorCommand(args);
    case "watch":
      await (await import("./commands/watch.js")).watchCommand(args);
      return 0;
    case undefined:
    case "help":
    case "--help":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (e: unknown) => {
    if (e instanceof ConfigError) process.stderr.write(e.message + "\n");
    else process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
