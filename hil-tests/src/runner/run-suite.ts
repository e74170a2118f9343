// Runs scenarios one after another, each with its own context and time limit. A scenario that
// throws NotRunError (or whose context cannot be built) is "not run", never passed; any other
// error or a timeout is a failure.
import type { HilContext } from "../rig/context.js";
import {
  NotRunError,
  type Measurement,
  type RunReport,
  type Scenario,
  type ScenarioResult,
} from "../scenario/types.js";

/** Builds a fresh context for one scenario (its device, observers, bench) and disposes it. */
export interface ContextFactory {
  mode: "sim" | "rig";
  open(s: Scenario): Promise<HilContext>;
  close(ctx: HilContext): Promise<void>;
  /**
   * Problems the mode saw that the scenario could not (the simulator's record of exceptions the
   * firmware threw). Any problem fails the scenario, whatever it measured.
   */
  problems?(ctx: HilContext): string[];
  /** Leaves every open bench safe at once (valve shut, fan off, device powered): on Ctrl-C. */
  emergencyStop?(): void;
  /** Releases what the scenarios shared (the Firmata port), after the last one. */
  dispose?(): Promise<void>;
}

export interface RunOptions {
  /** Multiplies every scenario's timeout (e.g. a slow CI machine). */
  timeoutScale?: number;
  /** Upper bound in real ms whatever the scenario says (the simulator runs ~1000x real time). */
  timeoutCapMs?: number;
  onResult?: (r: ScenarioResult) => void;
  log?: (line: string) => void;
  now?: () => number;
}

class Timeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`timed out after ${Math.round(ms)} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function base(s: Scenario): Omit<ScenarioResult, "verdict" | "measured" | "detail" | "durationMs"> {
  return {
    name: s.name,
    title: s.title,
    device: s.device,
    tolerance: s.tolerance.text,
    figures: {},
  };
}

export async function runScenario(
  s: Scenario,
  factory: ContextFactory,
  opts: RunOptions = {},
): Promise<ScenarioResult> {
  const now = opts.now ?? Date.now;
  const t0 = now();
  const limit = Math.min(s.timeoutMs * (opts.timeoutScale ?? 1), opts.timeoutCapMs ?? Infinity);
  let ctx: HilContext | undefined;
  const finish = (
    r: Pick<ScenarioResult, "verdict" | "measured" | "detail"> & Partial<ScenarioResult>,
  ): ScenarioResult => Object.assign(base(s), { durationMs: now() - t0 }, r);
  try {
    const m: Measurement = await withTimeout(
      (async () => {
        ctx = await factory.open(s);
        return s.run(ctx);
      })(),
      limit,
    );
    const problems = ctx ? (factory.problems?.(ctx) ?? []) : [];
    const detail = [m.detail ?? "", ...problems.map((p) => `device: ${p}`)].filter(Boolean);
    return finish({
      verdict: m.pass && problems.length === 0 ? "passed" : "failed",
      measured: m.measured,
      detail: detail.join("; "),
      figures: m.figures ?? {},
    });
  } catch (e) {
    if (e instanceof NotRunError)
      return finish({ verdict: "not_run", measured: "-", detail: e.message, fix: e.fix });
    const err = e as Error;
    return finish({
      verdict: "failed",
      measured: "-",
      detail: e instanceof Timeout ? err.message : `${err.name}: ${err.message}`,
    });
  } finally {
    if (ctx) {
      try {
        await withTimeout(factory.close(ctx), 10_000);
      } catch (e) {
        opts.log?.(`${s.name}: closing the context failed: ${(e as Error).message}`);
      }
    }
  }
}

export async function runSuite(
  scenarios: readonly Scenario[],
  factory: ContextFactory,
  opts: RunOptions = {},
): Promise<RunReport> {
  const now = opts.now ?? Date.now;
  const t0 = now();
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    opts.log?.(`▶ ${s.name}: ${s.title}`);
    const r = await runScenario(s, factory, opts);
    results.push(r);
    opts.onResult?.(r);
  }
  await factory
    .dispose?.()
    .catch((e: Error) => opts.log?.(`releasing the rig failed: ${e.message}`));
  return {
    mode: factory.mode,
    startedAt: new Date(t0).toISOString(),
    durationMs: now() - t0,
    results: results,
  };
}

/** Exit status of a run: failed scenarios always fail it; not-run ones fail it when required. */
export function runFailed(report: RunReport, notRunFails: boolean): boolean {
  return report.results.some(
    (r) => r.verdict === "failed" || (notRunFails && r.verdict === "not_run"),
  );
}

/** Selects scenarios by name; "band-*" style wildcards allowed, comma-separated. */
export function selectScenarios(all: readonly Scenario[], only: string | undefined): Scenario[] {
  if (!only) return [...all];
  const patterns = only
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const re = patterns.map(
    (p) => new RegExp("^" + p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$"),
  );
  const picked = all.filter((s) => re.some((r) => r.test(s.name)));
  if (picked.length === 0)
    throw new Error(
      `--only ${only} matches no scenario; known: ${all.map((s) => s.name).join(", ")}`,
    );
  return picked;
}
