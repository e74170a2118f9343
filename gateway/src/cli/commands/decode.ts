// `decode <hex> [--key k] [--id n] [--fport p] [--at unix] [--config f]`: the frame in human terms
// and the envelope the gateway would publish. With --key (the device key) the MAC is checked
// directly; otherwise the frame goes through the real pipeline with the configured key registry.
import {
  ENVELOPE_SCHEMA,
  bandEnvelope,
  classroomAdvertEnvelope,
  classroomUplinkEnvelope,
  cmacKey,
  decodeAdvert,
  decodeUplink,
  deviceKeys,
  encodePack,
  envelopeTopic,
  envelopeUserProperties,
  fromHex,
  messageId,
  nodeAes128,
  openAdvert,
  pseudonymOf,
  toHex,
  type Envelope,
  type ReceiveMeta,
} from "@leiden-iot/protocol";
import {
  defineCommand,
  parseOrExit,
  usageError,
  type OptionValues,
} from "@leiden-iot/protocol/cli";
import { existsSync } from "node:fs";
import { resolveConfig } from "../../config/load.js";
import type { GatewayConfig } from "../../config/schema.js";
import { Pipeline } from "../../pipeline/pipeline.js";
import { loadRegistry } from "../../registry/load.js";
import type { KeyRegistry } from "../../registry/registry.js";
import type { RawFrame } from "../../sources/source.js";
import { registryPathOf } from "../../state.js";
import { CONFIG_OPTION, configOf } from "../options.js";

const UNKNOWN_PSEUDONYM = "00000000-0000-8000-8000-000000000000";

function show(title: string, v: unknown): void {
  process.stdout.write(`${title}:\n${JSON.stringify(v, null, 2)}\n`);
}

export const DECODE = defineCommand({
  command: "npm run gateway -- decode",
  summary:
    "Shows a frame in human terms and the envelope the gateway would publish for it. With --key\n" +
    "(the device key) the MAC is checked directly; otherwise the frame runs through the real\n" +
    "pipeline with the configured key registry at time --at. --fport decodes a LoRaWAN FRMPayload.",
  positionals: [
    { name: "hex", required: true, help: "the frame as hex (spaces, colons and 0x are ignored)" },
  ],
  options: {
    key: { value: "<32 hex>", help: "the 16-byte device key: check the MAC with it" },
    id: { kind: "integer", min: 0, max: 0xffffffff, help: "device id (for the pseudonym)" },
    fport: { kind: "integer", min: 1, max: 223, help: "decode a LoRaWAN uplink on this fPort" },
    at: { kind: "number", min: 0, value: "<unix s>", help: "reception time (default now)" },
    config: CONFIG_OPTION,
  },
  examples: [
    "npm run gateway -- decode 11a02067f7... --at 1795417200",
    "npm run gateway -- decode 11a02067f7... --key 916fb52e752b1df08e5fd276bda47d2c --id 257",
    "npm run gateway -- decode 0102... --fport 2",
  ],
});

type DecodeArgs = OptionValues<typeof DECODE.options>;

/** What decode takes from the gateway's configuration: its key registry and pipeline settings. */
interface DecodeContext {
  registry: KeyRegistry | null;
  pipeline: GatewayConfig["pipeline"];
}

/**
 * The configuration's registry (an existing one only: decode never creates one) and pipeline
 * settings. A config file named with --config that does not load is an error (ConfigError, which
 * names the field); without --config a default config that does not load means no registry.
 */
function contextOf(values: DecodeArgs): DecodeContext {
  let config: GatewayConfig;
  try {
    config = configOf(values.config);
  } catch (e) {
    if (values.config !== undefined) throw e;
    return { registry: null, pipeline: resolveConfig({}, {}, "defaults").pipeline };
  }
  const path = registryPathOf(config);
  return { registry: existsSync(path) ? loadRegistry(path) : null, pipeline: config.pipeline };
}

function pseudonymFor(id: number | undefined, registry: KeyRegistry | null): string {
  return id !== undefined && registry
    ? pseudonymOf(nodeAes128, registry.pseudonymKey, id)
    : UNKNOWN_PSEUDONYM;
}

function printEnvelope(topic: string, env: Envelope, meta: ReceiveMeta): void {
  const bytes = encodePack(env.pack);
  process.stdout.write(`topic: ${topic}\n`);
  show("MQTT 5 user properties", envelopeUserProperties(meta, ENVELOPE_SCHEMA));
  show(`SenML pack (${bytes.length} bytes of CBOR)`, env.pack);
  process.stdout.write(`CBOR: ${toHex(bytes)}\n`);
}

function decodeLoraPayload(bytes: Uint8Array, fport: number, at: number, p: string): number {
  const u = decodeUplink(fport, bytes);
  if (!u.ok) {
    process.stdout.write(`rejected: ${u.reason} (${u.detail})\n`);
    return 1;
  }
  show(`LoRaWAN uplink on fPort ${fport}`, u.value);
  const meta: ReceiveMeta = {
    gatewayId: "decode",
    receivedAt: at,
    source: "lora",
    messageId: messageId(p, "lora", 0, "00000000"),
    counter: 0,
  };
  const env = classroomUplinkEnvelope(u.value, p, meta);
  printEnvelope(envelopeTopic("<prefix>", env.kind, p), env, meta);
  return 0;
}

/** The advert's MAC checked with the device key given on the command line. */
function checkWithKey(bytes: Uint8Array, keyHex: string, at: number, p: string): number {
  const key = fromHex(keyHex);
  if (!key || key.length !== 16)
    usageError(DECODE, "--key must be the 16-byte device key as 32 hex characters");
  const opened = openAdvert(bytes, cmacKey(nodeAes128, deviceKeys(nodeAes128, key).mac));
  process.stdout.write(
    opened.ok ? "MAC: valid for this device key\n" : `MAC: INVALID (${opened.detail})\n`,
  );
  if (!opened.ok) return 1;
  if (p === UNKNOWN_PSEUDONYM)
    process.stdout.write("pseudonym: unknown (pass --id with a key registry)\n");
  const a = opened.value;
  const meta: ReceiveMeta = {
    gatewayId: "decode",
    receivedAt: at,
    source: "ble",
    messageId: messageId(p, "ble", a.counter),
    counter: a.counter,
  };
  const env = a.kind === "band" ? bandEnvelope(a, p, meta) : classroomAdvertEnvelope(a, p, meta);
  printEnvelope(envelopeTopic("<prefix>", env.kind, p), env, meta);
  return 0;
}

/** The advert through the gateway's own pipeline, with the registry and settings of the config. */
function runPipeline(bytes: Uint8Array, at: number, ctx: DecodeContext): number {
  if (!ctx.registry) {
    process.stdout.write(
      "no key registry found: pass --key <device key> to check the MAC, or --config with a registry\n",
    );
    return 0;
  }
  const pipeline = new Pipeline(ctx.registry, new Map(), {
    gatewayId: "decode",
    topicPrefix: "<prefix>",
    replayWindow: ctx.pipeline.replayWindow,
    clockNotSetEpochs: ctx.pipeline.clockNotSetEpochs,
  });
  const frame: RawFrame = { source: "ble", channel: "ble", receivedAt: at, ble: { data: bytes } };
  const out = pipeline.process(frame);
  if (out.status !== "accepted") {
    process.stdout.write(
      `pipeline (registry, at ${new Date(at * 1000).toISOString()}): ${out.status}${out.status === "rejected" ? ` - ${out.reason}: ${out.detail}` : ""}\n`,
    );
    if (out.status === "rejected" && out.reason === "unknown_device")
      process.stdout.write(
        "hint: pass --at <unix seconds> near the time the frame was sent; ephemeral ids rotate every 15 min\n",
      );
    return 1;
  }
  process.stdout.write(`pipeline: accepted, MAC valid, message id ${out.messageId}\n`);
  printEnvelope(out.topic, out.envelope, {
    gatewayId: "decode",
    receivedAt: at,
    source: "ble",
    messageId: out.messageId,
    counter: out.info.counter,
  });
  return 0;
}

export function decodeCommand(argv: readonly string[]): number {
  const { values, positionals } = parseOrExit(DECODE, argv);
  const hex = positionals[0]!.replace(/^0x/, "").replace(/[\s:]/g, "").toLowerCase();
  const bytes = fromHex(hex);
  if (!bytes) usageError(DECODE, `<hex> must be the frame as hex digits, not "${positionals[0]}"`);
  const at = values.at ?? Date.now() / 1000;
  const ctx = contextOf(values);
  const p = pseudonymFor(values.id, ctx.registry);
  if (values.fport !== undefined) return decodeLoraPayload(bytes, values.fport, at, p);
  const d = decodeAdvert(bytes);
  if (!d.ok) {
    process.stdout.write(`rejected: ${d.reason} (${d.detail})\n`);
    return 1;
  }
  show(`${d.value.kind} advert (structure; MAC not yet checked)`, d.value);
  if (values.key) return checkWithKey(bytes, values.key, at, p);
  return runPipeline(bytes, at, ctx);
}
