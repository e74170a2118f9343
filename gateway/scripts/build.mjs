#!/usr/bin/env node
// Builds gateway/dist: every module of src/ transpiled to JavaScript one file per module (no
// bundling), so `leiden-gateway` runs on plain `node` without tsx, and the sources the gateway
// loads by name at run time (src/sources/<folder>/index.ts, the CLI's commands) keep their paths.
// Packages stay bare imports: @leiden-iot/protocol resolves to protocol/dist through its
// "import" condition (protocol's build runs first: workspaces build in root package.json order).
import { build } from "esbuild";
import { chmodSync, existsSync, readdirSync, rmSync } from "node:fs";

// a fresh tree each build (no module deleted from src/ lingers), except dist/pages/: the enrol
// pages' own build step writes there
for (const e of existsSync("dist") ? readdirSync("dist") : [])
  if (e !== "pages") rmSync(`dist/${e}`, { recursive: true, force: true });
await build({
  entryPoints: ["src/**/*.ts"],
  outbase: "src",
  outdir: "dist",
  bundle: false,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
});
chmodSync("dist/cli/main.js", 0o755);
console.log("gateway: dist/ (leiden-gateway -> dist/cli/main.js)");
// The enrolment / "Kijk mee" pages (gateway/pages -> dist/pages), from the module just built.
const { buildPages } = await import("../dist/pages/page-build.js");
await buildPages("dist/pages");
console.log("gateway: dist/pages (enrolment and Kijk mee pages)");
