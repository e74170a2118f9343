// Held-out evaluation of the step counter: leave-one-recording-out (LOO) and
// leave-one-activity-out (LOAO), where every tuned constant is re-chosen by a small grid search
// on the training part only. The held-out figures predict recordings the counter has never seen;
// the in-sample ones do not (issue 13). Pure: recordings come in, numbers go out. Node-side.
import type { Recording } from "./recording.js";
import { countSteps, STEP_COUNTER_DEFAULTS, type StepCounterOptions } from "./step-counter.js";

/** The activity classes recordings are held out by. */
export type ActivityClass = "walk" | "mixed" | "non-walking" | "short";
export const CLASSES: ActivityClass[] = ["walk", "mixed", "non-walking", "short"];

/** A recording shorter than this with steps is a short counted walk (the 100-step files). */
export const SHORT_MAX_MINUTES = 5;
/** At least this many steps per minute over the whole recording: a walk; fewer: mixed activity. */
export const WALK_MIN_STEPS_PER_MINUTE = 60;

/** The class of a recording, from its truth and duration only (never its name). */
export function activityClass(trueSteps: number, minutes: number): ActivityClass {
  if (trueSteps === 0) return "non-walking";
  if (minutes < SHORT_MAX_MINUTES) return "short";
  return trueSteps / minutes >= WALK_MIN_STEPS_PER_MINUTE ? "walk" : "mixed";
}

/**
 * The tuned constants and their candidates. Every other constant of the counter is set by a
 * physical argument (step-counter.ts) and stays fixed. The shipped defaults must be candidates.
 */
export const TUNING_GRID: Partial<Record<keyof StepCounterOptions, number[]>> = {
  entryCorr: [0.6, 0.7, 0.8],
  // at least 6: the rhythm test compares the run with itself one stride later, so it needs a
  // run of three strides for two strides of overlap; with 4 peaks (two strides) one stride is
  // compared with the next, which a single bump train passes (a drive did, at 0.09 g)
  runPeaks: [6, 8, 10],
  minRmsG: [0.04, 0.05, 0.065],
};

/** Every combination of the grid, the shipped defaults first (ties go to the defaults). */
export function gridCombos(
  grid: Partial<Record<keyof StepCounterOptions, number[]>>,
): Partial<StepCounterOptions>[] {
  let combos: Partial<StepCounterOptions>[] = [{}];
  for (const key of Object.keys(grid) as (keyof StepCounterOptions)[]) {
    const values = grid[key]!.slice(0);
    const d = STEP_COUNTER_DEFAULTS[key] as number;
    values.sort((a, b) => (a === d ? -1 : b === d ? 1 : 0));
    const next: Partial<StepCounterOptions>[] = [];
    for (const c of combos) for (const v of values) next.push(Object.assign({}, c, { [key]: v }));
    combos = next;
  }
  return combos;
}

export interface HeldOutFile {
  file: string;
  cls: ActivityClass;
  trueSteps: number;
  minutes: number;
  recording: Recording;
}

/** counts[combo][file]: steps counted on each file with each grid combination. */
export type CountTable = number[][];

/** Counts every file with every combination; `progress(done, total)` after each combination. */
export function countTable(
  files: HeldOutFile[],
  combos: Partial<StepCounterOptions>[],
  progress?: (done: number, total: number) => void,
): CountTable {
  const table: CountTable = [];
  for (let c = 0; c < combos.length; c++) {
    table.push(files.map((f) => countOne(f.recording, combos[c]!)));
    if (progress) progress(c + 1, combos.length);
  }
  return table;
}

export function countOne(rec: Recording, options: Partial<StepCounterOptions>): number {
  return countSteps(rec.x, rec.y, rec.z, options, rec.timeMs);
}

/** The combination with the least total absolute error over the files where `train` is true. */
export function choose(table: CountTable, files: HeldOutFile[], train: boolean[]): number {
  let best = 0;
  let bestErr = Infinity;
  for (let c = 0; c < table.length; c++) {
    let err = 0;
    for (let i = 0; i < files.length; i++)
      if (train[i]) err += Math.abs(table[c]![i]! - files[i]!.trueSteps);
    if (err < bestErr) {
      bestErr = err;
      best = c;
    }
  }
  return best;
}

export interface Scheme {
  name: "in-sample" | "leave-one-out" | "leave-one-activity-out";
  /** The combination used for each file (chosen without it, except in-sample). */
  comboOf: number[];
  /** What was counted on each file with that combination. */
  counted: number[];
}

/** The three schemes: in-sample (chosen on all files), LOO (per file), LOAO (per class). */
export function schemes(table: CountTable, files: HeldOutFile[]): Scheme[] {
  const all = choose(
    table,
    files,
    files.map(() => true),
  );
  const loo = files.map((_f, i) =>
    choose(
      table,
      files,
      files.map((_g, j) => j !== i),
    ),
  );
  const byClass: Record<string, number> = {};
  for (const cls of CLASSES)
    byClass[cls] = choose(
      table,
      files,
      files.map((g) => g.cls !== cls),
    );
  const loao = files.map((f) => byClass[f.cls]!);
  const make = (name: Scheme["name"], comboOf: number[]): Scheme => ({
    name: name,
    comboOf: comboOf,
    counted: comboOf.map((c, i) => table[c]![i]!),
  });
  return [
    make(
      "in-sample",
      files.map(() => all),
    ),
    make("leave-one-out", loo),
    make("leave-one-activity-out", loao),
  ];
}

export interface ClassFigures {
  cls: ActivityClass;
  files: number;
  trueSteps: number;
  counted: number;
  absError: number;
  /** Mean absolute percentage error over the class's files (null for 0-step classes). */
  mape: number | null;
  /** False steps per hour (0-step classes only). */
  falsePerHour: number | null;
}

/** Per-class totals of one scheme (or of any per-file counts). */
export function classFigures(files: HeldOutFile[], counted: number[]): ClassFigures[] {
  const out: ClassFigures[] = [];
  for (const cls of CLASSES) {
    let n = 0;
    let t = 0;
    let c = 0;
    let err = 0;
    let pct = 0;
    let minutes = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      if (f.cls !== cls) continue;
      n++;
      t += f.trueSteps;
      c += counted[i]!;
      err += Math.abs(counted[i]! - f.trueSteps);
      if (f.trueSteps > 0) pct += Math.abs(counted[i]! - f.trueSteps) / f.trueSteps;
      minutes += f.minutes;
    }
    if (n === 0) continue;
    out.push({
      cls: cls,
      files: n,
      trueSteps: t,
      counted: c,
      absError: err,
      mape: t > 0 ? (100 * pct) / n : null,
      falsePerHour: t === 0 ? (c / minutes) * 60 : null,
    });
  }
  return out;
}

/** Total absolute error of per-file counts. */
export function totalAbsError(files: HeldOutFile[], counted: number[]): number {
  let err = 0;
  for (let i = 0; i < files.length; i++) err += Math.abs(counted[i]! - files[i]!.trueSteps);
  return err;
}

/** MAPE (%) over the walk and mixed files together. */
export function walkMixedMape(files: HeldOutFile[], counted: number[]): number {
  let n = 0;
  let pct = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (f.cls !== "walk" && f.cls !== "mixed") continue;
    n++;
    pct += Math.abs(counted[i]! - f.trueSteps) / f.trueSteps;
  }
  return n === 0 ? 0 : (100 * pct) / n;
}

/** A grid combination as `key=value ...` (the defaults are marked). */
export function describeCombo(combo: Partial<StepCounterOptions>): string {
  return Object.keys(combo)
    .map((k) => {
      const v = combo[k as keyof StepCounterOptions];
      return k + "=" + v + (STEP_COUNTER_DEFAULTS[k as keyof StepCounterOptions] === v ? "" : "*");
    })
    .join(" ");
}
