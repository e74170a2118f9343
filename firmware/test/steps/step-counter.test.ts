// The software step counter on synthetic signals with a known answer.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { ESPRUINO_SUPPORTED } from "../../src/build/build-bundle.js";
import { checkBundle } from "../../src/build/bundle-check.js";
import { checkSourceSyntax } from "../../src/build/source-check.js";
import type { Recording } from "../../src/steps/recording.js";
import {
  countSteps,
  createStepCounter,
  ONE_G,
  StepCounter,
  STEP_COUNTER_DEFAULTS,
} from "../../src/steps/step-counter.js";
import { softwarePedometer } from "../../src/steps/software-pedometer.js";
import {
  concatRecordings,
  synthBump,
  synthesize,
  synthSine,
  synthVibration,
  synthWalk,
} from "../../src/steps/synthetic.js";

/** The files that run on a board (the rest of src/steps/ is Node-side evaluation). */
const COUNTER_FILES = [
  "counter-options.ts",
  "gait-filter.ts",
  "stride-rhythm.ts",
  "walk-gate.ts",
  "step-counter.ts",
  "software-pedometer.ts",
];

function count(rec: Recording): number {
  return countSteps(rec.x, rec.y, rec.z);
}

function still(seconds: number): Recording {
  return synthVibration(seconds, 0.003, 99);
}

describe("walking", () => {
  it.each([20, 50, 200, 1000])("a clean 2 Hz walk of %i steps counts them", (steps) => {
    expect(Math.abs(count(synthWalk({ steps: steps, cadenceHz: 2 })) - steps)).toBeLessThanOrEqual(
      1,
    );
  });

  it.each([1.2, 1.5, 1.8, 2.2, 2.6, 3])("cadence %f Hz: 300 steps within 3 %", (hz) => {
    const n = count(synthWalk({ steps: 300, cadenceHz: hz, seed: Math.round(hz * 10) }));
    expect(Math.abs(n - 300)).toBeLessThanOrEqual(9);
  });

  it("counts walks whose arm swing dominates (peaks once per stride)", () => {
    for (const asymmetry of [0.5, 1]) {
      const n = count(synthWalk({ steps: 300, cadenceHz: 1.9, asymmetry: asymmetry, seed: 5 }));
      expect(Math.abs(n - 300)).toBeLessThanOrEqual(9);
    }
  });

  it("counts gentle and vigorous walks", () => {
    for (const bounceG of [0.2, 0.6]) {
      const n = count(synthWalk({ steps: 200, cadenceHz: 1.7, bounceG: bounceG, seed: 8 }));
      expect(Math.abs(n - 200)).toBeLessThanOrEqual(6);
    }
  });

  it("is not fooled by sensor noise", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const n = count(synthWalk({ steps: 120, cadenceHz: 1.9, noiseG: 0.03, seed: seed }));
      expect(Math.abs(n - 120)).toBeLessThanOrEqual(4);
    }
  });

  it("counts two walks with a pause between them", () => {
    const rec = concatRecordings([
      synthWalk({ steps: 60, cadenceHz: 2, seed: 1 }),
      still(20),
      synthWalk({ steps: 80, cadenceHz: 1.6, seed: 2 }),
    ]);
    expect(Math.abs(count(rec) - 140)).toBeLessThanOrEqual(2);
  });

  it("credits the steps before the gate opened in one batch (retroactively)", () => {
    const rec = synthWalk({ steps: 60, cadenceHz: 2 });
    const c = new StepCounter();
    const credits: number[] = [];
    for (let i = 0; i < rec.length; i++) {
      const got = c.push(rec.x[i]!, rec.y[i]!, rec.z[i]!);
      if (got > 0) credits.push(got);
    }
    expect(credits[0]).toBeGreaterThanOrEqual(STEP_COUNTER_DEFAULTS.runPeaks);
    expect(credits.reduce((a, b) => a + b, 0)).toBe(c.count);
    expect(Math.abs(c.count - 60)).toBeLessThanOrEqual(1);
  });
});

describe("bout starts (retroactive crediting)", () => {
  // A few steps, one interval off the beat (a turn, a reach), then the same cadence again.
  const bout = (first: number, offBeatS: number, then: number): Recording =>
    concatRecordings([
      still(10),
      synthWalk({ steps: first, cadenceHz: 1.8, leadS: 0, tailS: offBeatS, seed: 3 }),
      synthWalk({ steps: then, cadenceHz: 1.8, leadS: 0, tailS: 5, seed: 4 }),
    ]);

  it.each([
    [5, 0.15],
    [6, 0.3],
  ])("%i steps, %f s off the beat, then 30 more: all counted", (first, offBeatS) => {
    expect(Math.abs(count(bout(first, offBeatS, 30)) - (first + 30))).toBeLessThanOrEqual(1);
  });

  it("the start alone, below the gate, still counts 0", () => {
    expect(count(bout(5, 0.15, 0))).toBe(0);
    expect(
      count(concatRecordings([still(10), synthWalk({ steps: 5, cadenceHz: 1.8, seed: 3 })])),
    ).toBe(0);
  });

  it.each([
    [1.4, 2.2],
    [2.4, 1.6],
  ])("a start at %f Hz is not credited to a walk at %f Hz that follows", (a, b) => {
    const rec = concatRecordings([
      still(10),
      synthWalk({ steps: 5, cadenceHz: a, leadS: 0, tailS: 0.15, seed: 3 }),
      synthWalk({ steps: 30, cadenceHz: b, leadS: 0, tailS: 5, seed: 4 }),
    ]);
    expect(Math.abs(count(rec) - 30)).toBeLessThanOrEqual(1);
  });
});

describe("sample timing", () => {
  // The same 2 Hz walk taken by a sensor whose clock is not 80 ms: counted from the time stamps.
  function countTimed(rec: Recording, times: number[]): number {
    const c = new StepCounter();
    for (let i = 0; i < rec.length; i++) c.push(rec.x[i]!, rec.y[i]!, rec.z[i]!, times[i]!);
    return c.count;
  }

  it("25 Hz input is 25 Hz: a 1.8 Hz walk sampled every 40 ms", () => {
    // the samples of a 0.9 Hz walk at 80 ms are those of a 1.8 Hz walk at 40 ms; a counter that
    // assumed 80 ms would see a shuffle too slow to be walking (and count 0)
    const rec = synthWalk({ steps: 200, cadenceHz: 0.9, seed: 4 });
    const times = Array.from({ length: rec.length }, (_v, i) => i * 40);
    expect(Math.abs(countTimed(rec, times) - 200)).toBeLessThanOrEqual(4);
  });

  it("dropped samples (gaps up to 240 ms) and repeated time stamps do not change the count", () => {
    const rec = synthWalk({ steps: 200, cadenceHz: 2, seed: 6 });
    const c = new StepCounter();
    for (let i = 0; i < rec.length; i++) {
      if (i % 7 === 3 || i % 7 === 4) continue; // two of every seven lost: 240 ms gaps
      c.push(rec.x[i]!, rec.y[i]!, rec.z[i]!, i * 80);
      if (i % 11 === 0) c.push(rec.x[i]!, rec.y[i]!, rec.z[i]!, i * 80); // duplicate
    }
    expect(Math.abs(c.count - 200)).toBeLessThanOrEqual(4);
  });

  it("a sensor that stops for a minute ends the walk instead of bridging it", () => {
    const a = synthWalk({ steps: 100, cadenceHz: 2, seed: 2 });
    const c = new StepCounter();
    for (let i = 0; i < a.length; i++) c.push(a.x[i]!, a.y[i]!, a.z[i]!, i * 80);
    const after = c.count;
    c.push(a.x[0]!, a.y[0]!, a.z[0]!, a.length * 80 + 60000);
    expect(c.count).toBe(after);
    expect(Math.abs(after - 100)).toBeLessThanOrEqual(2);
  });
});

describe("no steps", () => {
  it("silence counts 0, whatever the orientation", () => {
    expect(count(still(600))).toBe(0);
    const onSide = synthesize(7500, (_i, _t, g) => {
      g[0] = 0.6;
      g[1] = -0.8;
    });
    expect(count(onSide)).toBe(0);
  });

  it("a single bump counts 0, and so do a few", () => {
    expect(count(synthBump(30, 10, 2))).toBe(0);
    const knocks = concatRecordings([synthBump(3, 1, 1), synthBump(5, 1, 2), synthBump(2, 1, 0.7)]);
    expect(count(knocks)).toBe(0);
  });

  it("a short run of steps below the gate counts 0", () => {
    expect(count(synthWalk({ steps: 4, cadenceHz: 2 }))).toBe(0);
  });

  it.each([0.02, 0.05, 0.1, 0.3])("30 min of random vibration at %f g RMS counts ~0", (rms) => {
    expect(count(synthVibration(1800, rms, 11))).toBeLessThanOrEqual(2);
  });

  it.each([0.2, 0.4, 4, 5, 6])(
    "a steady %f Hz oscillation (outside the gait band) counts 0",
    (hz) => {
      expect(count(synthSine(600, hz, 0.3))).toBe(0);
    },
  );

  it("a one-bounce-per-second sway (slower than walking) is not read as strides", () => {
    expect(count(synthSine(300, 0.9, 0.3))).toBe(0);
  });
});

describe("API", () => {
  it("reset() returns to the power-on state", () => {
    const walk = synthWalk({ steps: 100, cadenceHz: 2 });
    const c = createStepCounter();
    for (let i = 0; i < walk.length; i++) c.push(walk.x[i]!, walk.y[i]!, walk.z[i]!);
    const first = c.count;
    expect(first).toBeGreaterThan(90);
    c.reset();
    expect(c.count).toBe(0);
    for (let i = 0; i < walk.length; i++) c.push(walk.x[i]!, walk.y[i]!, walk.z[i]!);
    expect(c.count).toBe(first);
  });

  it("pushG takes g, push takes raw units", () => {
    const walk = synthWalk({ steps: 100, cadenceHz: 2 });
    const a = new StepCounter();
    const b = new StepCounter();
    for (let i = 0; i < walk.length; i++) {
      a.push(walk.x[i]!, walk.y[i]!, walk.z[i]!);
      b.pushG(walk.x[i]! / ONE_G, walk.y[i]! / ONE_G, walk.z[i]! / ONE_G);
    }
    expect(b.count).toBe(a.count);
  });

  it("softwarePedometer reads like a HAL pedometer fed by an accelerometer", () => {
    let feed: ((x: number, y: number, z: number) => void) | null = null;
    let rate = 0;
    const pedometer = softwarePedometer({
      on: (hz, sample) => {
        rate = hz;
        feed = sample;
      },
      off: () => {
        feed = null;
      },
    });
    expect(pedometer.modulus).toBe(4294967296);
    expect(pedometer.read()).toBe(0);
    expect(pedometer.start()).toBe(true);
    expect(rate).toBe(12.5);
    const walk = synthWalk({ steps: 100, cadenceHz: 2 });
    for (let i = 0; i < walk.length; i++) feed!(walk.x[i]!, walk.y[i]!, walk.z[i]!);
    expect(Math.abs(pedometer.read()! - 100)).toBeLessThanOrEqual(1);
    pedometer.stop();
    expect(feed).toBeNull();
  });

  it("is Espruino-safe: passes the firmware build's source and bundle checks", async () => {
    for (const name of COUNTER_FILES) {
      const file = fileURLToPath(new URL("../../src/steps/" + name, import.meta.url));
      expect(checkSourceSyntax(file, readFileSync(file, "utf8"))).toEqual([]);
    }
    const built = await esbuild.build({
      stdin: {
        contents:
          'import { createStepCounter } from "./step-counter.ts";\n' +
          'import { softwarePedometer } from "./software-pedometer.ts";\n' +
          "var c = createStepCounter(); c.push(0, 0, 8192); c.pushG(0, 0, 1); c.reset();\n" +
          "var p = softwarePedometer({ on: function () {}, off: function () {} }); p.start(); p.read();",
        resolveDir: fileURLToPath(new URL("../../src/steps/", import.meta.url)),
        loader: "ts",
      },
      bundle: true,
      write: false,
      format: "iife",
      target: "es2015",
      supported: ESPRUINO_SUPPORTED,
      logLevel: "silent",
    });
    const code = built.outputFiles[0]!.text;
    expect(checkBundle(code, { file: "step-counter bundle" })).toEqual([]);
    expect(code).not.toContain("__publicField"); // fields are plain assignments, no defineProperty
  });
});
