// Held-out evaluation (folds re-choose the tuned constants without the held-out part) and the
// augmentations of recordings.
import { describe, expect, it } from "vitest";
import {
  AUGMENTATIONS,
  randomRotation,
  resampleAt,
  rng,
  scaleMovement,
  transform,
} from "../../src/steps/augment.js";
import {
  augmentationGoal,
  holdout,
  holdoutText,
  type AugmentedFigures,
} from "../../src/steps/holdout-report.js";
import {
  activityClass,
  CLASSES,
  classFigures,
  gridCombos,
  schemes,
  TUNING_GRID,
  type HeldOutFile,
} from "../../src/steps/holdout.js";
import type { Recording } from "../../src/steps/recording.js";
import { STEP_COUNTER_DEFAULTS } from "../../src/steps/step-counter.js";
import { synthVibration, synthWalk } from "../../src/steps/synthetic.js";

function file(name: string, trueSteps: number, minutes: number): HeldOutFile {
  const rec: Recording = {
    timeMs: new Float64Array(0),
    x: new Int32Array(0),
    y: new Int32Array(0),
    z: new Int32Array(0),
    length: 0,
  };
  return {
    file: name,
    cls: activityClass(trueSteps, minutes),
    trueSteps,
    minutes,
    recording: rec,
  };
}

describe("folds", () => {
  it("classes come from truth and duration, not file names", () => {
    expect(activityClass(0, 30)).toBe("non-walking");
    expect(activityClass(100, 1.3)).toBe("short");
    expect(activityClass(1834, 15.6)).toBe("walk");
    expect(activityClass(390, 57)).toBe("mixed");
  });

  it("the grid holds the shipped defaults, first", () => {
    const combos = gridCombos(TUNING_GRID);
    let n = 1;
    for (const k of Object.keys(TUNING_GRID)) {
      const values = TUNING_GRID[k as keyof typeof TUNING_GRID]!;
      n *= values.length;
      expect(values).toContain(STEP_COUNTER_DEFAULTS[k as keyof typeof STEP_COUNTER_DEFAULTS]);
    }
    expect(combos.length).toBe(n);
    for (const [k, v] of Object.entries(combos[0]!))
      expect(v).toBe(STEP_COUNTER_DEFAULTS[k as keyof typeof STEP_COUNTER_DEFAULTS]);
  });

  it("a held-out file never chooses the constants it is scored with", () => {
    // combo 0 fits a and b, combo 1 fits only c: every fold picks 0, so c held out scores 50
    const files = [file("a", 100, 10), file("b", 100, 1), file("c", 0, 30)];
    const table = [
      [100, 100, 50],
      [10, 10, 0],
    ];
    const [inSample, loo, loao] = schemes(table, files);
    expect(inSample!.comboOf).toEqual([0, 0, 0]);
    expect(loo!.counted).toEqual([100, 100, 50]);
    expect(loao!.comboOf).toEqual([0, 0, 0]);
    // only b needs combo 1; without b the folds tie and keep the default (combo 0), so b held
    // out is scored with combo 0 (error 90) although in-sample picks combo 1 (error 0)
    const t2 = [
      [100, 10, 0],
      [100, 100, 0],
    ];
    const s2 = schemes(t2, files);
    expect(s2[0]!.comboOf).toEqual([1, 1, 1]);
    expect(s2[1]!.comboOf).toEqual([1, 0, 1]);
    expect(s2[2]!.comboOf).toEqual([1, 0, 1]);
    const figures = classFigures(files, s2[1]!.counted);
    expect(figures.find((f) => f.cls === "short")!.absError).toBe(90);
    expect(figures.find((f) => f.cls === "non-walking")!.falsePerHour).toBe(0);
  });
});

function magnitude(r: Recording, i: number): number {
  return Math.hypot(r.x[i]!, r.y[i]!, r.z[i]!);
}

describe("augmentations", () => {
  const walk = synthWalk({ steps: 60, cadenceHz: 2, seed: 3 });

  it("rotations keep |a| (to rounding) and move the axes", () => {
    const rot = transform(walk, randomRotation(rng(4)));
    let moved = 0;
    for (let i = 0; i < walk.length; i++) {
      expect(Math.abs(magnitude(rot, i) - magnitude(walk, i))).toBeLessThan(2);
      moved += Math.abs(rot.z[i]! - walk.z[i]!);
    }
    expect(moved / walk.length).toBeGreaterThan(500);
  });

  it("amplitude scaling keeps gravity and scales the movement", () => {
    const k = scaleMovement(walk, 1.5);
    let sum = 0;
    for (let i = 0; i < walk.length; i++) sum += k.z[i]! - walk.z[i]!;
    expect(Math.abs(sum / walk.length)).toBeLessThan(50);
    const span = (r: Recording) => Math.max(...r.z) - Math.min(...r.z);
    expect(span(k) / span(walk)).toBeGreaterThan(1.3);
  });

  it("resampling at the recorded instants returns the recording", () => {
    const same = resampleAt(walk, walk.timeMs);
    expect(Array.from(same.x)).toEqual(Array.from(walk.x));
    expect(Array.from(same.timeMs)).toEqual(Array.from(walk.timeMs));
  });

  it("timing variants have the timing they claim", () => {
    const byName = (n: string) => AUGMENTATIONS.find((a) => a.name === n)!.apply(walk, 1);
    const alt = byName("72/88 ms");
    expect(alt.timeMs[1]! - alt.timeMs[0]!).toBe(72);
    expect(alt.timeMs[2]! - alt.timeMs[1]!).toBe(88);
    const fast = byName("25 Hz");
    expect(fast.timeMs[1]! - fast.timeMs[0]!).toBe(40);
    const dropped = byName("dropped");
    let maxGap = 0;
    for (let i = 1; i < dropped.length; i++)
      maxGap = Math.max(maxGap, dropped.timeMs[i]! - dropped.timeMs[i - 1]!);
    expect(dropped.length).toBeLessThan(walk.length);
    expect(maxGap).toBeLessThanOrEqual(240);
  });
});

describe("augmented held-out figures", () => {
  it("split each variant's held-out error by class: the parts add up, non-walking = false steps", () => {
    const walk = synthWalk({ steps: 60, cadenceHz: 2, seed: 5 });
    const still = synthVibration(120, 0.003, 7);
    const files: HeldOutFile[] = [
      { file: "w", cls: activityClass(60, 0.5), trueSteps: 60, minutes: 0.5, recording: walk },
      { file: "s", cls: activityClass(0, 2), trueSteps: 0, minutes: 2, recording: still },
    ];
    const r = holdout(files, () => undefined, true);
    expect(r.augmented.map((a) => a.name)).toEqual(AUGMENTATIONS.map((a) => a.name));
    const nonWalking = CLASSES.indexOf("non-walking");
    for (const a of r.augmented) {
      expect(a.byClass.length).toBe(CLASSES.length);
      expect(a.byClass.reduce((x, y) => x + y, 0)).toBe(a.loao);
      expect(a.byClass[nonWalking]).toBe(a.falseSteps);
    }
    const text = holdoutText(r, files);
    for (const a of AUGMENTATIONS) expect(text).toContain(a.name);
  });
});

describe("the augmentation goal line", () => {
  const row = (name: string, ratio: number, falseSteps: number): AugmentedFigures => ({
    name: name,
    detail: "",
    inSample: 0,
    loao: 0,
    ratio: ratio,
    falseSteps: falseSteps,
    byClass: [],
  });

  it("is met only when every variant is within 10 % of plain with no false steps", () => {
    expect(augmentationGoal([row("a", 1.1, 0), row("b", 0.8, 0)])).toMatch(/: met$/);
    const line = augmentationGoal([row("a", 1.104, 0), row("b", 1, 3), row("c", 1.05, 0)]);
    expect(line).toContain("not met by 2: a +10.4%; b 3 false steps");
    expect(line).not.toContain("c ");
  });
});
