// npm run sim -- [--device band|classroom] [--board puckjs2|banglejs2] [--days N] [--start ISO]
//   [--out FILE.ndjson] [--storage FILE.json] [--gateway always|weekdays|never] [--steps N]
//   [--dr 0..5] [--id N] [--imu steps|samples]
// --imu samples: the simulated IMU detects steps with the software step counter (src/steps) fed
// with synthetic 12.5 Hz wrist samples, instead of taking the walk's step count directly.
// Runs the built bundle (npm run build:firmware) on a virtual clock and writes the radio stream.
import path from "node:path";
import { parseArgs } from "node:util";
import { localDay, localDayStart } from "@leiden-iot/protocol";
import { createSimulation, FIRMWARE_ROOT } from "../src/sim/simulation.js";
import { walkSteps, type WalkSession } from "../src/sim/walk.js";
import { StepCounter } from "../src/steps/step-counter.js";

const { values: a } = parseArgs({
  options: {
    device: { type: "string", default: "band" },
    board: { type: "string", default: "puckjs2" },
    days: { type: "string", default: "7" },
    start: { type: "string" },
    out: { type: "string" },
    storage: { type: "string" },
    gateway: { type: "string", default: "weekdays" },
    steps: { type: "string", default: "8000" },
    dr: { type: "string", default: "5" },
    id: { type: "string", default: "257" },
    imu: { type: "string", default: "steps" },
  },
});

const device = a.device === "classroom" ? "classroom" : "band";
const board = a.board === "banglejs2" ? "banglejs2" : "puckjs2";
if (device === "classroom" && board !== "puckjs2") {
  console.error("the classroom node runs on a Puck.js v2 only: use --board puckjs2");
  process.exit(2);
}
const days = Math.max(1, parseInt(a.days!, 10) || 7);
const startDay = a.start ? localDay(Date.parse(a.start) / 1000) : localDay(Date.now() / 1000);
const start = localDayStart(startDay) + 60;
const out = a.out ?? path.join(FIRMWARE_ROOT, ".sim", device + "-" + a.id + ".ndjson");
const stepsPerDay = parseInt(a.steps!, 10) || 8000;
const walks: WalkSession[] = [];
for (let d = 0; d < days; d++)
  walks.push(...walkSteps(localDayStart(startDay + d), stepsPerDay + ((d * 977) % 3000), 8));
const gateway = (t: number): boolean => {
  if (a.gateway === "always") return true;
  if (a.gateway === "never") return false;
  const day = localDay(t);
  const weekday = (day + 2) % 7; // day 0 (2020-01-01) was a Wednesday; 0 = Monday here
  const hour = (t - localDayStart(day)) / 3600;
  return weekday < 5 && hour >= 8 && hour < 17;
};
// Classroom: a school-day CO2 curve.
const co2 = (t: number): number => {
  const h = (t - localDayStart(localDay(t))) / 3600;
  if (h < 8.5 || h > 17) return 450;
  const lesson = (h - 8.5) % 2;
  return Math.round(450 + Math.min(lesson, 1.5) * 600);
};

let sim;
try {
  sim = createSimulation({
    device,
    board,
    start,
    deviceId: parseInt(a.id!, 10) || 257,
    radioLog: out,
    ...(a.storage ? { storageFile: a.storage } : {}),
    walks,
    gatewayInRange: gateway,
    co2,
    loraDr: parseInt(a.dr!, 10),
    ...(a.imu === "samples"
      ? { imu: "samples" as const, stepDetector: () => new StepCounter() }
      : {}),
  });
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const t0 = Date.now();
for (let d = 0; d < days; d++) {
  sim.advance(86400 * 1000);
  const ble = sim.radio.filter((l) => l.channel === "ble").length;
  const lora = sim.radio.filter((l) => l.channel === "lora");
  const air = lora.reduce((s, l) => s + (l.channel === "lora" ? l.airtimeMs : 0), 0);
  console.log(
    "day " +
      (d + 1) +
      "/" +
      days +
      ": " +
      ble +
      " BLE adverts heard, " +
      lora.length +
      " LoRa uplinks (" +
      (air / 1000).toFixed(1) +
      " s airtime), " +
      sim.storage.writes.length +
      " flash writes, " +
      sim.errors.length +
      " errors",
  );
}
for (const e of sim.errors.slice(0, 5))
  console.error("  device error at " + new Date(e.at).toISOString() + ": " + e.message);
console.log(
  "radio stream: " + out + " (" + sim.radio.length + " lines, " + (Date.now() - t0) + " ms)",
);
process.exit(sim.errors.length > 0 ? 1 : 0);
