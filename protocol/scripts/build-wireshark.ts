// Compiles the Wireshark dissector from the protocol sources with typescript-to-lua:
//   protocol/src (the decoders, as they are) + protocol/wireshark/src (thin glue) ->
//   dist/wireshark/leiden-iot.lua       the Wireshark plugin (Wireshark 4.0-4.2 Lua 5.2, >= 4.4 Lua 5.4)
//   dist/wireshark/leiden-iot-core.lua  the decoding core with a line CLI, for plain lua5.2-5.4
// The fields come from protocol's types (wireshark-fields.ts). Every typescript-to-lua diagnostic,
// such as "numbers are truthy in Lua", and every Lua-subset finding (lua-subset.ts) fails the build.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as tstl from "typescript-to-lua";
import { luaSubsetCheck } from "./lua-subset.js";
import { fieldSpecs, fieldsModule } from "./wireshark-fields.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const wiresharkDir = path.resolve(here, "../wireshark");
const outDir = path.resolve(here, "../dist/wireshark");

/** NodeNext-style imports name the emitted ".js"; typescript-to-lua must bundle the ".ts" source. */
const jsExtensionImports: tstl.Plugin = {
  moduleResolution(dependency, requiringFile) {
    if (!dependency.startsWith(".") || !dependency.endsWith(".js")) return undefined;
    return path.resolve(path.dirname(requiringFile), dependency.slice(0, -3) + ".ts");
  },
};

function fail(diagnostics: readonly ts.Diagnostic[], what: string): never {
  console.error(
    ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => wiresharkDir,
      getNewLine: () => "\n",
    }),
  );
  console.error(
    `wireshark: ${diagnostics.length} problem(s) in ${what}; fix them in the TypeScript sources`,
  );
  process.exit(1);
}

const config = tstl.parseConfigFileWithSystem(path.join(wiresharkDir, "tsconfig.json"));
if (config.errors.length > 0) fail(config.errors, "wireshark/tsconfig.json");

// 1. Fields from protocol's types.
const declarations = path.join(wiresharkDir, "wireshark.d.ts");
const framesFile = path.join(wiresharkDir, "src/frames.ts");
const typesProgram = ts.createProgram({
  rootNames: [framesFile, declarations],
  options: config.options,
});
const ble = fieldSpecs(typesProgram, framesFile, "BleFrame", "liot");
const lora = fieldSpecs(typesProgram, framesFile, "LoraFrame", "liot.lora");
mkdirSync(path.join(outDir, "generated"), { recursive: true });
writeFileSync(path.join(outDir, "generated/fields.ts"), fieldsModule(ble, lora));

// 2. One Lua bundle per entry point.
let previous: ts.Program | undefined = typesProgram;
function bundle(entry: string, output: string): void {
  const options: tstl.CompilerOptions = {
    ...config.options,
    luaBundle: output,
    luaBundleEntry: path.join(wiresharkDir, entry),
    outDir,
  };
  const program = ts.createProgram({
    rootNames: [path.join(wiresharkDir, entry), declarations],
    options,
    oldProgram: previous,
  });
  previous = program;
  const pre = ts.getPreEmitDiagnostics(program);
  if (pre.length > 0) fail(pre, entry);
  const { diagnostics } = new tstl.Transpiler().emit({
    program,
    plugins: [jsExtensionImports, luaSubsetCheck],
  });
  if (diagnostics.length > 0) fail(diagnostics, entry);
}

bundle("src/plugin.ts", "leiden-iot.lua");
bundle("src/core-cli.ts", "leiden-iot-core.lua");
const count = (specs: { children: unknown[] }[]): number =>
  specs.reduce((n, s) => n + 1 + count(s.children as { children: unknown[] }[]), 0);
console.log(
  `wireshark: dist/wireshark/leiden-iot.lua (${count(ble)} BLE + ${count(lora)} LoRa fields from protocol's types), dist/wireshark/leiden-iot-core.lua`,
);
