// (d) RSS with 100k registered devices and 10k active: run in its own process so the other
// benches do not inflate it. Prints one JSON line.
import { Pipeline } from "../src/pipeline/pipeline.js";
import { benchFrames, benchRegistry } from "./fixtures.js";

const registered = Number(process.argv[2] ?? 100_000);
const active = Number(process.argv[3] ?? 10_000);
const base = process.memoryUsage().rss;
const t0 = performance.now();
const registry = benchRegistry(registered, 0);
const counters = new Map();
const pipeline = new Pipeline(registry, counters, {
  gatewayId: "bench",
  topicPrefix: "bench",
  replayWindow: 32,
  clockNotSetEpochs: 4,
});
const now = Date.now() / 1000;
const epoch = Math.floor(now / 900);
for (const e of [epoch - 1, epoch, epoch + 1]) pipeline.resolver.table(e);
const buildMs = performance.now() - t0;
let accepted = 0;
for (let round = 0; round < 3; round++) {
  const frames = benchFrames(active, 0, active, now);
  for (const f of frames) if (pipeline.process(f).status === "accepted") accepted++;
}
(globalThis as { gc?: () => void }).gc?.();
const m = process.memoryUsage();
process.stdout.write(
  JSON.stringify({
    registered,
    active,
    accepted,
    buildMs: Math.round(buildMs),
    rssMB: +(m.rss / 1e6).toFixed(1),
    baselineRssMB: +(base / 1e6).toFixed(1),
    heapUsedMB: +(m.heapUsed / 1e6).toFixed(1),
    eidTablesMB: +(pipeline.resolver.memoryBytes() / 1e6).toFixed(1),
  }) + "\n",
);
