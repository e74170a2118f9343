// `npm run bench`: printed figures, side by side, in one run.
//  (a) in-process pipeline frames/s on one core (decode, MAC verify, replay/dedup, envelope, CBOR)
//  (b) end to end into Mosquitto through the durable SQLite outbox: max frames/s, and p50/p99
//      latency (reception -> consumer) at a steady 1k frames/s
//  (c) naive baseline: JSON encode + QoS 0 publish per frame, no checks, no durability
//  (d) RSS with 100k registered devices and 10k active (separate process)
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodeAdvert, fromHex } from "@leiden-iot/protocol";
import mqtt from "mqtt";
import pino from "pino";
import { disposeMosquitto, startMosquitto } from "../../test/support/mosquitto.js";
import { resolveConfig } from "../src/config/load.js";
import { startGateway } from "../src/gateway.js";
import { Pipeline } from "../src/pipeline/pipeline.js";
import type { RawFrame } from "../src/sources/source.js";
import { SimFleet } from "../src/sources/sim/fleet.js";
import { TEST_MASTER, tempDir, writeRegistry } from "../test/support/gateway.js";
import { benchFrames, benchRegistry } from "./fixtures.js";

const say = (s: string) => process.stdout.write(s + "\n");
const results: Record<string, string> = {};

function benchPipeline(): number {
  say("(a) pipeline: 100k signed frames from 1000 devices, best of 3 runs on one core...");
  const registry = benchRegistry(1000, 0);
  const now = Date.now() / 1000;
  const epoch = Math.floor(now / 900);
  const frames = benchFrames(1000, 0, 100_000, now);
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const p = new Pipeline(registry, new Map(), {
      gatewayId: "bench",
      topicPrefix: "bench",
      replayWindow: 32,
      clockNotSetEpochs: 4,
    });
    p.resolver.ensure([epoch - 1, epoch, epoch + 1]);
    for (let i = 0; i < 1000; i++) p.devices.macKey(i + 1);
    const t0 = performance.now();
    let ok = 0;
    for (const f of frames) if (p.process(f).status === "accepted") ok++;
    const s = (performance.now() - t0) / 1000;
    if (ok !== frames.length) throw new Error(`pipeline accepted ${ok} of ${frames.length}`);
    const fps = frames.length / s;
    say(
      `    run ${run + 1}: ${frames.length} frames in ${s.toFixed(2)} s = ${Math.round(fps)} frames/s`,
    );
    best = Math.max(best, fps);
  }
  say(`    best ${Math.round(best)} frames/s on one core (target >= 50000)`);
  return best;
}

interface RemoteConsumer {
  count(): number;
  latency(): Promise<{ n: number; p50: number; p99: number }>;
  startLatency(): void;
  close(): void;
}

async function remoteConsumer(url: string, prefix: string): Promise<RemoteConsumer> {
  const child = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      fileURLToPath(new URL("./consumer.ts", import.meta.url)),
      url,
      prefix,
    ],
    {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  let n = 0;
  let onReady: () => void = () => undefined;
  let onLat: (v: { n: number; p50: number; p99: number }) => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  createInterface({ input: child.stdout! }).on("line", (l) => {
    if (l === "ready") onReady();
    else if (l.startsWith("n ")) n = Number(l.slice(2));
    else if (l.startsWith("lat "))
      onLat(JSON.parse(l.slice(4)) as { n: number; p50: number; p99: number });
  });
  await ready;
  return {
    count: () => n,
    startLatency: () => child.stdin!.write("lat-start\n"),
    latency: () =>
      new Promise((r) => {
        onLat = r;
        child.stdin!.write("lat-stop\n");
      }),
    close: () => child.kill(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function benchEndToEnd(
  url: string,
): Promise<{ maxFps: number; p50: number; p99: number; naiveFps: number }> {
  const tmp = tempDir("gw-bench-");
  const config = resolveConfig(
    {
      gatewayId: "gw-bench",
      topicPrefix: "bench",
      stateDir: tmp.dir + "/state",
      registry: writeRegistry(tmp.dir, 1000, 100),
      broker: { mode: "external", url },
      outbox: { inFlight: 1000 },
      metrics: { enabled: false },
    },
    {},
  );
  const gw = await startGateway(config, pino({ level: "silent" }));
  const fleet = new SimFleet({
    masterKey: fromHex(TEST_MASTER)!,
    bands: 1000,
    classrooms: 100,
    firstBandId: 1,
    firstClassroomId: 100000,
  });
  const consumer = await remoteConsumer(url, "bench");
  while (!gw.publisher.isConnected) await sleep(20);

  // (b1) max throughput: frames emitted as fast as the pipeline and outbox take them
  const N = 30_000;
  say(
    `(b) end to end: ${N} frames through pipeline + SQLite outbox + QoS 1 into Mosquitto (consumer in its own process)...`,
  );
  const frames: RawFrame[] = [];
  for (let i = 0; i < N; i++) frames.push(fleet.frame(Date.now() / 1000).frame);
  const start = consumer.count();
  const t0 = performance.now();
  const pend: Promise<unknown>[] = [];
  for (const f of frames) {
    f.receivedAt = Date.now() / 1000;
    pend.push(gw.emit(f));
    if (pend.length >= 2000) {
      await Promise.all(pend);
      pend.length = 0;
    }
  }
  await Promise.all(pend);
  const tAccepted = (performance.now() - t0) / 1000;
  while (consumer.count() - start < N) await sleep(5);
  const s = (performance.now() - t0) / 1000;
  const maxFps = N / s;
  say(
    `    accepted (stored) in ${tAccepted.toFixed(2)} s = ${Math.round(N / tAccepted)} frames/s; all ${N} at the consumer after ${s.toFixed(2)} s = ${Math.round(maxFps)} frames/s (target >= 10000)`,
  );

  // (b2) latency at a steady 1k frames/s for 10 s
  say("    latency at a steady 1000 frames/s for 10 s...");
  await sleep(500);
  consumer.startLatency();
  const before = consumer.count();
  const rateStart = Date.now();
  let sent = 0;
  while (Date.now() - rateStart < 10_000) {
    const due = Math.floor(((Date.now() - rateStart) / 1000) * 1000);
    while (sent < due) {
      void gw.emit(fleet.frame(Date.now() / 1000).frame);
      sent++;
    }
    await sleep(2);
  }
  const waitEnd = Date.now() + 10_000;
  while (consumer.count() - before < sent && Date.now() < waitEnd) await sleep(5);
  const lat = await consumer.latency();
  say(
    `    ${lat.n} frames: latency (reception -> consumer) p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms (target p99 <= 50 ms)`,
  );
  await gw.stop();

  // (c) naive baseline: JSON + QoS 0, no checks, no durability
  say(`(c) naive baseline: ${N} frames as JSON, QoS 0, no checks, no durability...`);
  const naive = mqtt.connect(url, { protocolVersion: 5 });
  await new Promise<void>((r) => naive.once("connect", () => r()));
  const nframes: RawFrame[] = [];
  for (let i = 0; i < N; i++) nframes.push(fleet.frame(Date.now() / 1000).frame);
  const nStart = consumer.count();
  const tn = performance.now();
  for (let i = 0; i < nframes.length; i++) {
    const f = nframes[i]!;
    const d = decodeAdvert(f.ble!.data);
    naive.publish(
      `bench/naive/${i % 1100}`,
      JSON.stringify({ frame: d.ok ? d.value : null, rssi: f.rssi, t: f.receivedAt }),
      { qos: 0 },
    );
    if (i % 2000 === 1999) await new Promise((r) => setImmediate(r));
  }
  const nEnd = Date.now() + 20_000;
  while (consumer.count() - nStart < N && Date.now() < nEnd) await sleep(5);
  const ns = (performance.now() - tn) / 1000;
  const got = consumer.count() - nStart;
  const naiveFps = got / ns;
  say(`    ${got} of ${N} delivered in ${ns.toFixed(2)} s = ${Math.round(naiveFps)} frames/s`);
  naive.end(true);
  consumer.close();
  tmp.dispose();
  return { maxFps, p50: lat.p50, p99: lat.p99, naiveFps };
}

async function benchRss(): Promise<Record<string, number>> {
  say(
    "(d) memory: 100k registered devices, 10k active (separate plain-node process, bundled with esbuild so tsx's loader thread is not counted)...",
  );
  const { build } = await import("esbuild");
  const tmp = tempDir("gw-rss-");
  const out = tmp.dir + "/rss.mjs";
  await build({
    entryPoints: [fileURLToPath(new URL("./rss.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    conditions: ["source"],
    outfile: out,
    external: ["cbor-extract", "better-sqlite3"],
    banner: {
      js: "import { createRequire as __liotCreateRequire } from 'node:module'; const require = __liotCreateRequire(import.meta.url);",
    },
    logLevel: "error",
  });
  // 3 rounds of one advert from each of 10k active bands, signed here, not in the measured process
  const now = Date.now() / 1000;
  const frames = benchFrames(10_000, 0, 30_000, now);
  const file = tmp.dir + "/frames.bin";
  writeFileSync(file, Buffer.concat(frames.map((f) => Buffer.from(f.ble!.data))));
  const r = spawnSync(process.execPath, ["--expose-gc", out, "100000", file, String(now)], {
    encoding: "utf8",
  });
  tmp.dispose();
  if (r.status !== 0) throw new Error("rss bench failed: " + r.stderr);
  const v = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number>;
  say(
    `    RSS ${v.rssMB} MB (the same process before the registry: ${v.baselineRssMB} MB), heap ${v.heapUsedMB} MB, EID tables ${v.eidTablesMB} MB; registry + 3 epoch tables built in ${v.buildMs} ms; ${v.accepted} frames accepted from ${v.active} active devices (target RSS <= 150 MB)`,
  );
  return v;
}

async function main() {
  say(
    `gateway bench on ${process.platform}/${process.arch}, node ${process.version}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const a = benchPipeline();
  const mosq = await startMosquitto({
    listenerConfig: ["max_queued_messages 1000000", "max_inflight_messages 0"],
  });
  let e2e;
  try {
    e2e = await benchEndToEnd(mosq.url);
  } finally {
    await disposeMosquitto(mosq);
  }
  const d = await benchRss();
  results.a = `${Math.round(a)} frames/s/core`;
  say("");
  say("summary                                          measured         target");
  say(
    `(a) pipeline, one core                           ${String(Math.round(a)).padStart(8)} /s    >= 50000 /s`,
  );
  say(
    `(b) end to end, durable, QoS 1                   ${String(Math.round(e2e.maxFps)).padStart(8)} /s    >= 10000 /s`,
  );
  say(
    `    latency at 1k/s p50 / p99                    ${e2e.p50.toFixed(1).padStart(5)} / ${e2e.p99.toFixed(1)} ms   p99 <= 50 ms`,
  );
  say(
    `(c) naive JSON QoS 0 baseline                    ${String(Math.round(e2e.naiveFps)).padStart(8)} /s    (durable path = ${(e2e.maxFps / e2e.naiveFps).toFixed(2)}x naive)`,
  );
  say(
    `(d) RSS, 100k registered / 10k active           ${String(d.rssMB).padStart(8)} MB    <= 150 MB`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
    process.exit(1);
  },
);
