// The board capability table (src/hal/board-crypto.ts) against the real interpreter builds, and
// protocol's software AES (what Bangle.js 2 signs with) on the Bangle.js 2 interpreter against
// FIPS-197 Appendix C.1.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { BOARD_CRYPTO } from "../../src/hal/board-crypto.js";
import {
  FIRMWARE_DIR,
  runInterpreter,
  writeStorage,
  type InterpreterBoard,
} from "./interpreter.js";

const BOARDS: InterpreterBoard[] = ["puckjs2", "banglejs2"];

async function evalOn(board: InterpreterBoard, files: Record<string, string>, code: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "liot-crypto-"));
  if (Object.keys(files).length > 0) writeStorage(dir, files);
  const out = await runInterpreter(board, dir, code + ";setTimeout(quit,1)", 60_000);
  return out.lines.join("\n");
}

describe("board crypto table", () => {
  for (const board of BOARDS) {
    it(board + ": crypto.AES exists exactly where the table says", async () => {
      const out = await evalOn(board, {}, 'print("AES=" + typeof require("crypto").AES)');
      expect(out).toContain("AES=" + (BOARD_CRYPTO[board].aes ? "function" : "undefined"));
    });
  }

  it("softAes128 runs on the Bangle.js 2 interpreter and matches FIPS-197 C.1", async () => {
    const src = path.join(FIRMWARE_DIR, "..", "protocol", "src", "aes128.ts");
    const b = await build({
      stdin: {
        contents:
          "import { softAes128 } from " + JSON.stringify(src) + ";\nglobal.AESX = softAes128;",
        resolveDir: FIRMWARE_DIR,
        loader: "ts",
      },
      bundle: true,
      format: "iife",
      target: "es2015",
      minify: true,
      write: false,
      conditions: ["source"],
    });
    const code = b.outputFiles[0]!.text;
    const out = await evalOn(
      "banglejs2",
      { ".bootcde": code },
      "var h=function(s){var u=new Uint8Array(16);for(var i=0;i<16;i++)u[i]=parseInt(s.substr(2*i,2),16);return u;};" +
        'var c=AESX(h("000102030405060708090a0b0c0d0e0f"),h("00112233445566778899aabbccddeeff"));' +
        'var o="";for(var i=0;i<16;i++)o+=(c[i]+256).toString(16).substr(1);print("CT="+o)',
    );
    expect(out).toContain("CT=69c4e0d86a7b0430d8cdb78070b4c55a");
  });
});
