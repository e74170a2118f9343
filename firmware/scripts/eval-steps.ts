// npm run eval:steps -- --data <dir> [--json] [--no-augment]
// Runs the software step counter (src/steps/step-counter.ts) over the recordings listed in
// <dir>/truth.csv and prints true vs counted per file, the total absolute error (and Espruino's,
// from the truth file's third column), and false steps per 30 min on drives; then the held-out
// figures (leave-one-recording-out, leave-one-activity-out, tuned constants re-chosen per fold)
// per activity class, and every augmentation (timing, orientation, amplitude, rate) under the
// same folds. The logic lives in src/steps/evaluate.ts and holdout*.ts; this script only
// resolves paths, reads files and prints (progress on stderr).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { defineCommand, parseOrExit, usageError, userPath } from "@leiden-iot/protocol/cli";
import { evaluate, parseTruth, reportJson, reportText } from "../src/steps/evaluate.js";
import { holdout, holdoutText } from "../src/steps/holdout-report.js";
import { activityClass, type HeldOutFile } from "../src/steps/holdout.js";
import { parseRecording, type Parsed, type Recording } from "../src/steps/recording.js";

const EVAL = defineCommand({
  command: "npm run eval:steps --",
  summary:
    "Runs the software step counter over the recordings listed in <dir>/truth.csv: true vs\n" +
    "counted steps per file, total absolute error, false steps on drives, then held-out figures\n" +
    "(leave-one-recording-out, leave-one-activity-out) and every augmentation. Takes minutes.",
  options: {
    data: { value: "<dir>", help: "the recordings and their truth.csv (required)" },
    json: { kind: "boolean", help: "the per-file report as JSON only (no held-out figures)" },
    "no-augment": { kind: "boolean", help: "skip the augmentations (faster)" },
  },
  notes: "Relative paths resolve from the directory you run npm in.",
  examples: [
    "npm run eval:steps -- --data ../shared/data/steps",
    "npm run eval:steps -- --data ../shared/data/steps --json",
  ],
});

function fail(message: string, code: number): never {
  console.error("eval:steps: " + message);
  process.exit(code);
}

const args = parseOrExit(EVAL, process.argv.slice(2));
if (!args.values.data) usageError(EVAL, "--data <dir> is required");

// npm runs the script with cwd = firmware/; a relative --data is meant from where npm was run.
const dir = userPath(args.values.data);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`data directory not found: ${dir}`, 1);
const truthPath = join(dir, "truth.csv");
if (!existsSync(truthPath)) fail(`no truth.csv in ${dir}`, 1);

const truth = parseTruth(readFileSync(truthPath, "utf8"), truthPath);
if (!truth.ok) fail(truth.error, 1);

const loaded: Record<string, Recording> = {};
function load(file: string): Parsed<Recording> {
  const path = join(dir, file);
  if (!existsSync(path))
    return { ok: false, error: `${truthPath} lists ${file}, not found in ${dir}` };
  const r = parseRecording(readFileSync(path, "utf8"), path);
  if (r.ok) loaded[file] = r.value;
  return r;
}

const report = evaluate(truth.value, load);
if (!report.ok) fail(report.error, 1);
if (args.values.json) {
  console.log(reportJson(report.value));
  process.exit(0);
}
console.log(reportText(report.value));
const files: HeldOutFile[] = report.value.files.map((f) => ({
  file: f.file,
  cls: activityClass(f.trueSteps, f.minutes),
  trueSteps: f.trueSteps,
  minutes: f.minutes,
  recording: loaded[f.file]!,
}));
const started = Date.now();
const held = holdout(
  files,
  (what) =>
    process.stderr.write(`eval:steps: ${what} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`),
  !args.values["no-augment"],
);
console.log("\n" + holdoutText(held, files));
