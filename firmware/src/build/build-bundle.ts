// Builds one Espruino bundle: source syntax check -> esbuild bundle (es2015, guards) -> bundle
// API/hoisting check (mapped back to sources) -> minify -> check again. Returns findings instead
// of throwing, so the CLI can print all of them and tests can assert on them.
import { readFileSync } from "node:fs";
import path from "node:path";
import * as esbuild from "esbuild";
import { checkBundle } from "./bundle-check.js";
import { ESPRUINO_GLOBALS, reservedNamesStatement, topLevelNames } from "./espruino-globals.js";
import { checkSourceSyntax, type Finding } from "./source-check.js";
import { SourceMapReader, type RawSourceMap } from "./source-map.js";

/**
 * Unix time the firmware may assume has passed (2026-01-01): after a power loss with no readable
 * state the band files steps under this date until a beacon sets the clock. A constant, not the
 * build's wall-clock time, so builds are reproducible; raise it with each release.
 */
export const RELEASE_FLOOR = 1767225600;

export const ESPRUINO_SUPPORTED: Record<string, boolean> = {
  destructuring: false,
  "default-argument": false,
  "rest-argument": false,
  "array-spread": false,
  "object-rest-spread": false,
  "async-await": false,
  "async-generator": false,
  generator: false,
  "for-await": false,
  "optional-chain": false,
};

export interface BundleResult {
  ok: boolean;
  findings: Finding[];
  code: string; // minified bundle ("" when the build failed)
  bytes: number;
  inputs: string[];
}

export interface BundleOptions {
  entry: string; // absolute path
  /** Directory used to print relative file names. */
  root: string;
  define?: Record<string, string>;
  /**
   * "global": the bundle's code at global scope instead of inside one closure (an IIFE). On
   * Espruino every function made inside a function holds a link to that scope: at global scope
   * each top-level function costs one variable less (~270 on the classroom bundle, measured on
   * the Puck.js interpreter). Its minified names then are globals: they are kept clear of
   * Espruino's (espruino-globals.ts), and the build fails on a clash. For boot bundles only (a
   * Storage module's code runs inside require()).
   */
  scope?: "closure" | "global";
}

function rel(root: string, p: string): string {
  const r = path.relative(root, path.resolve(p));
  return r.startsWith("..") ? path.resolve(p) : r;
}

export async function buildBundle(opts: BundleOptions): Promise<BundleResult> {
  const findings: Finding[] = [];
  let built: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    built = await esbuild.build({
      entryPoints: [opts.entry],
      bundle: true,
      write: false,
      outfile: "bundle.js",
      format: opts.scope === "global" ? "esm" : "iife",
      platform: "neutral",
      mainFields: ["module", "main"],
      target: "es2015",
      conditions: ["source"],
      supported: ESPRUINO_SUPPORTED,
      sourcemap: "external",
      sourcesContent: false,
      metafile: true,
      logLevel: "silent",
      treeShaking: true,
      // Espruino's require("Storage") etc. are built-in modules: keep the call as a plain function
      // call instead of esbuild's __require shim (which needs Proxy).
      define: Object.assign(
        { require: "__espruinoRequire", __BUILD_TIME__: String(RELEASE_FLOOR) },
        opts.define ?? {},
      ),
      banner: { js: "var __espruinoRequire=require;" },
      absWorkingDir: opts.root,
    });
  } catch (e) {
    const errs = (e as esbuild.BuildFailure).errors ?? [];
    for (const m of errs)
      findings.push({
        file: m.location ? rel(opts.root, m.location.file) : opts.entry,
        line: m.location ? m.location.line : 0,
        column: m.location ? m.location.column + 1 : 0,
        rule: "esbuild",
        message: m.text + " (Espruino-safe subset: see ../shared/ESPRUINO.md)",
      });
    if (errs.length === 0) throw e;
    // Still run the source check: it names the construct and the fix.
    findings.push(
      ...checkSourceSyntax(rel(opts.root, opts.entry), readFileSync(opts.entry, "utf8")),
    );
    return { ok: false, findings: dedupe(findings), code: "", bytes: 0, inputs: [] };
  }
  const inputs = Object.keys(built.metafile.inputs);
  for (const input of inputs) {
    if (!/\.[cm]?[jt]s$/.test(input)) continue;
    const abs = path.resolve(opts.root, input);
    findings.push(...checkSourceSyntax(rel(opts.root, abs), readFileSync(abs, "utf8")));
  }
  const js = built.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const mapText = built.outputFiles.find((f) => f.path.endsWith(".map"))!.text;
  const raw = JSON.parse(mapText) as RawSourceMap;
  // Sources in the map are relative to the output file's directory (= root).
  raw.sources = raw.sources.map((s) => rel(opts.root, path.resolve(opts.root, s)));
  findings.push(...checkBundle(js, { file: "bundle", map: new SourceMapReader(raw) }));

  const global = opts.scope === "global";
  const min = await esbuild.transform(global ? reservedNamesStatement() + js : js, {
    minify: true,
    // esm: top-level names are the module's own, so the minifier shortens them too.
    ...(global ? { format: "esm" as const } : {}),
    target: "es2015",
    supported: ESPRUINO_SUPPORTED,
    legalComments: "none",
  });
  const code = min.code;
  // The minified text is checked too (the minifier must not introduce anything), but only when
  // the mapped check was clean, so a person sees each problem once, with its source line.
  if (findings.length === 0) findings.push(...checkBundle(code, { file: "minified bundle" }));
  if (global && findings.length === 0)
    for (const name of topLevelNames(code))
      if (ESPRUINO_GLOBALS.indexOf(name) >= 0)
        findings.push({
          file: "minified bundle",
          line: 0,
          column: 0,
          rule: "espruino-global",
          message:
            "top-level name " +
            name +
            " would replace Espruino's global " +
            name +
            ": check reservedNamesStatement in src/build/espruino-globals.ts",
        });
  const all = dedupe(findings);
  return {
    ok: all.length === 0,
    findings: all,
    code: all.length === 0 ? code : "",
    bytes: Buffer.byteLength(code, "latin1"),
    inputs: inputs.map((i) => rel(opts.root, path.resolve(opts.root, i))),
  };
}

function dedupe(fs: Finding[]): Finding[] {
  const seen: Record<string, boolean> = {};
  const out: Finding[] = [];
  for (const f of fs) {
    const k = f.file + ":" + f.line + ":" + f.rule + ":" + f.message;
    if (seen[k]) continue;
    seen[k] = true;
    out.push(f);
  }
  return out;
}
