#!/usr/bin/env node
// `npm run gateway -- <command>`: start, config, simulate, decode, keys, doctor, watch. Every
// command follows the repository's command-line convention (@leiden-iot/protocol/cli): -h/--help
// prints its usage and exits 0 before it opens anything; a bad option is one line, exit 2.
import { didYouMean } from "@leiden-iot/protocol/cli";
import { ConfigError } from "../config/issues.js";

const USAGE = `usage: npm run gateway -- <command> [options]   (<command> --help: its options and examples)

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
  -h, --help                              this text; <command> --help: its options and examples

environment overrides: LIOT_BROKER_URL, LIOT_BROKER_MODE, LIOT_BROKER_USERNAME, LIOT_BROKER_PASSWORD,
LIOT_GATEWAY_ID, LIOT_TOPIC_PREFIX, LIOT_STATE_DIR, LIOT_REGISTRY, LIOT_METRICS_PORT, LIOT_LOG_LEVEL

examples:
  npm run gateway -- start --config /etc/liot/gateway.yaml
  npm run gateway -- keys init
  npm run gateway -- watch --url mqtt://127.0.0.1:1883 --prefix leiden/demo
`;

const COMMANDS = ["start", "config", "simulate", "decode", "keys", "doctor", "watch"];

async function main(argv: string[]): Promise<number | undefined> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "start":
      await (await import("./commands/start.js")).startCommand(rest);
      return undefined;
    case "config":
      return (await import("./commands/config.js")).configCommand(rest);
    case "simulate":
      await (await import("./commands/simulate.js")).simulateCommand(rest);
      return 0;
    case "decode":
      return (await import("./commands/decode.js")).decodeCommand(rest);
    case "keys":
      return (await import("./commands/keys.js")).keysCommand(rest);
    case "doctor":
      return (await import("./commands/doctor.js")).doctorCommand(rest);
    case "watch":
      await (await import("./commands/watch.js")).watchCommand(rest);
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(
        `gateway: ${cmd.startsWith("-") ? "unknown option" : "unknown command"} ${cmd}${didYouMean(cmd, COMMANDS)}; see \`npm run gateway -- --help\`\n`,
      );
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
