// The step counter on the real Espruino interpreter (Puck.js v2 build, 2630 variables): the
// bundle it would ship as passes the Espruino checks, counts exactly what Node counts on real
// recordings, and retains nothing per sample (feeding the 500 samples again adds at most a few
// variables).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { markedLine, runEspruino } from "../../bench/espruino.js";
import {
  benchScript,
  counterBundle,
  int16Samples,
  MARKER,
  parseBenchLine,
} from "../../bench/step-counter-bench.js";
import { parseRecording, type Recording } from "../../src/steps/recording.js";
import { countSteps } from "../../src/steps/step-counter.js";

const DATA = fileURLToPath(new URL("../../../../shared/data/steps", import.meta.url));

function load(file: string): Recording {
  const path = join(DATA, file);
  const r = parseRecording(readFileSync(path, "utf8"), path);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

let bundle = "";
beforeAll(async () => {
  bundle = await counterBundle();
}, 60_000);

describe("step counter on Espruino (puckjs2 build)", () => {
  for (const c of [
    { file: "HughB-walk-1834.csv", from: 0 },
    { file: "100_2.csv", from: 0 },
    { file: "HughB-drive-29min-0.csv", from: 6000 },
  ]) {
    it(`${c.file}: counts what Node counts, without growing memory`, async () => {
      const rec = load(c.file);
      const n = Math.min(500, rec.length - c.from);
      const end = c.from + n;
      const inNode = countSteps(
        rec.x.subarray(c.from, end),
        rec.y.subarray(c.from, end),
        rec.z.subarray(c.from, end),
      );
      const run = await runEspruino(
        "puckjs2",
        benchScript(bundle, int16Samples(rec, c.from, n), "counter"),
      );
      const line = parseBenchLine(markedLine(run.stdout, MARKER));
      expect(line.n).toBe(n);
      expect(line.count).toBe(inNode);
      // A number field that first turns from an integer into a float takes one more variable
      // (Espruino stores small integers inside the name); anything allocated per sample would
      // show as hundreds.
      expect(line.grew).toBeLessThanOrEqual(4);
      expect(line.vars).toBeGreaterThan(0);
      expect(line.vars).toBeLessThan(250); // fixed state: ~40 numbers and a 77-entry Float32Array
    }, 60_000);
  }

  it("the walk segment has steps and the drive none (the comparison is not vacuous)", () => {
    const w = load("HughB-walk-1834.csv");
    expect(
      countSteps(w.x.subarray(0, 500), w.y.subarray(0, 500), w.z.subarray(0, 500)),
    ).toBeGreaterThan(50);
  });
});
