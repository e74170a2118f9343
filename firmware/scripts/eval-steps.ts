// npm run eval:steps -- --data <dir> [--json]
// Runs the software step counter (src/steps/step-counter.ts) over the recordings listed in
// <dir>/truth.csv and prints true vs counted per file, the total absolute error (and Espruino's,
// from the truth file's third column), and false steps per 30 min on drives. The logic lives in
// src/steps/evaluate.ts; this script only resolves paths, reads files and prints.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { evaluate, parseTruth, reportJson, reportText } from "../src/steps/evaluate.js";
import { parseRecording, type Parsed, type Recording } from "../src/steps/recording.js";

const USAGE = "usage: npm run eval:steps -- --data <dir> [--json]";

function fail(message: string, code: number): never {
  console.error("eval:steps: " + message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: { data: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean" } },
    strict: true,
  });
} catch (e) {
  fail((e as Error).message + "\n" + USAGE, 2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!args.values.data) fail("--data <dir> is required\n" + USAGE, 2);

// npm runs the script with cwd = firmware/; a relative --data is meant from where npm was run.
const dir = resolve(process.env.INIT_CWD ?? process.cwd(), args.values.data);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`data directory not found: ${dir}`, 1);
const truthPath = join(dir, "truth.csv");
if (!existsSync(truthPath)) fail(`no truth.csv in ${dir}`, 1);

const truth = parseTruth(readFileSync(truthPath, "utf8"), truthPath);
if (!truth.ok) fail(truth.error, 1);

function load(file: string): Parsed<Recording> {
  const path = join(dir, file);
  if (!existsSync(path))
    return { ok: false, error: `${truthPath} lists ${file}, not found in ${dir}` };
  return parseRecording(readFileSync(path, "utf8"), path);
}

const report = evaluate(truth.value, load);
if (!report.ok) fail(report.error, 1);
console.log(args.values.json ? reportJson(report.value) : reportText(report.value));
