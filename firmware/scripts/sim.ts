// npm run sim: runs the built bundle (npm run build:firmware) on a virtual clock and writes the
// radio stream. --imu samples: the simulated IMU detects steps with the software step counter
// (src/steps) fed with synthetic 12.5 Hz wrist samples, instead of taking the walk's step count.
import path from "node:path";
import { localDay, localDayStart } from "@leiden-iot/protocol";
import { defineCommand, parseOrExit, usageError, userPath } from "@leiden-iot/protocol/cli";
import { createSimulation, FIRMWARE_ROOT } from "../src/sim/simulation.js";
import { walkSteps, type WalkSession } from "../src/sim/walk.js";
import { StepCounter } from "../src/steps/step-counter.js";

const SIM = defineCommand({
  command: "npm run sim --",
  summary:
    "Runs the built firmware (npm run build:firmware) in the simulator on a virtual clock and\n" +
    "writes its radio stream (NDJSON, firmware/README.md#radio-stream-ndjson).",
  options: {
    device: { choices: ["band", "classroom"], default: "band", help: "which firmware" },
    board: {
      choices: ["puckjs2", "banglejs2"],
      default: "puckjs2",
      help: "the board it runs on (classroom: puckjs2 only)",
    },
    days: { kind: "integer", min: 1, max: 3660, default: 7, help: "virtual days to run" },
    start: { value: "<ISO date>", help: "first day, e.g. 2026-11-23 (default today)" },
    out: {
      value: "<file.ndjson>",
      help: "radio stream (default firmware/.sim/<device>-<board>-<id>.ndjson)",
    },
    storage: { value: "<file.json>", help: "flash contents, kept between runs" },
    gateway: {
      choices: ["always", "weekdays", "never"],
      default: "weekdays",
      help: "when a gateway hears the device (weekdays: Mon-Fri 8-17 h)",
    },
    steps: { kind: "integer", min: 0, default: 8000, help: "band: steps walked per day (about)" },
    dr: { kind: "integer", min: 0, max: 5, default: 5, help: "classroom: LoRaWAN data rate" },
    id: { kind: "integer", min: 1, max: 0x7fffffff, default: 257, help: "device id" },
    imu: {
      choices: ["steps", "samples"],
      default: "steps",
      help: "samples: count steps from synthetic 12.5 Hz samples with src/steps",
    },
  },
  notes: "Relative paths resolve from the directory you run npm in.",
  examples: [
    "npm run sim -- --device band --days 7",
    "npm run sim -- --board banglejs2 --imu samples --days 2",
    "npm run sim -- --device classroom --gateway always --out /tmp/classroom.ndjson",
  ],
});

const { values: a } = parseOrExit(SIM, process.argv.slice(2));
const device = a.device;
const board = a.board;
if (device === "classroom" && board !== "puckjs2")
  usageError(SIM, "the classroom node runs on a Puck.js v2 only: use --board puckjs2");
const startAt = a.start === undefined ? Date.now() : Date.parse(a.start);
if (!Number.isFinite(startAt))
  usageError(SIM, `--start must be a date like 2026-11-23, not "${a.start}"`);
const days = a.days;
const startDay = localDay(startAt / 1000);
const start = localDayStart(startDay) + 60;
// per device, board and id: a Bangle.js run never overwrites the Puck's stream
const out = a.out
  ? userPath(a.out)
  : path.join(FIRMWARE_ROOT, ".sim", device + "-" + board + "-" + a.id + ".ndjson");
const stepsPerDay = a.steps;
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
    deviceId: a.id,
    radioLog: out,
    ...(a.storage ? { storageFile: userPath(a.storage) } : {}),
    walks,
    gatewayInRange: gateway,
    co2,
    loraDr: a.dr,
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
