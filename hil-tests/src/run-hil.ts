// The runner API behind the CLI (and the CI test): picks the mode, runs, writes both reports and
// says loudly what did not run.
import type { CliArgs } from "./cli-args.js";
import { loadRigConfig } from "./config/load-rig-config.js";
import { rigFactory } from "./modes/rig-mode.js";
import { simFactory } from "./modes/sim-mode.js";
import { writeReports, type WrittenReports } from "./reports/write-reports.js";
import { runFailed, runSuite, selectScenarios } from "./runner/run-suite.js";
import type { RunReport } from "./scenario/types.js";
import { SCENARIOS, SIM_SCENARIOS } from "./scenarios/index.js";

export interface HilRun {
  report: RunReport;
  files: WrittenReports;
  failed: boolean;
}

const MARK = { passed: "PASS", failed: "FAIL", not_run: "NOT RUN" } as const;

export async function runHil(args: CliArgs, log: (line: string) => void): Promise<HilRun> {
  const scenarios = selectScenarios(args.mode === "sim" ? SIM_SCENARIOS : SCENARIOS, args.only);
  const factory =
    args.mode === "rig" ? rigFactory(loadRigConfig(args.rigConfig!), log) : simFactory(log);
  // Ctrl-C on a rig must not leave a CO2 valve open or a device unpowered.
  const onInterrupt = () => {
    factory.emergencyStop?.();
    log("interrupted: bench left safe (shaker at rest, device powered, valve shut, fan off)");
    process.exit(130);
  };
  if (args.mode === "rig") process.once("SIGINT", onInterrupt);
  const report = await runSuite(scenarios, factory, {
    log: log,
    // Virtual time runs far faster than real time: a simulated scenario that takes a minute hangs.
    timeoutCapMs: args.mode === "sim" ? 60_000 : undefined,
    onResult: (r) =>
      log(
        `${MARK[r.verdict]} ${r.name}: measured ${r.measured} (tolerance ${r.tolerance}) in ${(r.durationMs / 1000).toFixed(1)} s${r.detail ? ` — ${r.detail}` : ""}`,
      ),
  });
  process.removeListener("SIGINT", onInterrupt);
  const files = writeReports(args.reports, report);
  const notRun = report.results.filter((r) => r.verdict === "not_run");
  if (notRun.length > 0) {
    log("");
    log(`!!! ${notRun.length} scenario(s) NOT RUN — they prove nothing until fixed:`);
    for (const r of notRun)
      log(`!!!   ${r.name}: ${r.detail}${r.fix ? `\n!!!     fix: ${r.fix}` : ""}`);
    log(
      args.notRunFails
        ? "!!! NOT RUN fails this run."
        : "!!! --allow-not-run: the exit code ignores them.",
    );
  }
  const count = (v: string) => report.results.filter((r) => r.verdict === v).length;
  log("");
  log(`${count("passed")} passed, ${count("failed")} failed, ${notRun.length} not run`);
  log(`reports: ${files.junit}\n         ${files.markdown}`);
  return { report: report, files: files, failed: runFailed(report, args.notRunFails) };
}
