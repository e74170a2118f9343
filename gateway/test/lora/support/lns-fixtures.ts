// The LNS uplink fixtures (gateway/test/lora/fixtures/), as fresh mutable copies.
import { readFileSync } from "node:fs";

function load(name: string): () => Record<string, unknown> {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
  return () => JSON.parse(text) as Record<string, unknown>;
}

export const ttsUplink = load("tts-uplink.json");
export const chirpstackUplink = load("chirpstack-uplink.json");

export const TTS_TOPIC = "v3/meet-de-klas@ttn/devices/klas-4b-co2/up";
export const CHIRPSTACK_TOPIC =
  "application/0b5a9c2e-7d14-4f3a-a1e2-8c6b9d0e3f47/device/0004a30b00f1c2e4/event/up";

export function bytes(json: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(json));
}
