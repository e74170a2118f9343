// Turns a scenario's checks into its measurement: it passes only when every check passed, and the
// detail says which failed (or, on a pass, the figures behind it).
import type { Measurement } from "./types.js";

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
