// The vm context is as strict as Espruino: a bundle that uses what Espruino lacks fails in the
// simulator too (so the simulator cannot hide a build-check gap).
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSimulation } from "../../src/sim/simulation.js";

function run(code: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "liot-ctx-"));
  const bundle = path.join(dir, "b.js");
  writeFileSync(bundle, code);
  const sim = createSimulation({ device: "band", bundle, start: 1794268800 });
  sim.advance(1000);
  return sim.errors.map((e) => e.message);
}

describe("Espruino-subset context", () => {
  const missing: [string, string][] = [
    ["new Map()", "Map is not defined"],
    ["new Set([1])", "Set is not defined"],
    ["Symbol('x')", "Symbol is not defined"],
    ["new WeakMap()", "WeakMap is not defined"],
    ["Array.from([1])", "Array.from is not a function"],
    ["Object.freeze({})", "Object.freeze is not a function"],
    ["Number.isInteger(1)", "Number.isInteger is not a function"],
    ["Math.trunc(1.5)", "Math.trunc is not a function"],
    ["Promise.resolve(1).finally(function(){})", "finally is not a function"],
  ];
  for (const m of missing)
    it(m[0] + " fails", () => {
      expect(run(m[0] + ";")[0]).toContain(m[1]);
    });

  it("what Espruino has works: typed arrays, Promise, JSON, Storage, AES, timers", () => {
    const errs = run(`
      var s = require("Storage"); s.write("x", JSON.stringify({a: new Uint8Array([1,2])[1]}));
      var c = new Uint8Array(require("crypto").AES.encrypt(new Uint8Array(16), new Uint8Array(16), {mode: "ECB"}));
      if (c[0] !== 0x66) throw new Error("AES");
      if (s.readJSON("x").a !== 2) throw new Error("Storage");
      setTimeout(function () { if (getTime() < 1794268800) throw new Error("clock"); }, 500);
      Promise.resolve(1).then(function () {});
    `);
    expect(errs).toEqual([]);
  });
});
