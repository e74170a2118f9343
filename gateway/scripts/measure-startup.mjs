#!/usr/bin/env node
// Start-up time and resident memory of the gateway, compiled (plain node, dist/) against the
// development path (node --import tsx, src/). Each variant starts `start` with the sim source
// (20 bands, 5 classrooms, 10 frames/s) against its own Mosquitto; start-up is spawn -> the
// "gateway running" log line, RSS is VmRSS of the process 5 s later. Median of N runs (default 5).
//   usage: npm run build && node gateway/scripts/measure-startup.mjs [runs]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const gatewayDir = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.argv[2] ?? 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const mosquitto = spawn("mosquitto", ["-p", String(port)], { stdio: "ignore" });
await sleep(300);

const variants = {
  compiled: [process.execPath, "dist/cli/main.js"],
  tsx: [process.execPath, "--conditions=source", "--import", "tsx", "src/cli/main.ts"],
};

async function once(argv) {
  const dir = mkdtempSync(join(tmpdir(), "gw-startup-"));
  const config = join(dir, "gw.yaml");
  writeFileSync(
    config,
    [
      "gatewayId: gw-startup",
      "topicPrefix: startup",
      `stateDir: ${join(dir, "state")}`,
      `broker: { mode: external, url: "mqtt://127.0.0.1:${port}" }`,
      "metrics: { enabled: false }",
      "sources: { sim: { enabled: true, bands: 20, classrooms: 5, rate: 10 } }",
      "",
    ].join("\n"),
  );
  const t0 = performance.now();
  const child = spawn(argv[0], [...argv.slice(1), "start", "--config", config], {
    cwd: gatewayDir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const startupMs = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes('"gateway running"')) resolve(performance.now() - t0);
    });
    child.once("exit", (c) => reject(new Error(`exited ${c} before running:\n${out}`)));
  });
  await sleep(5000);
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const rssMb = Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
  const threads = Number(/Threads:\s+(\d+)/.exec(status)[1]);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
  return { startupMs, rssMb, threads };
}

try {
  for (const [name, argv] of Object.entries(variants)) {
    const r = [];
    for (let i = 0; i < runs; i++) r.push(await once(argv));
    console.log(
      `${name.padEnd(9)} start-up ${median(r.map((x) => x.startupMs)).toFixed(0)} ms` +
        `  RSS ${median(r.map((x) => x.rssMb)).toFixed(1)} MB  threads ${median(r.map((x) => x.threads))}` +
        `  (median of ${runs}; start-up min..max ${Math.min(...r.map((x) => x.startupMs)).toFixed(0)}..${Math.max(...r.map((x) => x.startupMs)).toFixed(0)} ms)`,
    );
  }
} finally {
  mosquitto.kill();
}
