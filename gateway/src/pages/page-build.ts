// Builds the pages (gateway/pages/) into dist/pages: each page script bundled with esbuild
// (@espruino-tools/core included), the HTML and the shared CSS copied. Run by `npm run build`
// (scripts/build.mjs) and by the page tests before they start.
import { copyFileSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { GATEWAY_ROOT } from "./page-assets.js";

export const PAGES_SRC = join(GATEWAY_ROOT, "pages");
const SCRIPTS = ["enrol", "kijk-mee"];
const COPIED = ["enrol.html", "kijk-mee.html", "pages.css"];

export async function buildPages(outDir: string): Promise<void> {
  const { build } = await import("esbuild");
  mkdirSync(outDir, { recursive: true });
  const tmp = join(outDir, ".build-" + process.pid);
  await build({
    entryPoints: SCRIPTS.map((s) => join(PAGES_SRC, s, "main.ts")),
    entryNames: "[dir]",
    outbase: PAGES_SRC,
    outdir: tmp,
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["chrome110", "edge110"],
    logLevel: "warning",
    legalComments: "none",
    minify: true,
  });
  for (const s of SCRIPTS) renameSync(join(tmp, s + ".js"), join(outDir, s + ".js"));
  rmSync(tmp, { recursive: true, force: true });
  for (const f of COPIED) copyFileSync(join(PAGES_SRC, f), join(outDir, f));
}
