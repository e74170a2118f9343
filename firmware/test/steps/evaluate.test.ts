// The evaluation behind `npm run eval:steps`: parsers, totals, and the CLI on a fixture folder.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  evaluate,
  parseTruth,
  reportJson,
  reportText,
  summarise,
  type FileResult,
} from "../../src/steps/evaluate.js";
import { formatRecording, parseRecording, type Recording } from "../../src/steps/recording.js";
import { FIXTURES } from "../fixtures/steps/generate.js";

const FIRMWARE = fileURLToPath(new URL("../../", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/steps/", import.meta.url));

function loadFixture(file: string) {
  return parseRecording(readFileSync(join(FIXTURE_DIR, file), "utf8"), file);
}

describe("parseRecording", () => {
  it("reads the header and samples, skipping blank lines", () => {
    const r = parseRecording("Time (ms),X,Y,Z\r\n85,-1852,2238,-7946\n165,1,2,3\n\n", "a.csv");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.length).toBe(2);
    expect(Array.from(r.value.z)).toEqual([-7946, 3]);
    expect(Array.from(r.value.timeMs)).toEqual([85, 165]);
  });

  it.each([
    ["Time,X,Y\n1,2,3\n", "a.csv line 1: expected the header"],
    ["Time (ms),X,Y,Z\n0,1,2,3\n80,1,2\n", "a.csv line 3: expected 4 fields"],
    ["Time (ms),X,Y,Z\n0,1,2,3\n80,1,x,3\n", 'a.csv line 3: Y "x" is not an integer'],
    ["Time (ms),X,Y,Z\n0,1,2,3\n80,1,2.5,3\n", 'a.csv line 3: Y "2.5" is not an integer'],
    ["Time (ms),X,Y,Z\nnow,1,2,3\n", 'a.csv line 2: time "now" is not a number'],
    ["Time (ms),X,Y,Z\n80,1,2,3\n0,1,2,3\n", "a.csv line 3: time 0 ms goes back"],
    ["Time (ms),X,Y,Z\n", "a.csv: no samples"],
  ])("rejects malformed input, naming file and line: %j", (text, message) => {
    const r = parseRecording(text, "a.csv");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it("round-trips through formatRecording", () => {
    const rec = FIXTURES["walk-40.csv"]();
    const back = parseRecording(formatRecording(rec), "x");
    expect(back.ok && Array.from(back.value.y)).toEqual(Array.from(rec.y));
  });
});

describe("parseTruth", () => {
  it("reads two or three columns, with or without a header", () => {
    const r = parseTruth("file,true_steps,espruino\na.csv,10,9\nb.csv,0\n", "truth.csv");
    expect(r).toEqual({
      ok: true,
      value: [
        { file: "a.csv", trueSteps: 10, espruino: 9 },
        { file: "b.csv", trueSteps: 0, espruino: null },
      ],
    });
    expect(parseTruth("a.csv,10\n", "t").ok).toBe(true);
  });

  it.each([
    ["file,true_steps\na.csv,ten\n", 'truth.csv line 2: true_steps "ten"'],
    ["file,true_steps\na.csv\n", "truth.csv line 2: expected file,true_steps"],
    ["file,true_steps\na.csv,1,2,3\n", "truth.csv line 2: expected file,true_steps"],
    ["file,true_steps\na.csv,1,-4\n", 'truth.csv line 2: espruino count "-4"'],
    ["file,true_steps\n../x.csv,1\n", 'truth.csv line 2: "../x.csv" is not a file name'],
    ["file,true_steps\na.csv,1\na.csv,2\n", "truth.csv line 3: a.csv is already listed on line 2"],
    ["file,true_steps\n", "truth.csv: no recordings listed"],
  ])("rejects %j", (text, message) => {
    const r = parseTruth(text, "truth.csv");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});

describe("totals", () => {
  const row = (file: string, t: number, c: number, e: number | null, min: number): FileResult => ({
    file: file,
    trueSteps: t,
    counted: c,
    espruino: e,
    minutes: min,
  });

  it("sums absolute errors, ours and Espruino's, and rates false steps on long zero-step files", () => {
    const r = summarise(
      [
        row("walk", 100, 90, 120, 1),
        row("walk2", 50, 55, 45, 1),
        row("drive1", 0, 3, 20, 20),
        row("drive2", 0, 6, 40, 40),
        row("short-still", 0, 1, 0, 2),
      ],
      10,
    );
    expect(r.totalAbsError).toBe(10 + 5 + 3 + 6 + 1);
    expect(r.espruinoTotalAbsError).toBe(20 + 5 + 20 + 40 + 0);
    expect(r.drives).toEqual({
      files: ["drive1", "drive2"],
      minutes: 60,
      falseSteps: 9,
      per30Min: 4.5,
      espruinoFalseSteps: 60,
      espruinoPer30Min: 30,
    });
  });

  it("leaves Espruino's figures out when the truth file has no third column", () => {
    const r = summarise([row("walk", 10, 9, null, 1), row("drive", 0, 2, null, 30)], 10);
    expect(r.espruinoTotalAbsError).toBeNull();
    expect(r.drives!.espruinoPer30Min).toBeNull();
    expect(r.drives!.per30Min).toBe(2);
    expect(reportText(r)).not.toContain("Espruino");
  });

  it("evaluates the fixture folder", () => {
    const truth = parseTruth(readFileSync(join(FIXTURE_DIR, "truth.csv"), "utf8"), "truth.csv");
    if (!truth.ok) throw new Error(truth.error);
    const r = evaluate(truth.value, loadFixture, { driveMinMinutes: 0.4 });
    if (!r.ok) throw new Error(r.error);
    const byFile: Record<string, number> = {};
    for (const f of r.value.files) byFile[f.file] = f.counted;
    expect(Math.abs(byFile["walk-40.csv"]! - 40)).toBeLessThanOrEqual(1);
    expect(byFile["still-0.csv"]).toBe(0);
    expect(byFile["bump-0.csv"]).toBe(0);
    expect(r.value.totalAbsError).toBe(Math.abs(byFile["walk-40.csv"]! - 40));
    expect(r.value.espruinoTotalAbsError).toBe(3 + 0 + 2);
    // still-0 lasts 0.5 min: a "drive" at this threshold; bump-0 (20 s) is too short
    expect(r.value.drives!.files).toEqual(["still-0.csv"]);
    expect(r.value.drives!.per30Min).toBe(0);
    expect(JSON.parse(reportJson(r.value))).toEqual([
      { file: "walk-40.csv", true: 40, counted: byFile["walk-40.csv"] },
      { file: "still-0.csv", true: 0, counted: 0 },
      { file: "bump-0.csv", true: 0, counted: 0 },
    ]);
  });

  it("stops at a recording that does not parse", () => {
    const r = evaluate([{ file: "x.csv", trueSteps: 1, espruino: null }], () =>
      parseRecording("Time (ms),X,Y,Z\n0,1,2\n", "x.csv"),
    );
    expect(r).toEqual({
      ok: false,
      error: 'x.csv line 2: expected 4 fields (time,x,y,z), got 3: "0,1,2"',
    });
  });

  it("the committed fixtures are what generate.ts produces", () => {
    for (const [name, make] of Object.entries(FIXTURES)) {
      const rec: Recording = make();
      expect(readFileSync(join(FIXTURE_DIR, name), "utf8")).toBe(formatRecording(rec));
    }
  });
});

describe("npm run eval:steps", () => {
  const tmp = mkdtempSync(join(tmpdir(), "eval-steps-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  // What `npm run eval:steps` runs (firmware/package.json), with npm's INIT_CWD.
  function cli(args: string[], initCwd: string): { code: number; out: string; err: string } {
    try {
      const out = execFileSync(
        process.execPath,
        ["--conditions=source", "--import", "tsx", "scripts/eval-steps.ts"].concat(args),
        {
          cwd: FIRMWARE,
          env: Object.assign({}, process.env, { INIT_CWD: initCwd }),
          encoding: "utf8",
          stdio: "pipe",
        },
      );
      return { code: 0, out: out, err: "" };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  }

  it("prints the table and totals; --data is relative to where npm was run", () => {
    const r = cli(["--data", "firmware/test/fixtures/steps"], REPO);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/walk-40\.csv\s+0\.5\s+40\s+\d+/);
    expect(r.out).toContain("total absolute error:");
    expect(r.out).toContain("total absolute error: 5 (Espruino, truth file)");
  });

  it("--json prints exactly [{file,true,counted}]", () => {
    const r = cli(["--data", ".", "--json"], FIXTURE_DIR);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    expect(rows.map((x) => Object.keys(x))).toEqual([
      ["file", "true", "counted"],
      ["file", "true", "counted"],
      ["file", "true", "counted"],
    ]);
    expect(rows[1]).toEqual({ file: "still-0.csv", true: 0, counted: 0 });
  });

  it("names a missing directory, a missing truth file and a malformed row", () => {
    let r = cli(["--data", join(tmp, "nope")], REPO);
    expect(r.code).toBe(1);
    expect(r.err).toContain("data directory not found: " + join(tmp, "nope"));

    const empty = join(tmp, "empty");
    mkdirSync(empty);
    r = cli(["--data", empty], REPO);
    expect(r.code).toBe(1);
    expect(r.err).toContain("no truth.csv in " + empty);

    const bad = join(tmp, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "truth.csv"), "file,true_steps\nw.csv,3\ngone.csv,1\n");
    writeFileSync(join(bad, "w.csv"), "Time (ms),X,Y,Z\n0,0,0,8192\n80,0,0,8192\n160,0,8192\n");
    r = cli(["--data", bad], REPO);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(bad, "w.csv") + " line 4: expected 4 fields");

    writeFileSync(join(bad, "w.csv"), "Time (ms),X,Y,Z\n0,0,0,8192\n");
    r = cli(["--data", bad], REPO);
    expect(r.err).toContain("lists gone.csv, not found in " + bad);

    r = cli([], REPO);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--data <dir> is required");
  });
});
