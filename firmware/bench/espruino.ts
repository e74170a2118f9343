// Runs a script on the real Espruino interpreter (../shared/tools/espruino, README there; the
// binary found as test/espruino/interpreter.ts finds it), built with a board's variable count,
// optionally under valgrind's callgrind to count the instructions it executes. Node-side; used by
// `npm run bench` and the step counter's Espruino test.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { interpreterBin, type InterpreterBoard } from "../test/espruino/interpreter.js";

export type EspruinoBoard = InterpreterBoard;

/** The board's interpreter binary: ../shared/tools/espruino, or ESPRUINO_BIN_<BOARD>. */
export function espruinoBinary(board: EspruinoBoard): string {
  return interpreterBin(board);
}

export function hasValgrind(): boolean {
  return spawnSync("valgrind", ["--version"], { stdio: "ignore" }).status === 0;
}

export interface EspruinoRun {
  /** Everything the script printed (the REPL prompt and echo included). */
  stdout: string;
  /** Instructions executed by the whole process (callgrind's Ir), when run under valgrind. */
  instructions: number | null;
}

/**
 * Runs `code` as a script file on `board`'s interpreter and resolves when the process ends; the
 * script must end with `quit()`. Standard input is held open: the interpreter reads its REPL on a
 * second thread and exits at end of input, which under valgrind (50x slower) can come before the
 * script is done.
 */
export function runEspruino(
  board: EspruinoBoard,
  code: string,
  options?: { callgrind?: boolean; timeoutMs?: number },
): Promise<EspruinoRun> {
  const bin = espruinoBinary(board);
  const dir = mkdtempSync(join(tmpdir(), "liot-espruino-"));
  const script = join(dir, "script.js");
  writeFileSync(script, code, "latin1");
  const cgOut = join(dir, "callgrind.out");
  const callgrind = options !== undefined && options.callgrind === true;
  const cmd = callgrind ? "valgrind" : bin;
  const args = callgrind
    ? ["--tool=callgrind", "--callgrind-out-file=" + cgOut, bin, script]
    : [script];
  const timeoutMs = (options && options.timeoutMs) || 120_000;
  return new Promise((resolve, reject) => {
    // cwd = dir: the interpreter keeps its flash file (espruino.flash) in the working directory
    const child = spawn(cmd, args, { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("latin1");
    child.stderr.setEncoding("latin1");
    child.stdout.on("data", (s: string) => (out += s));
    child.stderr.on("data", (s: string) => (err += s));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(new Error(`cannot start ${cmd}: ${e.message}`));
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      let instructions: number | null = null;
      if (callgrind && existsSync(cgOut)) {
        const m = /^summary:\s+(\d+)/m.exec(readFileSync(cgOut, "utf8"));
        if (m) instructions = Number(m[1]);
      }
      rmSync(dir, { recursive: true, force: true });
      if (signal !== null) {
        reject(new Error(`${board} interpreter killed (${signal}) after ${timeoutMs} ms`));
      } else if (status !== 0) {
        reject(new Error(`${board} interpreter exited with ${status}: ${err.slice(-400)}`));
      } else {
        resolve({ stdout: out, instructions: instructions });
      }
    });
  });
}

/** The first line of `stdout` that starts with `marker`, without the marker (null: none). */
export function markedLine(stdout: string, marker: string): string | null {
  for (const line of stdout.split("\n")) {
    const at = line.indexOf(marker);
    if (at >= 0) return line.slice(at + marker.length).trim();
  }
  return null;
}

/** The --quick option of the interpreter benches: wall time only, no valgrind. */
export const QUICK_OPTION = { kind: "boolean", help: "skip valgrind (wall time only)" } as const;
