// Compiles the nodes to CommonJS (tsc) and copies each node's editor file, help, locales and icons
// next to its compiled .js, where Node-RED looks for them.
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", root], {
  stdio: "inherit",
});
const src = join(root, "src", "nodes");
const out = join(root, "dist", "nodes");
for (const f of readdirSync(src)) if (f.endsWith(".html")) cpSync(join(src, f), join(out, f));
await fillCo2Presets(join(out, "classroom-status.html"));
cpSync(join(src, "locales"), join(out, "locales"), { recursive: true });
cpSync(join(src, "icons"), join(out, "icons"), { recursive: true });
writeFileSync(join(root, "dist", ".built"), new Date().toISOString() + "\n");
console.log("flows: built dist/nodes");

/** The editor's preset list and defaults come from protocol's one CO2 table. */
async function fillCo2Presets(file) {
  const { CO2_PRESETS, CO2_LEGAL_LIMIT_PPM, DEFAULT_CO2_PRESET } =
    await import("@leiden-iot/protocol");
  const table = CO2_PRESETS.map((p) => ({
    name: p.name,
    orangePpm: p.orangePpm,
    redPpm: p.redPpm,
    source: p.source,
  }));
  let html = readFileSync(file, "utf8");
  for (const [marker, value] of [
    ["[/* co2-presets */]", JSON.stringify(table)],
    ['"/* co2-default */"', JSON.stringify(DEFAULT_CO2_PRESET.name)],
    ['"/* co2-legal-limit */"', JSON.stringify(String(CO2_LEGAL_LIMIT_PPM))],
  ]) {
    if (!html.includes(marker)) throw new Error(file + ": marker " + marker + " missing");
    html = html.split(marker).join(value);
  }
  writeFileSync(file, html);
}
