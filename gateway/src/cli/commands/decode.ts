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
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../config/load.js";
import { Pipeline } from "../../pipeline/pipeline.js";
import { loadRegistry } from "../../registry/load.js";
import type { KeyRegistry } from "../../registry/registry.js";
import type { RawFrame } from "../../sources/source.js";
import { stateDirOf } from "../../state.js";
import { flagString, type Args } from "../args.js";

const UNKNOWN_PSEUDONYM = "00000000-0000-8000-8000-000000000000";

function show(title: string, v: unknown): void {
  process.stdout.write(`${title}:\n${JSON.stringify(v, null, 2)}\n`);
}

function tryRegistry(args: Args): KeyRegistry | null {
  try {
    const config = loadConfig(flagString(args, "config"));
    // an existing registry only: decode never creates one
    const path = config.registry ?? join(stateDirOf(config), "registry.yaml");
    return existsSync(path) ? loadRegistry(path) : null;
  } catch {
    return null;
  }
}

function printEnvelope(topic: string, env: Envelope, meta: ReceiveMeta): void {
  const bytes = encodePack(env.pack);
  process.stdout.write(`topic: ${topic}\n`);
  show("MQTT 5 user properties", envelopeUserProperties(meta, ENVELOPE_SCHEMA));
  show(`SenML pack (${bytes.length} bytes of CBOR)`, env.pack);
  process.stdout.write(`CBOR: ${toHex(bytes)}\n`);
}

export function decodeCommand(args: Args): number {
  const hex = (args.positional[0] ?? "").replace(/^0x/, "").replace(/[\s:]/g, "").toLowerCase();
  const bytes = fromHex(hex);
  if (!bytes) {
    process.stderr.write(
      "decode needs the frame as hex, e.g. `npm run gateway -- decode 11a02067f7...`\n",
    );
    return 2;
  }
  const at = Number(flagString(args, "at") ?? Date.now() / 1000);
  const fport = flagString(args, "fport");
  const keyHex = flagString(args, "key");
  const idFlag = flagString(args, "id");
  const registry = tryRegistry(args);

  if (fport !== undefined) {
    const u = decodeUplink(Number(fport), bytes);
    if (!u.ok) {
      process.stdout.write(`rejected: ${u.reason} (${u.detail})\n`);
      return 1;
    }
    show(`LoRaWAN uplink on fPort ${fport}`, u.value);
    const id = idFlag ? Number(idFlag) : undefined;
    const p =
      id !== undefined && registry
        ? pseudonymOf(nodeAes128, registry.pseudonymKey, id)
        : UNKNOWN_PSEUDONYM;
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

  const d = decodeAdvert(bytes);
  if (!d.ok) {
    process.stdout.write(`rejected: ${d.reason} (${d.detail})\n`);
    return 1;
  }
  show(`${d.value.kind} advert (structure; MAC not yet checked)`, d.value);

  if (keyHex) {
    const key = fromHex(keyHex);
    if (!key || key.length !== 16) {
      process.stderr.write("--key must be the 16-byte device key as 32 hex characters\n");
      return 2;
    }
    const opened = openAdvert(bytes, cmacKey(nodeAes128, deviceKeys(nodeAes128, key).mac));
    process.stdout.write(
      opened.ok ? "MAC: valid for this device key\n" : `MAC: INVALID (${opened.detail})\n`,
    );
    if (!opened.ok) return 1;
    const id = idFlag ? Number(idFlag) : undefined;
    const p =
      id !== undefined && registry
        ? pseudonymOf(nodeAes128, registry.pseudonymKey, id)
        : UNKNOWN_PSEUDONYM;
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

  if (!registry) {
    process.stdout.write(
      "no key registry found: pass --key <device key> to check the MAC, or --config with a registry\n",
    );
    return 0;
  }
  const pipeline = new Pipeline(registry, new Map(), {
    gatewayId: "decode",
    topicPrefix: "<prefix>",
    replayWindow: 32,
    clockNotSetEpochs: 4,
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
