// The real Espruino interpreter (2v29 Linux builds sized like the boards, ../shared/tools/espruino):
// where the binaries are, and how a bundle is deployed on it as `npm run flash` deploys it (the
// bundle as `.bootcde` in Storage, hardware stand-ins as `.boot0`, the provisioned `liot.cfg`).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type InterpreterBoard = "puckjs2" | "banglejs2";

export const FIRMWARE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TOOLS = path.resolve(FIRMWARE_DIR, "..", "..", "shared", "tools", "espruino");
const TOOLS_MAIN = "/work/shared/tools/espruino";

/** Variables per board as the interpreter builds report them (process.memory().total). */
export const BOARD_VARS: Record<InterpreterBoard, number> = { puckjs2: 2630, banglejs2: 12000 };

const HOW_TO_BUILD =
  "build it from the Espruino source (github.com/espruino/Espruino, 2v29): copy " +
  "LINUX_PUCKVARS.py / LINUX_BANGLEVARS.py from shared/tools/espruino into boards/, then " +
  "`BOARD=LINUX_PUCKVARS RELEASE=1 OPENWRT_UCLIBC=1 make -j2` (needs gcc-multilib); see " +
  "shared/tools/espruino/README.md";

/** The interpreter binary for a board (or the loader), overridable with ESPRUINO_BIN_<NAME>. */
export function interpreterBin(name: InterpreterBoard | "linux64"): string {
  const env = process.env["ESPRUINO_BIN_" + name.toUpperCase()];
  const candidates = env
    ? [env]
    : [path.join(TOOLS, "espruino-" + name), path.join(TOOLS_MAIN, "espruino-" + name)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    "no Espruino interpreter for " +
      name +
      " (looked at " +
      candidates.join(", ") +
      "): set ESPRUINO_BIN_" +
      name.toUpperCase() +
      " to a binary, or " +
      HOW_TO_BUILD,
  );
}

/** Files to put in the interpreter's Storage (a `.storage` file in dir). */
export type StorageFiles = Record<string, string | Uint8Array>;

/**
 * Writes Storage with the loader build (espruino-linux64), exactly the files given: each is first
 * written to a plain file in dir, then copied into Storage by `require('Storage').write`.
 */
export function writeStorage(dir: string, files: StorageFiles): void {
  let js = "var s=require('Storage'),f=require('fs');";
  let i = 0;
  for (const name of Object.keys(files)) {
    const tmp = "liot-load-" + i++ + ".bin";
    const v = files[name]!;
    // Storage cannot hold an empty file (Espruino: "Can't get pointer to data to write").
    if (v.length === 0) {
      js += "s.erase(" + JSON.stringify(name) + ");";
      continue;
    }
    writeFileSync(path.join(dir, tmp), typeof v === "string" ? Buffer.from(v, "latin1") : v);
    js +=
      "if(s.write(" +
      JSON.stringify(name) +
      ",f.readFileSync(" +
      JSON.stringify(tmp) +
      "))!==true)print('LOADFAIL " +
      name +
      "');";
  }
  js += "print('LOADED');quit();";
  const r = spawnSync(interpreterBin("linux64"), ["-e", js], {
    cwd: dir,
    encoding: "latin1",
    timeout: 30_000,
    input: "",
  });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  if (!out.includes("LOADED") || out.includes("LOADFAIL"))
    throw new Error("writing Storage with the loader failed:\n" + out.slice(-2000));
}

export interface RunOutput {
  /** Everything the interpreter printed after its banner (\r removed). */
  lines: string[];
  exitCode: number | null;
  timedOut: boolean;
}

/**
 * Boots the board build in dir (runs `.boot0` then `.bootcde` from Storage, as a board does) and
 * evaluates `code` after boot. The run ends when the code calls quit() or after timeoutMs.
 */
export function runInterpreter(
  board: InterpreterBoard,
  dir: string,
  code: string,
  timeoutMs: number,
): Promise<RunOutput> {
  return new Promise((resolve, reject) => {
    const p = spawn(interpreterBin(board), ["-e", code], {
      cwd: dir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    p.stdout.on("data", (d: Buffer) => chunks.push(d));
    p.stderr.on("data", (d: Buffer) => chunks.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      p.kill("SIGKILL");
    }, timeoutMs);
    p.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on("close", (codeOut) => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1").replace(/\r/g, "");
      const banner = text.indexOf("http://espruino.com/Donate");
      const body = banner >= 0 ? text.slice(banner + "http://espruino.com/Donate".length) : text;
      resolve({ lines: body.split("\n"), exitCode: codeOut, timedOut });
    });
  });
}
