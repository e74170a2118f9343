// JUnit XML of one run: one testsuite per mode, one testcase per scenario. Not-run scenarios are
// <skipped> with the fix in the message, so CI dashboards show them; the exit code still fails.
import type { RunReport } from "../scenario/types.js";

export function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .split("")
    .filter((c) => {
      const code = c.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d; // XML 1.0 forbids the rest
    })
    .join("");
}

const sec = (ms: number) => (ms / 1000).toFixed(3);

export function junitXml(r: RunReport): string {
  const failed = r.results.filter((x) => x.verdict === "failed").length;
  const skipped = r.results.filter((x) => x.verdict === "not_run").length;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="hil-tests" tests="${r.results.length}" failures="${failed}" skipped="${skipped}" time="${sec(r.durationMs)}">`,
    `  <testsuite name="hil-${r.mode}" tests="${r.results.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${sec(r.durationMs)}" timestamp="${xmlEscape(r.startedAt)}">`,
  ];
  for (const x of r.results) {
    lines.push(
      `    <testcase classname="hil.${r.mode}.${x.device}" name="${xmlEscape(x.name)}" time="${sec(x.durationMs)}">`,
    );
    lines.push(`      <properties>`);
    const props: Record<string, string | number> = {
      tolerance: x.tolerance,
      measured: x.measured,
      ...x.figures,
    };
    for (const [k, v] of Object.entries(props))
      lines.push(`        <property name="${xmlEscape(k)}" value="${xmlEscape(String(v))}"/>`);
    lines.push(`      </properties>`);
    if (x.verdict === "failed")
      lines.push(
        `      <failure message="${xmlEscape(`measured ${x.measured}, tolerance ${x.tolerance}`)}">${xmlEscape(x.detail)}</failure>`,
      );
    if (x.verdict === "not_run")
      lines.push(
        `      <skipped message="${xmlEscape(`NOT RUN: ${x.detail}${x.fix ? ` Fix: ${x.fix}` : ""}`)}"/>`,
      );
    if (x.verdict === "passed" && x.detail)
      lines.push(`      <system-out>${xmlEscape(x.detail)}</system-out>`);
    lines.push(`    </testcase>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`, "");
  return lines.join("\n");
}
