// The held-out part of `npm run eval:steps`: LOO / LOAO with the grid re-chosen per fold, per
// class figures, and every augmentation under the same folds. Pure apart from `progress`.
import { AUGMENTATIONS } from "./augment.js";
import {
  CLASSES,
  classFigures,
  countOne,
  countTable,
  describeCombo,
  gridCombos,
  schemes,
  totalAbsError,
  TUNING_GRID,
  walkMixedMape,
  type ClassFigures,
  type HeldOutFile,
  type Scheme,
} from "./holdout.js";
import type { StepCounterOptions } from "./step-counter.js";

export interface AugmentedFigures {
  name: string;
  detail: string;
  /** Total absolute error in-sample (shipped constants) and leave-one-activity-out. */
  inSample: number;
  loao: number;
  /** Held-out total relative to the plain files' held-out total (1.1 = 10 % worse). */
  ratio: number;
  /** False steps on the non-walking files (held out). */
  falseSteps: number;
  /** Held-out absolute error per activity class, in CLASSES order (0 for a class without files). */
  byClass: number[];
}

export interface HoldoutReport {
  combos: Partial<StepCounterOptions>[];
  schemes: Scheme[];
  perClass: { scheme: Scheme["name"]; figures: ClassFigures[]; total: number; mape: number }[];
  augmented: AugmentedFigures[];
}

export function holdout(
  files: HeldOutFile[],
  progress: (what: string) => void,
  withAugmentations: boolean,
): HoldoutReport {
  const combos = gridCombos(TUNING_GRID);
  const table = countTable(files, combos, (done, total) => {
    if (done === total || done % 3 === 0) progress(`grid ${done}/${total}`);
  });
  const sch = schemes(table, files);
  const perClass = sch.map((s) => ({
    scheme: s.name,
    figures: classFigures(files, s.counted),
    total: totalAbsError(files, s.counted),
    mape: walkMixedMape(files, s.counted),
  }));
  const augmented: AugmentedFigures[] = [];
  const loao = sch[2]!;
  const plainLoao = totalAbsError(files, loao.counted);
  if (withAugmentations) {
    for (const a of AUGMENTATIONS) {
      progress("augmentation " + a.name);
      const recs = files.map((f, i) => a.apply(f.recording, 1000 + i));
      const inSample = recs.map((r) => countOne(r, combos[sch[0]!.comboOf[0]!]!));
      const held = recs.map((r, i) => countOne(r, combos[loao.comboOf[i]!]!));
      let falseSteps = 0;
      for (let i = 0; i < files.length; i++) if (files[i]!.trueSteps === 0) falseSteps += held[i]!;
      const heldErr = totalAbsError(files, held);
      augmented.push({
        name: a.name,
        detail: a.detail,
        inSample: totalAbsError(files, inSample),
        loao: heldErr,
        ratio: plainLoao > 0 ? heldErr / plainLoao : heldErr === 0 ? 1 : Infinity,
        falseSteps: falseSteps,
        byClass: CLASSES.map((cls) => {
          let err = 0;
          for (let i = 0; i < files.length; i++)
            if (files[i]!.cls === cls) err += Math.abs(held[i]! - files[i]!.trueSteps);
          return err;
        }),
      });
    }
  }
  return { combos: combos, schemes: sch, perClass: perClass, augmented: augmented };
}

/** Issue 13's robustness goal: no variant more than this much above the plain held-out total. */
export const AUGMENTED_MAX_RATIO = 1.1;

/** One line: is every variant within AUGMENTED_MAX_RATIO of plain, with 0 false steps? */
export function augmentationGoal(augmented: AugmentedFigures[]): string {
  const misses: string[] = [];
  for (const a of augmented) {
    const why: string[] = [];
    if (a.ratio > AUGMENTED_MAX_RATIO) why.push("+" + ((a.ratio - 1) * 100).toFixed(1) + "%");
    if (a.falseSteps > 0) why.push(a.falseSteps + " false steps");
    if (why.length > 0) misses.push(a.name + " " + why.join(", "));
  }
  const goal = `goal (every variant <= +${Math.round((AUGMENTED_MAX_RATIO - 1) * 100)}% of plain, 0 false steps): `;
  return goal + (misses.length === 0 ? "met" : `not met by ${misses.length}: ` + misses.join("; "));
}

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

export function holdoutText(r: HoldoutReport, files: HeldOutFile[]): string {
  const out: string[] = [];
  const grid = Object.keys(TUNING_GRID)
    .map((k) => k + " {" + TUNING_GRID[k as keyof StepCounterOptions]!.join(", ") + "}")
    .join(", ");
  out.push(`tuned constants re-chosen per fold from ${r.combos.length} combinations: ${grid}`);
  out.push(
    "chosen on all files (in-sample): " +
      describeCombo(r.combos[r.schemes[0]!.comboOf[0]!]!) +
      "   (* = differs from the shipped default)",
  );
  const loao = r.schemes[2]!;
  const seen: Record<string, boolean> = {};
  for (let i = 0; i < files.length; i++) {
    const cls = files[i]!.cls;
    if (seen[cls]) continue;
    seen[cls] = true;
    out.push(`  without ${cls}: ` + describeCombo(r.combos[loao.comboOf[i]!]!));
  }
  out.push("");
  out.push(
    [
      "class".padEnd(12),
      pad("files", 5),
      pad("true", 6),
      "  " + "in-sample".padStart(17),
      "  " + "leave-1-out".padStart(17),
      "  " + "leave-1-activity".padStart(17),
    ].join(" "),
  );
  out.push(" ".repeat(27) + "   counted err MAPE/FPH".repeat(3));
  const classes = r.perClass[0]!.figures;
  for (let c = 0; c < classes.length; c++) {
    const row = [
      classes[c]!.cls.padEnd(12),
      pad(classes[c]!.files, 5),
      pad(classes[c]!.trueSteps, 6),
    ];
    for (const s of r.perClass) {
      const f = s.figures[c]!;
      const rate = f.mape !== null ? f.mape.toFixed(1) + "%" : f.falsePerHour!.toFixed(1) + "/h";
      row.push("  " + pad(f.counted, 7) + pad(f.absError, 5) + pad(rate, 8));
    }
    out.push(row.join(" "));
  }
  out.push(
    "total abs error".padEnd(25) +
      r.perClass.map((s) => "  " + pad(s.total, 12) + " ".repeat(9)).join(""),
  );
  out.push(
    "MAPE walk+mixed".padEnd(25) +
      r.perClass.map((s) => "  " + pad(s.mape.toFixed(1) + "%", 12) + " ".repeat(9)).join(""),
  );
  out.push("(MAPE: walk, mixed and short classes; FPH: false steps per hour on non-walking files)");
  if (r.augmented.length > 0) {
    const plain = r.perClass[2]!.total;
    out.push("");
    out.push(`augmented copies of every file (leave-one-activity-out plain total: ${plain})`);
    const plainByClass = r.perClass[2]!.figures;
    out.push(
      "variant".padEnd(18) +
        pad("in-sample", 10) +
        pad("LOAO", 7) +
        pad("vs plain", 10) +
        pad("false", 7) +
        CLASSES.map((c) => pad(c.slice(0, 7), 9)).join("") +
        "   what",
    );
    out.push(
      "(plain)".padEnd(18) +
        pad("", 10) +
        pad(plain, 7) +
        pad("", 10) +
        pad("", 7) +
        CLASSES.map((c) => {
          const f = plainByClass.find((x) => x.cls === c);
          return pad(f ? f.absError : 0, 9);
        }).join("") +
        "   held-out error per class of the plain files",
    );
    for (const a of r.augmented) {
      const pct = ((a.ratio - 1) * 100).toFixed(1);
      out.push(
        a.name.padEnd(18) +
          pad(a.inSample, 10) +
          pad(a.loao, 7) +
          pad((a.ratio >= 1 ? "+" : "") + pct + "%", 10) +
          pad(a.falseSteps, 7) +
          a.byClass.map((e) => pad(e, 9)).join("") +
          "   " +
          a.detail,
      );
    }
    out.push(augmentationGoal(r.augmented));
  }
  return out.join("\n");
}
