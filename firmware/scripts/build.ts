// npm run build:firmware: one checked, minified bundle per device and board in firmware/dist/.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineCommand, parseOrExit, usageError } from "@leiden-iot/protocol/cli";
import { buildBundle } from "../src/build/build-bundle.js";
import { formatFinding } from "../src/build/source-check.js";
import { BUDGETS, buildList } from "../src/build/targets.js";

const NAMES = buildList().map((t) => t.name);

const BUILD = defineCommand({
  command: "npm run build:firmware --",
  summary:
    "Builds one checked, minified Espruino bundle per device and board into firmware/dist/ and\n" +
    "prints a size table. Exit 1 when a bundle fails the Espruino-safety checks or its budget.",
  positionals: [
    {
      name: "bundle",
      variadic: true,
      help: "only these bundles: " + NAMES.join(", ") + " (default all)",
    },
  ],
  options: {},
  examples: ["npm run build:firmware", "npm run build:firmware -- band-banglejs2"],
});

const only = parseOrExit(BUILD, process.argv.slice(2)).positionals;
for (const name of only)
  if (NAMES.indexOf(name) < 0)
    usageError(BUILD, `no bundle "${name}": choose from ${NAMES.join(", ")}`);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
mkdirSync(dist, { recursive: true });

let failed = 0;
const rows: string[][] = [];
for (const t of buildList()) {
  if (only.length > 0 && only.indexOf(t.name) < 0) continue;
  process.stdout.write("building " + t.name + " ... ");
  const r = await buildBundle({ entry: path.join(root, t.entry), root, scope: t.scope });
  if (!r.ok) {
    failed++;
    console.log("FAILED");
    for (const f of r.findings) console.error("  " + formatFinding(f));
    continue;
  }
  writeFileSync(path.join(dist, t.name + ".js"), r.code, "latin1");
  console.log("ok (" + r.inputs.length + " modules)");
  const b = BUDGETS[t.board];
  rows.push([
    "dist/" + t.name + ".js",
    String(r.bytes),
    ((100 * r.bytes) / b.maxBundleBytes).toFixed(0) + "% of " + b.maxBundleBytes,
    ((100 * r.bytes) / b.storageBytes).toFixed(1) + "% of " + b.storageBytes,
    String(b.ramVars),
  ]);
  if (r.bytes > b.maxBundleBytes) {
    failed++;
    console.error(
      "  " +
        t.name +
        " is " +
        r.bytes +
        " bytes, over its budget of " +
        b.maxBundleBytes +
        ": shrink it or raise BUDGETS in src/build/targets.ts with a reason",
    );
  }
}

const head = ["bundle", "bytes", "bundle budget", "Storage", "RAM budget (vars; not measured)"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log("\n" + line(head));
for (const r of rows) console.log(line(r));
if (failed > 0) {
  console.error("\n" + failed + " bundle(s) failed the Espruino checks: fix the lines above.");
  process.exit(1);
}
