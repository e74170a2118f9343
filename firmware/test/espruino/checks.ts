// What every run on the interpreter must show, whatever the scenario: it ran to its end, the
// interpreter reported no error, and memory stayed within the budget at every sample.
import { expect } from "vitest";
import { BOARD_VARS, type InterpreterBoard } from "./interpreter.js";
import type { RunReport } from "./report.js";

/** Peak use allowed: 60% of the board's variables (>= 40% free at every sample). */
export const MEMORY_BUDGET = 0.6;

/**
 * The firmware's own variables: the report's figure minus what the stand-ins themselves hold
 * after loading (on a board NRF, Puck, Bangle are native and take no variables). What the
 * stand-ins allocate later (timers, scans) is left in: the figures are never kinder than a board.
 */
export interface MemoryFigures {
  board: InterpreterBoard;
  total: number;
  standIns: number;
  boot: number;
  steady: number;
  peak: number;
  peakAt: string;
}

export function memoryFigures(board: InterpreterBoard, r: RunReport): MemoryFigures {
  const base = r.boot?.standIns ?? 0;
  return {
    board,
    total: BOARD_VARS[board],
    standIns: base,
    boot: (r.boot?.used ?? 0) - base,
    steady: r.steady - base,
    peak: r.peak - base,
    peakAt: r.peakAt,
  };
}

export function formatFigures(name: string, m: MemoryFigures): string {
  const pct = (v: number): string => ((100 * v) / m.total).toFixed(0) + "%";
  return (
    name +
    ": boot " +
    m.boot +
    " (" +
    pct(m.boot) +
    "), steady " +
    m.steady +
    " (" +
    pct(m.steady) +
    "), peak " +
    m.peak +
    " (" +
    pct(m.peak) +
    ", at " +
    m.peakAt +
    ") of " +
    m.total +
    " vars; stand-ins " +
    m.standIns
  );
}

export function expectHealthyRun(
  board: InterpreterBoard,
  r: RunReport,
  budget: number = MEMORY_BUDGET,
): MemoryFigures {
  expect(r.errors, "interpreter errors").toEqual([]);
  expect(r.boot, "the bundle booted and the scenario started").not.toBeNull();
  expect(r.end, "the run reached its end").not.toBeNull();
  const m = memoryFigures(board, r);
  const limit = Math.floor(budget * m.total);
  const over = r.samples.filter((s) => s.peak - m.standIns > limit || s.used - m.standIns > limit);
  expect(
    over,
    "samples above " + limit + " vars (after the stand-ins' " + m.standIns + ")",
  ).toEqual([]);
  expect(m.peak, "peak (" + m.peakAt + ")").toBeLessThanOrEqual(limit);
  return m;
}
