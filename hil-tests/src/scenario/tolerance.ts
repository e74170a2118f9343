// Tolerance checks shared by scenarios: each returns the tolerance text and the verdict together
// so a report never shows a tolerance the check did not use.
import type { Measurement, Tolerance } from "./types.js";

export function plusMinus(expected: number, delta: number, unit: string): Tolerance {
  return { text: `${expected} ± ${delta} ${unit}` };
}

export function within(
  value: number,
  expected: number,
  delta: number,
): { pass: boolean; error: number } {
  const error = value - expected;
  return { pass: Math.abs(error) <= delta, error: error };
}

export function atMost(limit: number, unit: string): Tolerance {
  return { text: `≤ ${limit} ${unit}` };
}

/** Combines checks: passes only when every check passed; details of failures first. */
export function allOf(
  measured: string,
  checks: { ok: boolean; say: string }[],
  figures: Record<string, number | string>,
): Measurement {
  const failed = checks.filter((c) => !c.ok).map((c) => c.say);
  const passed = checks.filter((c) => c.ok).map((c) => c.say);
  return {
    measured: measured,
    pass: failed.length === 0,
    detail: failed.length > 0 ? failed.join("; ") : passed.join("; "),
    figures: figures,
  };
}
