// Evaluation of the step counter against recordings with known step counts: the pure part of
// `npm run eval:steps` (the script only reads files and prints). Node-side.
import { durationMinutes, textLines, type Parsed, type Recording } from "./recording.js";
import { countSteps, STEP_COUNTER_DEFAULTS, type StepCounterOptions } from "./step-counter.js";

export interface TruthRow {
  file: string;
  trueSteps: number;
  /** The third column when present: Espruino's own counter on the same recording. */
  espruino: number | null;
}

/** Recordings with truth 0 that last at least this long are drives (car rides, no steps). */
export const DRIVE_MIN_MINUTES = 10;

const COUNT = /^\d+$/;

/**
 * Parses truth.csv: a header, then `file,true_steps[,espruino_count]` per line. The header is
 * recognised by a non-numeric second field. Errors name `name` and the 1-based line.
 */
export function parseTruth(text: string, name: string): Parsed<TruthRow[]> {
  const lines = textLines(text);
  const rows: TruthRow[] = [];
  const seen: Record<string, number> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const where = `${name} line ${i + 1}`;
    const f = line.split(",").map((s) => s.trim());
    if (i === 0 && f.length >= 2 && !COUNT.test(f[1]!)) continue; // header
    if (f.length < 2 || f.length > 3) {
      return {
        ok: false,
        error: `${where}: expected file,true_steps[,espruino_count], got "${line}"`,
      };
    }
    const file = f[0]!;
    if (file === "" || file.includes("/") || file.includes("\\") || file === "..") {
      return { ok: false, error: `${where}: "${file}" is not a file name in the data directory` };
    }
    if (!COUNT.test(f[1]!)) {
      return { ok: false, error: `${where}: true_steps "${f[1]}" is not a whole number` };
    }
    let espruino: number | null = null;
    if (f.length === 3 && f[2] !== "") {
      if (!COUNT.test(f[2]!)) {
        return { ok: false, error: `${where}: espruino count "${f[2]}" is not a whole number` };
      }
      espruino = Number(f[2]);
    }
    if (seen[file] !== undefined) {
      return { ok: false, error: `${where}: ${file} is already listed on line ${seen[file]}` };
    }
    seen[file] = i + 1;
    rows.push({ file: file, trueSteps: Number(f[1]), espruino: espruino });
  }
  if (rows.length === 0) return { ok: false, error: `${name}: no recordings listed` };
  return { ok: true, value: rows };
}

export interface FileResult {
  file: string;
  trueSteps: number;
  counted: number;
  espruino: number | null;
  minutes: number;
}

export interface DriveSummary {
  files: string[];
  minutes: number;
  falseSteps: number;
  per30Min: number;
  /** Espruino's false steps on the same files, when the truth file has its counts for all. */
  espruinoFalseSteps: number | null;
  espruinoPer30Min: number | null;
}

export interface EvalReport {
  files: FileResult[];
  totalAbsError: number;
  /** Espruino's total absolute error over the files that have its count (null: none have). */
  espruinoTotalAbsError: number | null;
  /** null when no recording qualifies as a drive. */
  drives: DriveSummary | null;
  /** The shortest zero-step recording that counted as a drive. */
  driveMinMinutes: number;
}

export interface EvalOptions {
  /** Counter overrides (research only; the CLI uses the defaults). */
  counter?: Partial<StepCounterOptions>;
  /** Shortest zero-step recording counted as a drive (default DRIVE_MIN_MINUTES). */
  driveMinMinutes?: number;
}

/**
 * Runs a fresh counter over every recording in `truth`. `load` returns a recording by file name
 * (or an error naming the file and line). Stops at the first error.
 */
export function evaluate(
  truth: TruthRow[],
  load: (file: string) => Parsed<Recording>,
  options?: EvalOptions,
): Parsed<EvalReport> {
  const opts = options ?? {};
  const rate = opts.counter?.sampleRateHz ?? STEP_COUNTER_DEFAULTS.sampleRateHz;
  const driveMin = opts.driveMinMinutes ?? DRIVE_MIN_MINUTES;
  const files: FileResult[] = [];
  for (const row of truth) {
    const rec = load(row.file);
    if (!rec.ok) return rec;
    files.push({
      file: row.file,
      trueSteps: row.trueSteps,
      counted: countSteps(rec.value.x, rec.value.y, rec.value.z, opts.counter, rec.value.timeMs),
      espruino: row.espruino,
      minutes: durationMinutes(rec.value, rate),
    });
  }
  return { ok: true, value: summarise(files, driveMin) };
}

/** Totals and the drive summary for per-file results. */
export function summarise(files: FileResult[], driveMinMinutes: number): EvalReport {
  let total = 0;
  let espTotal: number | null = null;
  for (const f of files) {
    total += Math.abs(f.counted - f.trueSteps);
    if (f.espruino !== null) espTotal = (espTotal ?? 0) + Math.abs(f.espruino - f.trueSteps);
  }
  const drives = files.filter((f) => f.trueSteps === 0 && f.minutes >= driveMinMinutes);
  let summary: DriveSummary | null = null;
  if (drives.length > 0) {
    let minutes = 0;
    let falseSteps = 0;
    let espFalse: number | null = 0;
    for (const d of drives) {
      minutes += d.minutes;
      falseSteps += d.counted;
      espFalse = d.espruino === null || espFalse === null ? null : espFalse + d.espruino;
    }
    summary = {
      files: drives.map((d) => d.file),
      minutes: minutes,
      falseSteps: falseSteps,
      per30Min: (falseSteps / minutes) * 30,
      espruinoFalseSteps: espFalse,
      espruinoPer30Min: espFalse === null ? null : (espFalse / minutes) * 30,
    };
  }
  return {
    files: files,
    totalAbsError: total,
    espruinoTotalAbsError: espTotal,
    drives: summary,
    driveMinMinutes: driveMinMinutes,
  };
}

/** `--json`: exactly [{"file":..,"true":..,"counted":..}]. */
export function reportJson(report: EvalReport): string {
  return JSON.stringify(
    report.files.map((f) => ({ file: f.file, true: f.trueSteps, counted: f.counted })),
  );
}

function signed(n: number): string {
  return n > 0 ? "+" + n : String(n);
}

/** The human-readable table and totals. */
export function reportText(report: EvalReport): string {
  const withEsp = report.files.some((f) => f.espruino !== null);
  const width = Math.max(4, ...report.files.map((f) => f.file.length));
  const head = ["file".padEnd(width), "min".padStart(6), "true".padStart(6), "counted".padStart(8)];
  head.push("error".padStart(6));
  if (withEsp) head.push("espruino".padStart(9), "esp.err".padStart(8));
  const out: string[] = [head.join("  ")];
  for (const f of report.files) {
    const row = [
      f.file.padEnd(width),
      f.minutes.toFixed(1).padStart(6),
      String(f.trueSteps).padStart(6),
      String(f.counted).padStart(8),
      signed(f.counted - f.trueSteps).padStart(6),
    ];
    if (withEsp) {
      row.push(
        (f.espruino === null ? "-" : String(f.espruino)).padStart(9),
        (f.espruino === null ? "-" : signed(f.espruino - f.trueSteps)).padStart(8),
      );
    }
    out.push(row.join("  "));
  }
  out.push("");
  out.push(`total absolute error: ${report.totalAbsError} (this counter)`);
  if (report.espruinoTotalAbsError !== null) {
    out.push(`total absolute error: ${report.espruinoTotalAbsError} (Espruino, truth file)`);
  }
  const d = report.drives;
  if (d === null) {
    out.push(
      `drives: none (no recording with 0 true steps lasting >= ${report.driveMinMinutes} min)`,
    );
  } else {
    out.push(
      `drives (${d.files.length} recordings with 0 true steps, ${d.minutes.toFixed(1)} min): ` +
        `${d.falseSteps} false steps = ${d.per30Min.toFixed(1)} per 30 min (this counter)`,
    );
    if (d.espruinoFalseSteps !== null && d.espruinoPer30Min !== null) {
      out.push(
        `drives: ${d.espruinoFalseSteps} false steps = ${d.espruinoPer30Min.toFixed(1)} per 30 min (Espruino)`,
      );
    }
  }
  return out.join("\n");
}
