#!/usr/bin/env node
// Builds protocol/dist (ESM + CommonJS for Node-RED) and the generated LoRaWAN codec.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  sourcemap: true,
  external: ["cbor-x", "zod"],
  logLevel: "warning",
};
for (const entry of ["index", "device", "cli"]) {
  await build({
    ...common,
    entryPoints: [entry === "cli" ? "src/cli/index.ts" : `src/${entry}.ts`],
    format: "esm",
    outfile: `dist/${entry}.js`,
  });
  await build({
    ...common,
    entryPoints: [entry === "cli" ? "src/cli/index.ts" : `src/${entry}.ts`],
    format: "cjs",
    outfile: `dist/${entry}.cjs`,
  });
}
console.log("protocol: dist/index.{js,cjs}, dist/device.{js,cjs}, dist/cli.{js,cjs}");

const codec = spawnSync(
  process.execPath,
  ["--conditions=source", "--import", "tsx", "scripts/build-codec.ts"],
  { stdio: "inherit" },
);
if (codec.error || codec.status !== 0) process.exit(codec.status ?? 1);

const wireshark = spawnSync(
  process.execPath,
  ["--conditions=source", "--import", "tsx", "scripts/build-wireshark.ts"],
  { stdio: "inherit" },
);
if (wireshark.error || wireshark.status !== 0) process.exit(wireshark.status ?? 1);
