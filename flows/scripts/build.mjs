// Compiles the nodes to CommonJS (tsc) and copies each node's editor file, help, locales and icons
// next to its compiled .js, where Node-RED looks for them.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
cpSync(join(src, "locales"), join(out, "locales"), { recursive: true });
cpSync(join(src, "icons"), join(out, "icons"), { recursive: true });
writeFileSync(join(root, "dist", ".built"), new Date().toISOString() + "\n");
console.log("flows: built dist/nodes");
