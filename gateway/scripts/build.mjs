#!/usr/bin/env node
// Builds gateway/dist: every module of src/ transpiled to JavaScript one file per module (no
// bundling), so `leiden-gateway` runs on plain `node` without tsx, and the sources the gateway
// loads by name at run time (src/sources/<folder>/index.ts, the CLI's commands) keep their paths.
// Packages stay bare imports: @leiden-iot/protocol resolves to protocol/dist through its
// "import" condition (protocol's build runs first: workspaces build in root package.json order).
import { build } from "esbuild";
import { chmodSync, rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
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
