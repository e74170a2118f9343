// The classroom bundle runs at global scope (build-bundle.ts, scope "global"): its minified
// top-level names become globals on the device. Checked on the real interpreters: the build's list
// of Espruino's globals (src/build/espruino-globals.ts) covers every global the 2v29 builds
// define, and none of the bundle's names is defined before the bundle runs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ESPRUINO_GLOBALS, topLevelNames } from "../../src/build/espruino-globals.js";
import { TARGETS } from "../../src/build/targets.js";
import { ensureBundles } from "../sim/support.js";
import { FIRMWARE_DIR, runInterpreter, type InterpreterBoard } from "./interpreter.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "liot-globals-"));
beforeAll(() => ensureBundles(), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function globalsOf(board: InterpreterBoard): Promise<string[]> {
  const run = await runInterpreter(
    board,
    dir,
    "print('NAMES '+Object.getOwnPropertyNames(global).join(','));quit();",
    20_000,
  );
  const line = run.lines.find((l) => l.includes("NAMES "));
  expect(line, run.lines.join("\n")).toBeDefined();
  return line!.slice(line!.indexOf("NAMES ") + 6).split(",");
}

describe("bundles at global scope on the real interpreter", () => {
  it.each<InterpreterBoard>(["puckjs2", "banglejs2"])(
    "the build's Espruino globals cover the %s interpreter's",
    async (board) => {
      const missing = (await globalsOf(board)).filter((n) => ESPRUINO_GLOBALS.indexOf(n) < 0);
      expect(missing, "add these to src/build/espruino-globals.ts").toEqual([]);
    },
  );

  for (const t of TARGETS.filter((x) => x.scope === "global"))
    it(t.name + ": no top-level name of the bundle is an Espruino global", async () => {
      const names = topLevelNames(
        readFileSync(path.join(FIRMWARE_DIR, "dist", t.name + ".js"), "latin1"),
      );
      expect(names.length).toBeGreaterThan(50);
      const taken = await globalsOf(t.board);
      expect(
        names.filter((n) => taken.indexOf(n) >= 0 || ESPRUINO_GLOBALS.indexOf(n) >= 0),
      ).toEqual([]);
    });
});
