// The human summary of one run: a table (scenario, verdict, measured vs tolerance, duration) and a
// loud list of scenarios that did not run, with their fixes.
import type { RunReport, ScenarioResult } from "../scenario/types.js";

const VERDICT: Record<ScenarioResult["verdict"], string> = {
  passed: "✅ pass",
  failed: "❌ FAIL",
  not_run: "⚠️ NOT RUN",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function markdownSummary(r: RunReport): string {
  const count = (v: ScenarioResult["verdict"]) => r.results.filter((x) => x.verdict === v).length;
  const out = [
    `# HIL run (${r.mode === "sim" ? "simulator" : "rig"}), ${r.startedAt}`,
    "",
    `${count("passed")} passed, ${count("failed")} failed, ${count("not_run")} not run, ` +
      `${(r.durationMs / 1000).toFixed(1)} s`,
    "",
    "| scenario | device | result | measured | tolerance | duration | detail |",
    "|---|---|---|---|---|---:|---|",
  ];
  for (const x of r.results)
    out.push(
      `| ${cell(x.name)} | ${x.device} | ${VERDICT[x.verdict]} | ${cell(x.measured)} | ${cell(x.tolerance)} | ${(x.durationMs / 1000).toFixed(1)} s | ${cell(x.detail)} |`,
    );
  const notRun = r.results.filter((x) => x.verdict === "not_run");
  if (notRun.length > 0) {
    out.push("", "## NOT RUN (these prove nothing until fixed)", "");
    for (const x of notRun)
      out.push(`- **${x.name}**: ${x.detail}${x.fix ? ` — fix: ${x.fix}` : ""}`);
  }
  out.push("");
  return out.join("\n");
}
