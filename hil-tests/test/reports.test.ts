// Both reports of a run: JUnit XML that a strict XML parser accepts, with one testcase per
// scenario (failure / skipped for not run, properties for measured and tolerance), and the
// Markdown table with the NOT RUN list; both written to the reports directory.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { junitXml } from "../src/reports/junit.js";
import { markdownSummary } from "../src/reports/markdown.js";
import { writeReports } from "../src/reports/write-reports.js";
import type { RunReport } from "../src/scenario/types.js";

const report: RunReport = {
  mode: "rig",
  startedAt: "2026-11-23T01:00:00.000Z",
  durationMs: 125_000,
  results: [
    {
      name: "band-counts-swings",
      title: "t",
      device: "band",
      tolerance: "100 ± 3 steps",
      verdict: "passed",
      measured: "101 steps",
      detail: "error +1",
      figures: { steps: 101 },
      durationMs: 90_500,
    },
    {
      name: "classroom-co2-signal",
      title: "t",
      device: "classroom",
      tolerance: "orange ≥ 1000 <ppm>",
      verdict: "failed",
      measured: "green→red",
      detail: 'skipped "orange" & more\u0001',
      figures: {},
      durationMs: 30_000,
    },
    {
      name: "band-low-battery",
      title: "t",
      device: "band",
      tolerance: "flag set",
      verdict: "not_run",
      measured: "-",
      detail: "the rig config has no lowSupply relay",
      fix: "add devices.band.pins.lowSupply",
      figures: {},
      durationMs: 3,
    },
  ],
};

interface Node {
  name: string;
  attributes: Record<string, string>;
}

function parseXml(xml: string): Node[] {
  const require = createRequire(import.meta.url);
  const sax = require("sax") as {
    parser(strict: boolean): {
      onopentag: (n: Node) => void;
      onerror: (e: Error) => void;
      write(s: string): { close(): void };
    };
  };
  const p = sax.parser(true);
  const nodes: Node[] = [];
  p.onopentag = (n) => nodes.push(n);
  p.onerror = (e) => {
    throw e;
  };
  p.write(xml).close();
  return nodes;
}

describe("JUnit XML", () => {
  it("is well-formed and carries verdicts, measured values and fixes", () => {
    const nodes = parseXml(junitXml(report));
    const suite = nodes.find((n) => n.name === "testsuite")!;
    expect(suite.attributes).toMatchObject({
      tests: "3",
      failures: "1",
      skipped: "1",
      time: "125.000",
    });
    expect(nodes.filter((n) => n.name === "testcase").map((n) => n.attributes.name)).toEqual(
      report.results.map((r) => r.name),
    );
    const failure = nodes.find((n) => n.name === "failure")!;
    expect(failure.attributes.message).toBe("measured green→red, tolerance orange ≥ 1000 <ppm>");
    const skipped = nodes.find((n) => n.name === "skipped")!;
    expect(skipped.attributes.message).toBe(
      "NOT RUN: the rig config has no lowSupply relay Fix: add devices.band.pins.lowSupply",
    );
    const props = nodes
      .filter((n) => n.name === "property")
      .map((n) => [n.attributes.name, n.attributes.value]);
    expect(props).toContainEqual(["measured", "101 steps"]);
    expect(props).toContainEqual(["steps", "101"]);
  });
});

describe("Markdown summary", () => {
  it("has one row per scenario and lists NOT RUN loudly", () => {
    const md = markdownSummary(report);
    expect(md).toMatch(/1 passed, 1 failed, 1 not run, 125\.0 s/);
    expect(md).toContain(
      "| band-counts-swings | band | ✅ pass | 101 steps | 100 ± 3 steps | 90.5 s | error +1 |",
    );
    expect(md).toContain("| classroom-co2-signal | classroom | ❌ FAIL | green→red |");
    expect(md).toMatch(
      /## NOT RUN[^\n]*\n\n- \*\*band-low-battery\*\*: the rig config has no lowSupply relay — fix: add/,
    );
  });

  it("both land in the reports directory, timestamped and as latest", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "hil-reports-")), "nested");
    const files = writeReports(dir, report);
    expect(readFileSync(files.junit, "utf8")).toBe(junitXml(report));
    expect(readFileSync(files.markdown, "utf8")).toBe(markdownSummary(report));
    expect(existsSync(join(dir, "latest-rig.xml"))).toBe(true);
    expect(existsSync(join(dir, "latest-rig.md"))).toBe(true);
  });
});
