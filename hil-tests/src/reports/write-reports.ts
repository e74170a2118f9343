// Writes both reports of a run into the reports directory: a timestamped pair and "latest" copies.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../scenario/types.js";
import { junitXml } from "./junit.js";
import { markdownSummary } from "./markdown.js";

export interface WrittenReports {
  junit: string;
  markdown: string;
}

export function writeReports(dir: string, r: RunReport): WrittenReports {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, "-");
  const junit = join(dir, `hil-${r.mode}-${stamp}.xml`);
  const markdown = join(dir, `hil-${r.mode}-${stamp}.md`);
  const xml = junitXml(r);
  const md = markdownSummary(r);
  writeFileSync(junit, xml);
  writeFileSync(markdown, md);
  writeFileSync(join(dir, `latest-${r.mode}.xml`), xml);
  writeFileSync(join(dir, `latest-${r.mode}.md`), md);
  return { junit: junit, markdown: markdown };
}
