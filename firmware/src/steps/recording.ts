// Wrist accelerometer recordings (format: ../shared/data/steps/README.md): CSV with the header
// `Time (ms),X,Y,Z`, one sample per line at 12.5 Hz, raw integers with 8192 = 1 g.
// Node-side (eval CLI, tests, simulator input). Parsers return values and never throw: an error
// names the file and the 1-based line, as an editor shows it.

export interface Recording {
  /** Sample times in ms, as recorded. */
  timeMs: Float64Array;
  x: Int32Array;
  y: Int32Array;
  z: Int32Array;
  length: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Lines of a text file without the line terminators and a leading byte-order mark. */
export function textLines(text: string): string[] {
  return text.replace(/^\uFEFF/, "").split(/\r?\n/);
}

/**
 * Parses one recording. Blank lines (a trailing newline) are skipped; anything else that is not
 * `time,x,y,z` with a numeric time and integer axes is an error, never dropped silently: a dropped
 * sample changes the count.
 */
export function parseRecording(text: string, name: string): Parsed<Recording> {
  const lines = textLines(text);
  const header = (lines[0] ?? "").trim();
  const cols = header.split(",").map((c) => c.trim().toLowerCase());
  if (
    cols.length !== 4 ||
    !cols[0]!.startsWith("time") ||
    cols[1] !== "x" ||
    cols[2] !== "y" ||
    cols[3] !== "z"
  ) {
    return {
      ok: false,
      error: `${name} line 1: expected the header "Time (ms),X,Y,Z", got "${header}"`,
    };
  }
  let n = 0;
  for (let i = 1; i < lines.length; i++) if (lines[i]!.trim() !== "") n++;
  if (n === 0) return { ok: false, error: `${name}: no samples after the header` };
  const rec: Recording = {
    timeMs: new Float64Array(n),
    x: new Int32Array(n),
    y: new Int32Array(n),
    z: new Int32Array(n),
    length: n,
  };
  let k = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const where = `${name} line ${i + 1}`;
    const f = line.split(",").map((s) => s.trim());
    if (f.length !== 4) {
      return {
        ok: false,
        error: `${where}: expected 4 fields (time,x,y,z), got ${f.length}: "${line}"`,
      };
    }
    if (!NUM.test(f[0]!)) return { ok: false, error: `${where}: time "${f[0]}" is not a number` };
    for (let c = 1; c < 4; c++) {
      if (!INT.test(f[c]!)) {
        return { ok: false, error: `${where}: ${"XYZ"[c - 1]} "${f[c]}" is not an integer` };
      }
    }
    const t = Number(f[0]);
    if (k > 0 && t < rec.timeMs[k - 1]!) {
      return {
        ok: false,
        error: `${where}: time ${t} ms goes back (previous ${rec.timeMs[k - 1]} ms)`,
      };
    }
    rec.timeMs[k] = t;
    rec.x[k] = Number(f[1]);
    rec.y[k] = Number(f[2]);
    rec.z[k] = Number(f[3]);
    k++;
  }
  return { ok: true, value: rec };
}

/** Recorded duration in minutes: first to last timestamp plus one sample period. */
export function durationMinutes(rec: Recording, sampleRateHz: number): number {
  if (rec.length === 0) return 0;
  return (rec.timeMs[rec.length - 1]! - rec.timeMs[0]! + 1000 / sampleRateHz) / 60000;
}

/** A recording as CSV text in the same format (fixtures, simulator input). */
export function formatRecording(rec: Recording): string {
  const out: string[] = ["Time (ms),X,Y,Z"];
  for (let i = 0; i < rec.length; i++) {
    out.push(`${rec.timeMs[i]},${rec.x[i]},${rec.y[i]},${rec.z[i]}`);
  }
  return out.join("\n") + "\n";
}
