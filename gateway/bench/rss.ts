// (d) RSS with 100k registered devices and 10k active, in its own plain-node process so the other
// benches (and the simulator that signs the frames) do not inflate it. Frames are read from a
// file the parent wrote (24-byte band adverts back to back). Prints one JSON line.
import { readFileSync } from "node:fs";
import { Pipeline } from "../src/pipeline/pipeline.js";
import { benchRegistry } from "./fixtures.js";

const registered = Number(process.argv[2] ?? 100_000);
const framesFile = process.argv[3]!;
const now = Number(process.argv[4]);
const raw = readFileSync(framesFile);
const base = process.memoryUsage().rss;
const t0 = performance.now();
const registry = benchRegistry(registered, 0);
const pipeline = new Pipeline(registry, new Map(), {
  gatewayId: "bench",
  topicPrefix: "bench",
  replayWindow: 32,
  clockNotSetEpochs: 4,
});
const epoch = Math.floor(now / 900);
pipeline.resolver.ensure([epoch - 1, epoch, epoch + 1]);
const buildMs = performance.now() - t0;
let accepted = 0;
const active = new Set<number>();
for (let o = 0; o + 24 <= raw.length; o += 24) {
  const out = pipeline.process({
    source: "ble",
    channel: "ble",
    receivedAt: now,
    rssi: -60,
    ble: { data: new Uint8Array(raw.subarray(o, o + 24)) },
  });
  if (out.status === "accepted") {
    accepted++;
    active.add(out.deviceId);
  }
}
(globalThis as { gc?: () => void }).gc?.();
const m = process.memoryUsage();
process.stdout.write(
  JSON.stringify({
    registered,
    active: active.size,
    accepted,
    buildMs: Math.round(buildMs),
    rssMB: +(m.rss / 1e6).toFixed(1),
    baselineRssMB: +(base / 1e6).toFixed(1),
    heapUsedMB: +(m.heapUsed / 1e6).toFixed(1),
    eidTablesMB: +(pipeline.resolver.memoryBytes() / 1e6).toFixed(1),
  }) + "\n",
);
