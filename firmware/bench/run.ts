// `npm run bench` (firmware): the software step counter's cost per sample on the real Espruino
// interpreter built like a Puck.js v2 (2630 variables), and what that means for the band's battery.
//  - host ms/sample: wall time on this machine (counter loop minus an empty-push loop);
//  - instructions/sample: counted by valgrind's callgrind (deterministic, independent of machine
//    load), the same difference; converted to nRF52832 time at 64 MHz (see CYCLES_PER_INSTRUCTION);
//  - variables: what one StepCounter takes of the board's 2630;
//  - energy: the average current of counting in software on a Puck.js vs its IMU pedometer.
// Samples: two real 40 s segments of ../shared/data/steps (a walk starting from rest, a drive).
// `--quick` skips valgrind (wall time only). valgrind missing: wall time only, said so.
import { readFileSync } from "node:fs";
import { defineCommand, parseOrExit } from "@leiden-iot/protocol/cli";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bandEnergy, TYPICAL } from "../src/energy/band-energy.js";
import { parseRecording } from "../src/steps/recording.js";
import { countSteps, STEP_COUNTER_DEFAULTS } from "../src/steps/step-counter.js";
import { hasValgrind, markedLine, QUICK_OPTION, runEspruino } from "./espruino.js";
import {
  ACCEL_STREAM_UA,
  benchScript,
  counterBundle,
  counterEnergy,
  deviceMs,
  int16Samples,
  MARKER,
  parseBenchLine,
  type BenchLine,
} from "./step-counter-bench.js";

const DATA = fileURLToPath(new URL("../../../shared/data/steps", import.meta.url));
const N = 500; // 40 s at 12.5 Hz: two checks a walk makes every 2 s, 20 times over
const SEGMENTS = [
  { name: "walking", file: "HughB-walk-1834.csv", from: 0, what: "rest, then a walk starting" },
  { name: "driving", file: "HughB-drive-29min-0.csv", from: 6000, what: "a car ride, no steps" },
];
const { values } = parseOrExit(
  defineCommand({
    command: "npm run -w firmware bench --",
    summary:
      "The software step counter's cost per sample on the real Espruino interpreter (Puck.js v2\n" +
      "build): host ms/sample, instructions/sample under valgrind's callgrind, variables, and what\n" +
      "it costs the band's battery. Takes minutes with valgrind.",
    options: { quick: QUICK_OPTION },
    examples: ["npm run -w firmware bench -- --quick", "npm run bench"],
  }),
  process.argv.slice(2),
);
const quick = values.quick;
const counted = !quick && hasValgrind();
const say = (s: string): void => void process.stdout.write(s + "\n");

async function measure(code: string, callgrind: boolean): Promise<{ line: BenchLine; ir: number }> {
  const r = await runEspruino("puckjs2", code, { callgrind: callgrind, timeoutMs: 600_000 });
  const line = parseBenchLine(markedLine(r.stdout, MARKER));
  return { line: line, ir: r.instructions ?? 0 };
}

const bundle = await counterBundle();
say(`step counter bundle: ${bundle.length} bytes (minified, Espruino-checked)`);
say(
  counted
    ? "instructions counted with valgrind --tool=callgrind (about a minute per segment)"
    : quick
      ? "--quick: wall time only"
      : "valgrind not installed: wall time only (apt-get install valgrind for instruction counts)",
);
const rows: { name: string; hostMs: number; ir: number | null; vars: number; ok: string }[] = [];
for (const s of SEGMENTS) {
  const path = join(DATA, s.file);
  const rec = parseRecording(readFileSync(path, "utf8"), path);
  if (!rec.ok) throw new Error(rec.error);
  const samples = int16Samples(rec.value, s.from, N);
  const xs = rec.value.x.subarray(s.from, s.from + N);
  const ys = rec.value.y.subarray(s.from, s.from + N);
  const zs = rec.value.z.subarray(s.from, s.from + N);
  const inNode = countSteps(xs, ys, zs);
  const counter = await measure(benchScript(bundle, samples, "counter"), false);
  const feed = await measure(benchScript(bundle, samples, "feed"), false);
  let ir: number | null = null;
  if (counted) {
    process.stderr.write(`bench: callgrind ${s.name}...\n`);
    const ci = await measure(benchScript(bundle, samples, "counter"), true);
    const fi = await measure(benchScript(bundle, samples, "feed"), true);
    ir = (ci.ir - fi.ir) / (2 * N); // the script feeds the samples twice (see benchScript)
  }
  rows.push({
    name: s.name + " (" + s.what + ")",
    hostMs: (counter.line.ms - feed.line.ms) / N,
    ir: ir,
    vars: counter.line.vars,
    ok:
      counter.line.count === inNode
        ? `${inNode} steps (= Node)`
        : `${counter.line.count} steps, Node ${inNode}: DIFFERENT`,
  });
}

say(`\nEspruino 2v29 Puck.js v2 build (2630 variables), ${N} samples per segment at 12.5 Hz`);
say(
  "segment".padEnd(40) +
    "host ms/sample".padStart(15) +
    "instr/sample".padStart(14) +
    "nRF52 ms/sample".padStart(16) +
    "CPU at 12.5 Hz".padStart(15) +
    "   counted",
);
for (const r of rows) {
  const dev = r.ir === null ? null : deviceMs(r.ir);
  say(
    r.name.padEnd(40) +
      r.hostMs.toFixed(3).padStart(15) +
      (r.ir === null ? "-" : Math.round(r.ir).toString()).padStart(14) +
      (dev === null ? "-" : dev.toFixed(1)).padStart(16) +
      (dev === null
        ? "-"
        : ((dev * STEP_COUNTER_DEFAULTS.sampleRateHz) / 10).toFixed(0) + " %"
      ).padStart(15) +
      "   " +
      r.ok,
  );
}
say(
  `variables per StepCounter: ${rows[0]!.vars} of 2630 (13-byte blocks: ${rows[0]!.vars * 13} bytes)`,
);

const walk = rows[0]!.ir;
const rest = rows[1]!.ir;
if (walk !== null && rest !== null) {
  const e = counterEnergy(
    deviceMs(walk),
    deviceMs(rest),
    TYPICAL.walkingMinutesPerDay,
    STEP_COUNTER_DEFAULTS.sampleRateHz,
  );
  const band = bandEnergy("puckjs2", TYPICAL);
  const soft = band.totalUa - e.hardwareUa + e.softwareUa;
  const months = (h: number): string => ((band.batteryMah * 1000) / h / 24 / 30.44).toFixed(1);
  say(
    `\nenergy on a Puck.js band (${TYPICAL.walkingMinutesPerDay} min walking a day, ${band.batteryMah} mAh CR2032):`,
  );
  say(
    `  IMU pedometer (shipped):   ${e.hardwareUa.toFixed(0)} uA for counting, band total ${band.totalUa.toFixed(1)} uA = ${months(band.totalUa)} months`,
  );
  say(
    `  this counter in software:  ${e.softwareUa.toFixed(0)} uA for counting (350 uA accelerometer stream with a JS event per sample + ${e.counterCpuUa.toFixed(0)} uA CPU), band total ${soft.toFixed(0)} uA = ${months(soft)} months`,
  );
  const noCpu = band.totalUa - e.hardwareUa + ACCEL_STREAM_UA;
  say(
    `  (the stream alone, at zero CPU cost: band total ${noCpu.toFixed(0)} uA = ${months(noCpu)} months: on a Puck.js only the IMU pedometer fits)`,
  );
  const bangle = bandEnergy("banglejs2", TYPICAL);
  const bangleSoft = bangle.totalUa + e.counterCpuUa;
  say(
    `energy on a Bangle.js 2 band (${bangle.batteryMah} mAh, accelerometer on anyway): built-in counter ${bangle.totalUa.toFixed(0)} uA = ${bangle.lifeDays.toFixed(0)} days; this counter's CPU on top (${e.counterCpuUa.toFixed(0)} uA at Puck.js speed) ${bangleSoft.toFixed(0)} uA = ${((bangle.batteryMah * 1000) / bangleSoft / 24).toFixed(0)} days`,
  );
}
