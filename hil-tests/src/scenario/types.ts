// A scenario is one behaviour a hardware engineer must be able to trust, measured the same way on
// the bench rig and in the simulator. It returns what it measured; the runner turns that into a
// verdict, a duration and a report row.
import type { HilContext } from "../rig/context.js";

/** What a scenario is allowed to measure, in words a report reader understands. */
export interface Tolerance {
  /** e.g. "100 ± 3 steps", "≤ 60 s", "exactly 1 signal". */
  text: string;
}

export interface Measurement {
  /** The measured value as reported, e.g. "98 steps", "green>orange>red>green". */
  measured: string;
  pass: boolean;
  /** Why it failed, or supporting figures (latency, counters) when it passed. */
  detail?: string;
  /** Numeric figures for machines (JUnit properties), e.g. { steps: 98, publishSeconds: 4.2 }. */
  figures?: Record<string, number | string>;
}

export type DeviceKind = "band" | "classroom";

export interface Scenario {
  name: string;
  /** One line: what it proves. */
  title: string;
  device: DeviceKind;
  /** A board variant of a band scenario (the simulator runs the Bangle.js 2 band too). */
  board?: "puckjs2" | "banglejs2";
  tolerance: Tolerance;
  /** Wall-clock limit for the rig; the simulator is bounded by the same value. */
  timeoutMs: number;
  run(ctx: HilContext): Promise<Measurement>;
}

export { NotRunError } from "./not-run.js";

export type Verdict = "passed" | "failed" | "not_run";

export interface ScenarioResult {
  name: string;
  title: string;
  device: DeviceKind;
  tolerance: string;
  verdict: Verdict;
  measured: string;
  detail: string;
  figures: Record<string, number | string>;
  durationMs: number;
  /** For not run: how to make it run. */
  fix?: string;
}

export interface RunReport {
  mode: "sim" | "rig";
  startedAt: string;
  durationMs: number;
  results: ScenarioResult[];
}
